"""Loading plugins and collecting what they register.

Plugins are found through entry points in the ``netops`` group. Discovery reads installed
metadata only; a plugin module is imported the first time something asks for a registry
(``tools()``, ``playbook_dirs()`` ...), never for ``netops --help``. Built-ins
(:mod:`netops.builtins`) register first, through the same hooks.

A plugin that fails to import, raises in a hook, registers something malformed, registers a
tool that changes state, or clashes on a name with an earlier registration is *reported*
(:func:`problems`, shown by ``netops plugins`` and ``netops doctor``) and left out; everything
else keeps working. The first registration of a name wins, so a plugin cannot replace a
built-in.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

import pluggy

from netops import hookspecs
from netops.errors import ConfigError

ENTRY_POINT_GROUP = "netops"
BUILTIN = "netops.builtins"


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
    glossaries: tuple[Path, ...] = ()
    """Acronym glossaries (``- **ACRONYM**: Expansion`` bullets) that also expand search queries."""


@dataclass(frozen=True)
class PluginInfo:
    """One installed plugin as ``netops plugins`` shows it."""

    name: str
    package: str
    version: str | None
    origin: str
    """``built-in``, ``editable <dir>`` or the directory the distribution is installed in."""
    hooks: tuple[str, ...] = ()
    loaded: bool = True
    error: str | None = None


@dataclass(frozen=True)
class PluginProblem:
    """Something a plugin got wrong; the offending part was left out."""

    plugin: str
    kind: str
    """``import`` | ``hook`` | ``invalid`` | ``refused`` | ``clash``"""
    message: str

    def __str__(self) -> str:
        return f"plugin {self.plugin}: {self.message}"


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

    def by_owner(self, owner: str) -> dict[str, Any]:
        return {n: v for n, v in self.items.items() if self.owners[n] == owner}


@dataclass
class _State:
    order: list[str] = field(default_factory=list)
    infos: dict[str, PluginInfo] = field(default_factory=dict)
    problems: list[PluginProblem] = field(default_factory=list)
    cache: dict[str, Registry] = field(default_factory=dict)
    lock: threading.RLock = field(default_factory=threading.RLock)
    """Registries are first collected from whichever thread asks (fan-out workers too)."""


def _origin(dist: Any) -> str:
    """``editable <source dir>``, or the directory the distribution is installed in, plus
    ``from <url>`` when pip recorded where it came from (a local directory, a VCS, a wheel)."""
    if dist is None:
        return "unknown"
    source = None
    try:
        direct = dist.read_text("direct_url.json")
        if direct:
            info = json.loads(direct)
            source = str(info.get("url", "")).removeprefix("file://") or None
            if source and info.get("dir_info", {}).get("editable"):
                return f"editable {source}"
    except (OSError, ValueError):
        pass
    try:
        where = str(Path(str(dist.locate_file(""))).resolve())
    except Exception:  # some finders do not implement locate_file
        where = "installed"
    return f"{where} from {source}" if source else where


def entry_points() -> list[Any]:
    """The ``netops`` entry points of installed distributions (metadata only, nothing imported)."""
    from importlib.metadata import entry_points as eps

    return list(eps(group=ENTRY_POINT_GROUP))


_ENTRY_POINT = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*(?:\s*:\s*[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)?(?:\s*\[.*\])?")
"""What importlib can load: ``module.path`` or ``module.path:attr.path`` (extras allowed)."""


def _plugin_manager() -> pluggy.PluginManager:
    pm = pluggy.PluginManager("netops")
    pm.add_hookspecs(hookspecs)
    state = _State()
    from netops import builtins

    pm.register(builtins, name=BUILTIN)
    state.order.append(BUILTIN)
    state.infos[BUILTIN] = PluginInfo(name=BUILTIN, package="netops", version=_netops_version(), origin="built-in")
    seen: dict[str, str] = {}
    # In the order of their names, not the order importlib happens to find the distributions in
    # (sys.path, then the directory's listing): which of two plugins is "first" (a name clash, two
    # tools claiming one question) is then the same on every machine and after every reinstall.
    for ep in sorted(entry_points(), key=lambda e: e.name):
        if seen.get(ep.name) == ep.value:  # the same plugin found twice on sys.path (e.g. egg-info in a checkout)
            continue
        seen.setdefault(ep.name, ep.value)
        dist = getattr(ep, "dist", None)
        package = dist.metadata["Name"] if dist is not None else ep.value
        version = dist.version if dist is not None else None
        origin = _origin(dist)
        error = None
        if pm.has_plugin(ep.name) or ep.name in state.infos:
            error = f"the name {ep.name!r} is already taken by {state.infos[ep.name].package}; not loaded"
            state.problems.append(PluginProblem(ep.name, "clash", f"({package}) {error}"))
        elif _ENTRY_POINT.fullmatch(ep.value or "") is None:
            # importlib's own message for "acme_bad.boom:::" is "'NoneType' object has no attribute 'group'"
            error = (f"malformed entry point {ep.value!r}: the value must be 'package.module' or "
                     f"'package.module:object' ([project.entry-points.netops] in the plugin's pyproject.toml)")
            state.problems.append(PluginProblem(ep.name, "import", error))
        else:
            try:
                obj = ep.load()
                pm.register(obj, name=ep.name)
            except Exception as exc:  # any import-time failure of third-party code is reported, not raised
                error = f"failed to load {ep.value}: {type(exc).__name__}: {exc}"
                state.problems.append(PluginProblem(ep.name, "import", error))
            else:
                state.order.append(ep.name)
        state.infos.setdefault(ep.name, PluginInfo(name=ep.name, package=package, version=version, origin=origin,
                                                   loaded=error is None, error=error))
    pm.netops_state = state  # type: ignore[attr-defined]
    return pm


def _netops_version() -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("netops")
    except PackageNotFoundError:
        return None


@lru_cache(maxsize=1)
def plugin_manager() -> pluggy.PluginManager:
    return _plugin_manager()


def reset() -> None:
    """Forget loaded plugins (tests that install a plugin while running)."""
    plugin_manager.cache_clear()


def _state() -> _State:
    return plugin_manager().netops_state  # type: ignore[attr-defined,no-any-return]


# -- collecting one hook -------------------------------------------------------------------

Validator = Callable[[Any, str], "tuple[Any, str | None]"]


def _collect(hook_name: str, kind: str, key: Callable[[Any], str], validate: Validator | None = None) -> Registry:
    state = _state()
    cached = state.cache.get(hook_name)
    if cached is not None:
        return cached
    with state.lock:
        cached = state.cache.get(hook_name)
        if cached is None:
            cached = state.cache[hook_name] = _collect_now(hook_name, kind, key, validate, state)
        return cached


def _collect_now(hook_name: str, kind: str, key: Callable[[Any], str], validate: Validator | None,
                 state: _State) -> Registry:
    pm = plugin_manager()
    registry = Registry(kind)
    impls = {impl.plugin_name: impl for impl in getattr(pm.hook, hook_name).get_hookimpls()}
    for owner in state.order:
        impl = impls.get(owner)
        if impl is None:
            continue
        given: list[Any] = []

        def register(item: Any, *rest: Any, _given: list[Any] = given) -> None:
            _given.append((item, *rest) if rest else item)

        try:
            impl.function(register=register)
        except Exception as exc:  # a plugin's hook failing must not take the others down
            if owner == BUILTIN:  # a bug in netops itself: fail loudly
                raise
            state.problems.append(PluginProblem(owner, "hook", f"{hook_name} raised {type(exc).__name__}: {exc}"))
            continue
        for value in given:
            if validate is not None:
                try:
                    value, why = validate(value, owner)
                except Exception as exc:  # a malformed registration is reported, whatever its shape
                    value, why = None, f"invalid {kind}: {type(exc).__name__}: {exc}"
                if why is not None:
                    state.problems.append(PluginProblem(owner, why.split(":", 1)[0].split()[0], why))
                    continue
            try:
                name = key(value)
            except Exception as exc:
                state.problems.append(PluginProblem(owner, "invalid", f"invalid {kind} {value!r}: {exc}"))
                continue
            if name in registry.items:
                state.problems.append(PluginProblem(
                    owner, "clash", f"clash: {kind} {name!r} is already registered by {registry.owners[name]}; "
                                    "this one was left out"))
                continue
            registry.items[name] = value
            registry.owners[name] = owner
    return registry


def _knowledge(item: Any, owner: str) -> tuple[Any, str | None]:
    if not isinstance(item, KnowledgeSource):
        return None, f"invalid knowledge source {item!r}: register a netops.plugins.KnowledgeSource"
    missing = [str(p) for p in (*item.paths, *item.rfc_packs, *item.glossaries) if not Path(p).exists()]
    if missing:
        return None, f"invalid knowledge source {item.name!r}: missing {', '.join(missing)}"
    return item, None


def _playbook_dir(item: Any, owner: str) -> tuple[Any, str | None]:
    path = Path(item)
    if not path.is_dir():
        return None, f"invalid playbook directory {path}: not a directory"
    return path, None


def _tool(item: Any, owner: str) -> tuple[Any, str | None]:
    from pydantic import BaseModel

    from netops.agent.tools import Tool

    if not isinstance(item, Tool):
        return None, f"invalid tool {item!r}: register a netops.agent.tools.Tool"
    if not (isinstance(item.params, type) and issubclass(item.params, BaseModel)) or not callable(item.run):
        return None, f"invalid tool {item.name!r}: params must be a pydantic model and run a function"
    if item.answers is not None and not callable(item.answers):
        return None, f"invalid tool {item.name!r}: answers must be a function (question -> arguments or None)"
    if owner == BUILTIN:
        return item, None
    if item.changes_state:
        return None, (f"refused tool {item.name!r}: it changes state outside the playbook approval gate "
                      "(plugins change devices only through vetted playbooks)")
    return replace(item, run=_read_only(item.run, item.name)), None


def _read_only(run: Callable[..., Any], name: str = "tool") -> Callable[..., Any]:
    """A plugin tool sees the devices through a read-only view and no approver, and is waited for
    no longer than ``Budget.plugin_tool_seconds`` (or a cancel)."""

    def guarded(ctx: Any, args: Any) -> Any:
        from netops.devices.readonly import ReadOnlyDevices

        devices = ReadOnlyDevices(ctx.get_devices())
        session = _SessionView(ctx.session, devices) if ctx.session is not None else None
        view = replace(ctx, devices=devices, approver=None, session=session)
        def abandon(why: str) -> None:  # the thread goes on: what it does later reaches nothing of netops
            devices.close(f"netops stopped waiting for {name} ({why}): its devices and session are closed to it")

        try:
            return _as_data(_bounded(run, view, args, ctx, name, abandon))
        finally:
            if ctx.kb is None and view.kb is not None:
                ctx.kb = view.kb

    guarded.__wrapped__ = run  # type: ignore[attr-defined]
    return guarded


def _bounded(run: Callable[..., Any], view: Any, args: Any, ctx: Any, name: str,
             abandon: Callable[[str], None] = lambda why: None) -> Any:
    """``run(view, args)`` on a thread of its own, waited for up to the budget's
    ``plugin_tool_seconds`` and while nobody cancels. A plugin tool that hung (a ticket system that
    never answers, a lock) froze ``netops ask`` and the chat's answer until someone killed it; now
    the question goes on with a failed call. Python cannot stop the thread: it is a daemon, left to
    finish or die with the process, and its result is dropped; ``abandon(why)`` closes what it was
    given of netops (its devices and session view) so nothing it does later acts in netops's name."""
    import contextvars
    import threading
    import time

    from netops.agent.tools import ToolResult

    limit = getattr(getattr(ctx, "budget", None), "plugin_tool_seconds", None)
    if not limit or limit <= 0:
        return run(view, args)
    box: dict[str, Any] = {}
    context = contextvars.copy_context()

    def work() -> None:
        try:
            box["result"] = context.run(run, view, args)
        except BaseException as exc:  # re-raised on the caller's thread, where the tool box reports it
            box["error"] = exc

    worker = threading.Thread(target=work, name=f"netops-plugin-tool-{name}", daemon=True)
    worker.start()
    deadline = time.monotonic() + limit
    cancel = getattr(ctx, "cancel", None)
    while worker.is_alive():
        left = deadline - time.monotonic()
        if left <= 0:
            abandon(f"no answer within {limit:g} s")
            return ToolResult(name, False, error=(
                f"{name} did not answer within {limit:g} s; netops stopped waiting for it "
                "(the plugin's code may still be running)"))
        if cancel is not None and getattr(cancel, "cancelled", False):
            abandon("cancelled")
            return ToolResult(name, False, error=f"{name} was cancelled while it ran")
        worker.join(min(left, 0.1))
    if "error" in box:
        raise box["error"]
    return box.get("result")


