"""The device inventory: Nornir SimpleInventory-compatible YAML (hosts, groups, defaults).

One file with top-level ``hosts``, ``groups``, ``defaults`` (and netops' ``options``), or a
directory holding Nornir's ``hosts.yaml``/``groups.yaml``/``defaults.yaml``. A host's
attributes come from the host, then its groups (depth first, in order, recursively), then
``defaults``; ``data`` dictionaries merge in the same order. Duplicate YAML keys are refused
(PyYAML would silently keep the last one, hiding a duplicated host).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import SecretStr

from netops.devices.credentials import Credentials
from netops.devices.platforms import get_platform
from netops.errors import InventoryError, NotFoundError

log = logging.getLogger("netops.devices")

HOST_KEYS = {"hostname", "port", "username", "password", "password_env", "platform", "groups",
             "data", "ssh_key_file", "connection_options"}
GROUP_KEYS = HOST_KEYS
OPTION_KEYS = {"allow_plaintext_password"}


class _Map(dict):
    """A mapping that remembers the line it started on (1-based)."""

    line: int = 0


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys and records line numbers."""

    source = "<inventory>"

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> _Map:  # type: ignore[override]
        self.flatten_mapping(node)
        out = _Map()
        out.line = node.start_mark.line + 1
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in out:
                raise InventoryError(
                    f"{self.source}:{key_node.start_mark.line + 1}: duplicate key {key!r}",
                    hint="each host, group and attribute may appear only once",
                )
            out[key] = self.construct_object(value_node, deep=deep)
        return out


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _StrictLoader.construct_mapping)


