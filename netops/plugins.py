"""Loading plugins and collecting what they register."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

import pluggy

from netops import hookspecs
from netops.errors import ConfigError

ENTRY_POINT_GROUP = "netops"


@dataclass(frozen=True)
class KnowledgeSource:
    """Files a plugin (or netops itself) contributes to the knowledge base."""

    name: str
    description: str
    paths: tuple[Path, ...] = ()
    """Files or directories to ingest as they are."""
    rfc_packs: tuple[Path, ...] = ()
    """Pack manifests (YAML) naming RFCs to pull."""
    default: bool = False
    """Indexed automatically the first time a user asks with an empty knowledge base."""


@dataclass
class Registry:
    """What every plugin registered for one hook, keyed by name, with the giver recorded."""

    kind: str
    items: dict[str, Any] = field(default_factory=dict)
    owners: dict[str, str] = field(default_factory=dict)

    def add(self, name: str, item: Any, owner: str) -> None:
        if name in self.items:
            raise ConfigError(
                f"{self.kind} {name!r} is registered by both {self.owners[name]!r} and {owner!r}",
                hint="uninstall or rename one of the plugins",
            )
        self.items[name] = item
        self.owners[name] = owner


def _plugin_manager() -> pluggy.PluginManager:
    pm = pluggy.PluginManager("netops")
    pm.add_hookspecs(hookspecs)
    from netops import builtins

    pm.register(builtins, name="netops.builtins")
    pm.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
    return pm


@lru_cache(maxsize=1)
def plugin_manager() -> pluggy.PluginManager:
    return _plugin_manager()


def _collect(hook_name: str, kind: str, key: Callable[[Any], str]) -> Registry:
    pm = plugin_manager()
    registry = Registry(kind)
    hook = getattr(pm.hook, hook_name)
    for impl in hook.get_hookimpls():
        owner = pm.get_name(impl.plugin) or repr(impl.plugin)

        def register(item: Any, *rest: Any, _owner: str = owner) -> None:
            value = (item, *rest) if rest else item
            registry.add(key(value), value, _owner)

        impl.function(register=register)
    return registry


def knowledge_sources() -> Registry:
    return _collect("register_knowledge_sources", "knowledge source", lambda s: s.name)


def playbook_dirs() -> Registry:
    return _collect("register_playbook_dirs", "playbook directory", lambda p: str(Path(p).resolve()))


def tools() -> Registry:
    return _collect("register_tools", "tool", lambda t: t.name)


def parsers() -> Registry:
    return _collect("register_parsers", "parser", lambda v: f"{v[0]}:{v[1]}")


def platforms() -> Registry:
    return _collect("register_platforms", "platform", lambda p: p.name)


def list_plugins() -> list[dict[str, Any]]:
    """Installed plugins with their distribution, version and hooks, for ``netops plugins``."""
    pm = plugin_manager()
    dists = {id(plugin): dist for plugin, dist in pm.list_plugin_distinfo()}
    out = []
    for name, plugin in pm.list_name_plugin():
        if plugin is None:
            continue
        dist = dists.get(id(plugin))
        out.append({
            "name": name,
            "package": getattr(dist, "project_name", None) or (dist.metadata["name"] if dist else "netops"),
            "version": getattr(dist, "version", None) if dist else None,
            "hooks": sorted(h.name for h in pm.get_hookcallers(plugin) or []),
        })
    return out