def _as_data(result: Any) -> Any:
    """A plugin tool's result as untrusted text, like a device's output: secrets redacted, control
    characters, chat-template tokens and fake ``</data>`` closes defanged, and the content wrapped
    as data unless the plugin wrapped it itself (``data_block``). A plugin that passed on what a
    ticket or inventory system returned handed the model an instruction in a turn of its own."""
    from netops.agent.evidence import neutralise, wrap_data
    from netops.agent.tools import ToolResult
    from netops.controls import printable
    from netops.privacy import redact_text

    if not isinstance(result, ToolResult):
        return result
    # cleaned first: a redaction rule reads what the person and the model will read
    content = redact_text(printable(result.content or "")) or ""
    if content.strip():
        content = printable(content) if '<data source="' in content else wrap_data(f"{result.tool} output", content)
    return replace(result, content=content,
                   error=redact_text(neutralise(result.error)) if result.error else result.error,
                   summary=redact_text(neutralise(result.summary)) if result.summary else result.summary)


class _SessionView:
    """The session as a plugin tool sees it: everything but its devices, which are the same
    read-only view as ``ctx.devices`` (``ctx.session.devices.configure(...)`` went around it)."""

    def __init__(self, session: Any, devices: Any) -> None:
        self._session = session
        self.devices = devices

    def __getattr__(self, name: str) -> Any:
        if getattr(self.devices, "closed", None) is not None:  # netops stopped waiting for the tool
            from netops.errors import Cancelled

            raise Cancelled(self.devices.closed)
        if name == "_devices":
            return self.devices
        return getattr(self._session, name)