def load_yaml(path: Path) -> Any:
    """Parse one YAML file strictly; any problem is an :class:`InventoryError` naming file:line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        # `netops lab up --id N` (N > 1) writes only lab/N/inventory.yaml: say so rather than
        # advise bringing up a lab that is already up
        labs = sorted(path.parent.glob("lab/*/inventory.yaml")) if path.name == "inventory.yaml" else []
        hint = (f"a lab inventory is here: export NETOPS_INVENTORY={labs[0]}" if len(labs) == 1 else
                f"lab inventories are here ({', '.join(map(str, labs))}): set NETOPS_INVENTORY to one" if labs
                else "run 'netops lab up' for a lab inventory, set NETOPS_INVENTORY to an inventory file, "
                     "or create this one (format: 'netops devices --help')")
        raise InventoryError(f"inventory file {path} does not exist", hint=hint) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InventoryError(f"cannot read inventory {path}: {exc}") from exc
    loader = _StrictLoader(text)
    loader.source = str(path)
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else "?"
        raise InventoryError(f"{path}:{line}: invalid YAML: {exc.problem or exc}",
                             hint="fix the YAML syntax at that line") from exc
    except yaml.YAMLError as exc:
        raise InventoryError(f"{path}: invalid YAML: {exc}") from exc
    finally:
        loader.dispose()


@dataclass(frozen=True)
class Host:
    """One device, with every attribute resolved through its groups and the defaults."""

    name: str
    hostname: str
    port: int
    platform: str
    credentials: Credentials
    groups: tuple[str, ...] = ()
    """Direct groups, as written."""
    all_groups: tuple[str, ...] = ()
    """Direct and inherited groups."""
    data: Mapping[str, Any] = field(default_factory=dict)

    @property
    def username(self) -> str | None:
        return self.credentials.username

    def describe(self) -> dict[str, Any]:
        """A JSON-safe view for listings (secrets masked)."""
        return {
            "name": self.name, "hostname": self.hostname, "port": self.port,
            "platform": self.platform, "groups": list(self.groups),
            "all_groups": list(self.all_groups), "data": dict(self.data),
            **{k: v for k, v in self.credentials.describe().items()},
        }


@dataclass
class Inventory:
    """Hosts and groups from one inventory source, with target selection."""

    hosts: dict[str, Host]
    groups: dict[str, dict[str, Any]] = field(default_factory=dict)
    source: Path | None = None
    warnings: list[str] = field(default_factory=list)

    def __iter__(self) -> Iterator[Host]:
        return iter(self.hosts.values())

    def __len__(self) -> int:
        return len(self.hosts)

    def __contains__(self, name: object) -> bool:
        return name in self.hosts

    def host(self, name: str) -> Host:
        try:
            return self.hosts[name]
        except KeyError:
            raise NotFoundError(f"no host {name!r} in the inventory",
                                hint=f"known hosts: {', '.join(self.hosts) or 'none'}") from None

    def select(self, targets: str | Sequence[str]) -> list[Host]:
        """Hosts matching ``targets``: names, group names, ``all``, ``key=value`` filters.

        ``targets`` may be a comma/space-separated string or a sequence. Filters:
        ``platform=frr``, ``group=core``, ``hostname=...`` or any ``data`` key (``site=lab``).
        Unknown names are a :class:`NotFoundError`; the result keeps inventory order.
        """
        items = re.split(r"[,\s]+", targets.strip()) if isinstance(targets, str) else list(targets)
        items = [t for t in (i.strip() for i in items) if t]
        if not items:
            raise NotFoundError("no targets given", hint="name hosts, groups, 'all' or e.g. 'platform=frr'")
        if not self.hosts:
            raise NotFoundError(f"the inventory {self.source or ''} holds no hosts".replace("  ", " "),
                                hint="add them under 'hosts:' (format: 'netops devices --help'), "
                                     "or set NETOPS_INVENTORY to another file")
        chosen: set[str] = set()
        for item in items:
            matched = self._match(item)
            if not matched:
                import difflib

                near = difflib.get_close_matches(item.lower(), [*self.hosts, *self.groups], n=1, cutoff=0.6)
                raise NotFoundError(
                    f"no host or group matches {item!r}" + (f"; did you mean {near[0]!r}?" if near else ""),
                    hint=f"hosts: {', '.join(self.hosts) or 'none'}; groups: {', '.join(self.groups) or 'none'}",
                )
            chosen.update(matched)
        return [h for name, h in self.hosts.items() if name in chosen]

    def _match(self, item: str) -> list[str]:
        if item == "all":
            return list(self.hosts)
        if "=" in item:
            key, _, value = item.partition("=")
            key = key.strip()
            value = value.strip()
            out = []
            for h in self.hosts.values():
                if key == "group":
                    ok = value in h.all_groups
                elif key in ("platform", "hostname", "name"):
                    ok = str(getattr(h, key)) == value
                else:
                    ok = str(h.data.get(key)) == value
                if ok:
                    out.append(h.name)
            return out
        if item in self.hosts:
            return [item]
        if item in self.groups:
            return [h.name for h in self.hosts.values() if item in h.all_groups]
        # host names are not case-sensitive (DNS, and every router CLI): "R2" is r2, as it is in
        # a question; only when one name folds to it, so "R1" beside "r1" stays unmatched
        folded = [n for n in (*self.hosts, *self.groups) if n.lower() == item.lower()]
        return self._match(folded[0]) if len(folded) == 1 else []


def _section(doc: Mapping[str, Any], name: str, path: Path) -> dict[str, Any]:
    value = doc.get(name) or {}
    if not isinstance(value, Mapping):
        line = getattr(doc, "line", "?")
        raise InventoryError(f"{path}:{line}: '{name}' must be a mapping")
    return dict(value) if not isinstance(value, _Map) else value


def _check_entry(kind: str, name: str, entry: Any, allowed: set[str], path: Path) -> _Map:
    if entry is None:
        entry = _Map()
    if not isinstance(entry, Mapping):
        raise InventoryError(f"{path}: {kind} {name!r} must be a mapping, got {type(entry).__name__}")
    unknown = set(entry) - allowed
    if unknown:
        line = getattr(entry, "line", "?")
        raise InventoryError(
            f"{path}:{line}: {kind} {name!r} has unknown key(s): {', '.join(sorted(map(str, unknown)))}",
            hint=f"allowed keys: {', '.join(sorted(allowed))}",
        )
    if "groups" in entry and not isinstance(entry["groups"], list):
        raise InventoryError(f"{path}:{getattr(entry, 'line', '?')}: {kind} {name!r}: 'groups' must be a list")
    if "data" in entry and not isinstance(entry["data"], Mapping):
        raise InventoryError(f"{path}:{getattr(entry, 'line', '?')}: {kind} {name!r}: 'data' must be a mapping")
    return entry  # type: ignore[return-value]


def load_inventory(path: Path, *, allow_plaintext_password: bool | None = None) -> Inventory:
    """Load and validate an inventory (a YAML file or a Nornir SimpleInventory directory)."""
    path = Path(path)
    if path.is_dir():
        doc: dict[str, Any] = {
            "hosts": load_yaml(path / "hosts.yaml") or {},
            "groups": load_yaml(path / "groups.yaml") if (path / "groups.yaml").exists() else {},
            "defaults": load_yaml(path / "defaults.yaml") if (path / "defaults.yaml").exists() else {},
        }
    else:
        loaded = load_yaml(path)
        if loaded is None:
            loaded = {}
        if not isinstance(loaded, Mapping):
            raise InventoryError(f"{path}:1: an inventory is a mapping with 'hosts', 'groups', 'defaults'")
        unknown = set(loaded) - {"hosts", "groups", "defaults", "options"}
        if unknown:
            raise InventoryError(f"{path}:{getattr(loaded, 'line', 1)}: unknown top-level key(s): "
                                 f"{', '.join(sorted(map(str, unknown)))}",
                                 hint="an inventory has 'hosts', 'groups', 'defaults' and 'options'")
        doc = dict(loaded)
    options = _check_entry("options", "options", doc.get("options"), OPTION_KEYS, path)
    plaintext_ok = bool(options.get("allow_plaintext_password", False))
    if allow_plaintext_password is not None:
        plaintext_ok = allow_plaintext_password
    defaults = _check_entry("defaults", "defaults", doc.get("defaults"), HOST_KEYS - {"groups"}, path)
    groups = {str(k): _check_entry("group", str(k), v, GROUP_KEYS, path)
              for k, v in _section(doc, "groups", path).items()}
    hosts_raw = {str(k): _check_entry("host", str(k), v, HOST_KEYS, path)
                 for k, v in _section(doc, "hosts", path).items()}
    for gname, g in groups.items():
        for parent in g.get("groups", []) or []:
            if parent not in groups:
                raise InventoryError(f"{path}:{getattr(g, 'line', '?')}: group {gname!r} inherits unknown group {parent!r}")
    inv = Inventory(hosts={}, groups={k: dict(v) for k, v in groups.items()}, source=path)
    for name, raw in hosts_raw.items():
        for g in raw.get("groups", []) or []:
            if g not in groups:
                raise InventoryError(f"{path}:{getattr(raw, 'line', '?')}: host {name!r} is in unknown group {g!r}",
                                     hint=f"define it under 'groups:' (known: {', '.join(groups) or 'none'})")
        chain = _group_chain(raw.get("groups", []) or [], groups, path)
        layers = [raw, *(groups[g] for g in chain), defaults]
        inv.hosts[name] = _build_host(name, raw, chain, layers, path, plaintext_ok, inv.warnings)
    return inv


def _group_chain(direct: list[str], groups: Mapping[str, Mapping[str, Any]], path: Path) -> list[str]:
    """Groups in Nornir resolution order: each direct group, then its parents, depth first."""
    out: list[str] = []

    def visit(name: str, stack: tuple[str, ...]) -> None:
        if name in stack:
            raise InventoryError(f"{path}: group inheritance loop: {' -> '.join((*stack, name))}")
        if name not in out:
            out.append(name)
        for parent in groups[name].get("groups", []) or []:
            visit(parent, (*stack, name))

    for g in direct:
        visit(g, ())
    return out


def _attr(layers: list[Mapping[str, Any]], key: str) -> Any:
    for layer in layers:
        if layer.get(key) is not None:
            return layer[key]
    return None


def _build_host(name: str, raw: Mapping[str, Any], chain: list[str], layers: list[Mapping[str, Any]],
                path: Path, plaintext_ok: bool, warnings: list[str]) -> Host:
    line = getattr(raw, "line", "?")
    platform = _attr(layers, "platform")
    if not platform:
        raise InventoryError(f"{path}:{line}: host {name!r} has no platform",
                             hint="set 'platform:' on the host, a group or defaults")
    try:
        get_platform(str(platform))
    except InventoryError as exc:
        raise InventoryError(f"{path}:{line}: host {name!r}: {exc.message}", hint=exc.hint) from None
    port = _attr(layers, "port") or 22
    if not isinstance(port, int) or isinstance(port, bool) or not 1 <= port <= 65535:
        raise InventoryError(f"{path}:{line}: host {name!r}: port must be an integer 1-65535, got {port!r}")
    data: dict[str, Any] = {}
    for layer in reversed(layers):
        data.update(layer.get("data") or {})
    password = _attr(layers, "password")
    if password is not None:
        if not plaintext_ok:
            raise InventoryError(
                f"{path}:{line}: host {name!r} has a plain-text password",
                hint="use 'password_env: VAR', an SSH key (ssh_key_file) or ssh-agent; "
                     "or set 'options: {allow_plaintext_password: true}' (not recommended)",
            )
        msg = f"host {name!r} uses a plain-text password from {path} (allow_plaintext_password is set)"
        log.warning(msg)
        warnings.append(msg)
    if not _attr(layers, "hostname"):
        msg = (f"host {name!r} has no hostname: netops connects to {name!r} as a DNS name "
               f"({path}:{line}; set 'hostname:' to the management address)")
        log.warning(msg)
        warnings.append(msg)
    key_file = _attr(layers, "ssh_key_file") or data.get("ssh_key_file")
    creds = Credentials(
        username=_attr(layers, "username"),
        password=SecretStr(str(password)) if password is not None else None,
        password_env=_attr(layers, "password_env"),
        key_file=Path(str(key_file)).expanduser() if key_file else None,
    )
    return Host(
        name=name,
        hostname=str(_attr(layers, "hostname") or name),
        port=port,
        platform=str(platform),
        credentials=creds,
        groups=tuple(raw.get("groups", []) or []),
        all_groups=tuple(chain),
        data=data,
    )
