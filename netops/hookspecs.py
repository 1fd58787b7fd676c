"""Plugin hooks. Built-ins register through the same hooks as third-party plugins.

A plugin is a Python package with an entry point in the ``netops`` group pointing at a module
(or object) that implements some of these hooks with ``@netops.hookimpl``. Each hook receives a
``register`` callback; the core records which plugin registered what and refuses name clashes.
"""

from __future__ import annotations

from typing import Any, Callable

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
    """Register agent tools: ``register(tool)`` where tool follows ``netops.agent.tools.Tool``."""


@hookspec
def register_parsers(register: Callable[..., None]) -> None:
    """Register output parsers: ``register(platform, command_regex, parse_fn)``."""


@hookspec
def register_platforms(register: Callable[..., None]) -> None:
    """Register device platforms: ``register(PlatformSpec(...))`` (allowlist, netmiko type)."""


def _unused(*_: Any) -> None:  # pragma: no cover - keeps the Callable import honest
    return None