def _parser(item: Any, owner: str) -> tuple[Any, str | None]:
    from netops.devices.parser_registry import GetterModule, Parser

    if isinstance(item, tuple) and len(item) == 3:  # register(platform, command_regex, fn)
        item = Parser(platform=item[0], command=item[1], parse=item[2])
    if isinstance(item, Parser):
        why = item.problem()
        return (item, None) if why is None else (None, f"invalid parser {item.key}: {why}")
    if isinstance(item, GetterModule):
        return item, None
    return None, f"invalid parser {item!r}: register a netops.devices.parser_registry.Parser"


def _platform(item: Any, owner: str) -> tuple[Any, str | None]:
    from netops.devices.platforms import PlatformSpec

    if not isinstance(item, PlatformSpec):
        return None, f"invalid platform {item!r}: register a netops.devices.platforms.PlatformSpec"
    return item, None


def knowledge_sources() -> Registry:
    return _collect("register_knowledge_sources", "knowledge source", lambda s: s.name, _knowledge)


def glossary_files() -> list[Path]:
    """Glossaries registered with knowledge sources (query expansion), in registration order."""
    return [Path(g) for s in knowledge_sources().items.values() for g in s.glossaries]


def playbook_dirs() -> Registry:
    return _collect("register_playbook_dirs", "playbook directory", lambda p: str(Path(p).resolve()), _playbook_dir)


