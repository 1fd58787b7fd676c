"""Plugin hooks. Built-ins register through the same hooks as third-party plugins.

A plugin is a Python package with an entry point in the ``netops`` group pointing at a module
(or object) that implements some of these hooks with ``@netops.hookimpl``. Each hook receives a
``register`` callback; the core records which plugin registered what and refuses name clashes.
"""

from __future__ import annotations

from typing import Callable

import pluggy

hookspec = pluggy.HookspecMarker("netops")
hookimpl = pluggy.HookimplMarker("netops")


@hookspec
def register_knowledge_sources(register: Callable[..., None]) -> None:
    """Register knowledge sources: ``register(KnowledgeSource(...))``.

    A source names files or directories (runbooks, glossaries, RFC pack manifests) that
    ``netops kb add --source NAME`` and the default bootstrap index.
    """


@hookspec
def register_playbook_dirs(register: Callable[..., None]) -> None:
    """Register directories that hold vetted playbooks: ``register(path)``."""


@hookspec
def register_tools(register: Callable[..., None]) -> None:
    """Register agent tools: ``register(netops.agent.tools.Tool(...))``.

    A plugin tool must be read-only: one with ``changes_state=True`` is refused at load
    (changes go through vetted playbooks), and plugin tools get a read-only device view.
    """


@hookspec
def register_parsers(register: Callable[..., None]) -> None:
    """Register output parsers: ``register(netops.devices.parser_registry.Parser(...))`` (one
    command on one platform -> data; ``netops show`` attaches it) or ``register(GetterModule(...))``
    (typed getters for a platform). ``register(platform, command_regex, parse_fn)`` also works.
    """


@hookspec
def register_platforms(register: Callable[..., None]) -> None:
    """Register device platforms: ``register(PlatformSpec(...))`` (allowlist, netmiko type)."""