def tools() -> Registry:
    """Agent tools by name; plugin tools run with a read-only view of the devices."""
    return _collect("register_tools", "tool", lambda t: t.name, _tool)


def agent_tools() -> list[Any]:
    """Every tool the agent may call, built-ins first."""
    return list(tools().items.values())


def parsers() -> Registry:
    return _collect("register_parsers", "parser", lambda v: v.key, _parser)


def platforms() -> Registry:
    return _collect("register_platforms", "platform", lambda p: p.name, _platform)


_ALL = (knowledge_sources, playbook_dirs, tools, parsers, platforms)


def problems() -> list[PluginProblem]:
    """Every problem found loading plugins and collecting all hooks."""
    for collect in _ALL:
        collect()
    return list(_state().problems)


def plugin_infos() -> list[PluginInfo]:
    """Installed plugins (built-ins first), including ones that failed to load."""
    pm = plugin_manager()
    state = _state()
    out = []
    for name, info in state.infos.items():
        plugin = pm.get_plugin(name)
        hooks = tuple(sorted(h.name for h in pm.get_hookcallers(plugin) or [])) if plugin is not None else ()
        out.append(replace(info, hooks=hooks))
    return out


def provided_by(owner: str) -> dict[str, list[str]]:
    """What one plugin contributes, by kind (``tools``, ``parsers``, ...)."""
    return {
        "knowledge_sources": sorted(knowledge_sources().by_owner(owner)),
        "playbook_dirs": sorted(playbook_dirs().by_owner(owner)),
        "tools": sorted(tools().by_owner(owner)),
        "parsers": sorted(parsers().by_owner(owner)),
        "platforms": sorted(platforms().by_owner(owner)),
    }


def list_plugins() -> list[dict[str, Any]]:
    """Installed plugins with their distribution, version, origin and hooks (``netops plugins``)."""
    return [{"name": i.name, "package": i.package, "version": i.version, "origin": i.origin,
             "hooks": list(i.hooks), "loaded": i.loaded, "error": i.error} for i in plugin_infos()]
