"""Convert an Ansible inventory (INI or YAML) into a netops (Nornir-style) inventory.

Mapped: ``ansible_host`` -> hostname, ``ansible_port`` -> port, ``ansible_user`` -> username,
``ansible_network_os`` -> platform (frr, ios -> cisco_ios, iosxr -> cisco_xr, junos -> juniper_junos,
eos -> arista_eos, nxos -> cisco_nxos, sros / nokia.sros.classic / nokia.sros.md -> nokia_sros,
ce / community.network.ce / huawei / huawei_vrp / huawei_vrpv8 -> huawei_vrp, linux), ``ansible_ssh_private_key_file`` -> ssh_key_file, groups,
``children`` (a child group inherits from its parents), ``vars``. Passwords
(``ansible_password``, ``ansible_ssh_pass``, ``ansible_become_pass``) are NOT copied: they are
reported in ``warnings``; use ``password_env`` or keys instead. Other variables go to ``data``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from netops.errors import InventoryError

NETWORK_OS = {
    "frr": "frr", "frr.frr.frr": "frr",
    "ios": "cisco_ios", "cisco.ios.ios": "cisco_ios", "cisco_ios": "cisco_ios",
    "nxos": "cisco_nxos", "cisco.nxos.nxos": "cisco_nxos", "cisco_nxos": "cisco_nxos",
    "iosxr": "cisco_xr", "cisco.iosxr.iosxr": "cisco_xr", "cisco_xr": "cisco_xr",
    "junos": "juniper_junos", "junipernetworks.junos.junos": "juniper_junos", "juniper_junos": "juniper_junos",
    "eos": "arista_eos", "arista.eos.eos": "arista_eos", "arista_eos": "arista_eos",
    "sros": "nokia_sros", "nokia.sros.md": "nokia_sros", "nokia.sros.classic": "nokia_sros",
    "nokia.sros.sros": "nokia_sros", "nokia_sros": "nokia_sros",
    "ce": "huawei_vrp", "community.network.ce": "huawei_vrp", "huawei": "huawei_vrp", "huawei_vrp": "huawei_vrp",
    "huawei_vrpv8": "huawei_vrp",
    "linux": "linux",
}
_SECRET_VARS = {"ansible_password", "ansible_ssh_pass", "ansible_become_pass", "ansible_become_password",
                "ansible_ssh_password", "ansible_enable_pass"}
_DROPPED = {"ansible_connection", "ansible_become", "ansible_become_method", "ansible_python_interpreter"}


@dataclass
class AnsibleImport:
    """A converted inventory (``inventory`` is ready for ``yaml.safe_dump``) and what was skipped."""

    inventory: dict[str, Any]
    warnings: list[str] = field(default_factory=list)

    def to_yaml(self) -> str:
        import yaml

        return yaml.safe_dump(self.inventory, sort_keys=False, default_flow_style=False)


@dataclass
class _Group:
    vars: dict[str, Any] = field(default_factory=dict)
    hosts: dict[str, dict[str, Any]] = field(default_factory=dict)
    children: list[str] = field(default_factory=list)


def _scalar(value: str) -> Any:
    v = value.strip()
    if len(v) >= 2 and v[0] == v[-1] and v[0] in "'\"":
        return v[1:-1]
    if re.fullmatch(r"-?\d+", v):
        return int(v)
    if v.lower() in ("true", "yes"):
        return True
    if v.lower() in ("false", "no"):
        return False
    return v


def _expand(pattern: str) -> list[str]:
    """Ansible host ranges: ``r[1:3]`` -> r1, r2, r3; ``sw[01:02]`` keeps the zero padding."""
    m = re.search(r"\[(\d+):(\d+)\]", pattern)
    if not m:
        return [pattern]
    a, b = m.group(1), m.group(2)
    width = len(a) if a.startswith("0") else 0
    return [h for i in range(int(a), int(b) + 1)
            for h in _expand(pattern[: m.start()] + str(i).zfill(width) + pattern[m.end():])]


def parse_ini(text: str, source: str) -> dict[str, _Group]:
    import shlex

    groups: dict[str, _Group] = {"all": _Group(), "ungrouped": _Group()}
    section, kind = "ungrouped", "hosts"
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        m = re.fullmatch(r"\[([^\]:]+)(?::(vars|children))?\]", line)
        if m:
            section, kind = m.group(1), m.group(2) or "hosts"
            groups.setdefault(section, _Group())
            continue
        try:
            parts = shlex.split(line, comments=True)
        except ValueError as exc:
            raise InventoryError(f"{source}:{lineno}: cannot parse {line!r}: {exc}") from exc
        g = groups[section]
        if kind == "vars":
            key, sep, value = line.partition("=")
            if not sep:
                raise InventoryError(f"{source}:{lineno}: expected key=value in [{section}:vars]")
            g.vars[key.strip()] = _scalar(value)
        elif kind == "children":
            g.children.append(parts[0])
            groups.setdefault(parts[0], _Group())
        else:
            hvars: dict[str, Any] = {}
            for item in parts[1:]:
                key, sep, value = item.partition("=")
                if not sep:
                    raise InventoryError(f"{source}:{lineno}: expected key=value, got {item!r}")
                hvars[key] = _scalar(value)
            for name in _expand(parts[0]):
                g.hosts.setdefault(name, {}).update(hvars)
    return groups


def parse_yaml(path: Path) -> dict[str, _Group]:
    from netops.devices.inventory import load_yaml

    doc = load_yaml(path) or {}
    if not isinstance(doc, dict):
        raise InventoryError(f"{path}:1: an Ansible YAML inventory is a mapping of groups")
    groups: dict[str, _Group] = {}

    def walk(name: str, body: Any) -> None:
        g = groups.setdefault(name, _Group())
        body = body or {}
        if not isinstance(body, dict):
            raise InventoryError(f"{path}:{getattr(body, 'line', '?')}: group {name!r} must be a mapping")
        for hpat, hvars in (body.get("hosts") or {}).items():
            for h in _expand(str(hpat)):
                g.hosts.setdefault(h, {}).update(dict(hvars or {}))
        g.vars.update(dict(body.get("vars") or {}))
        for child, cbody in (body.get("children") or {}).items():
            g.children.append(str(child))
            walk(str(child), cbody)

    for name, body in doc.items():
        walk(str(name), body)
    return groups


def _convert_vars(owner: str, vars_: dict[str, Any], warnings: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    data: dict[str, Any] = {}
    for key, value in vars_.items():
        if key in _SECRET_VARS:
            warnings.append(f"{owner}: {key} not imported (no plain-text passwords); "
                            "set 'password_env: VAR' or use an SSH key")
        elif key == "ansible_host":
            out["hostname"] = str(value)
        elif key == "ansible_port":
            out["port"] = int(value)
        elif key == "ansible_user":
            out["username"] = str(value)
        elif key == "ansible_ssh_private_key_file":
            out["ssh_key_file"] = str(value)
        elif key == "ansible_network_os":
            os_name = str(value).lower()
            if os_name not in NETWORK_OS:
                raise InventoryError(
                    f"{owner}: ansible_network_os {value!r} has no netops platform",
                    hint=f"supported: {', '.join(sorted(set(NETWORK_OS)))}")
            out["platform"] = NETWORK_OS[os_name]
        elif key in _DROPPED or key.startswith("ansible_become"):
            continue
        else:
            data[key] = value
    if data:
        out["data"] = data
    return out


def convert(path: Path) -> AnsibleImport:
    """Read an Ansible inventory file (INI or YAML, by content) and convert it."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InventoryError(f"Ansible inventory {path} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InventoryError(f"cannot read {path}: {exc}") from exc
    is_yaml = path.suffix in (".yml", ".yaml") or re.match(r"\s*(---|[\w.-]+:\s*$)", text) is not None
    groups = parse_yaml(path) if is_yaml else parse_ini(text, str(path))
    warnings: list[str] = []
    parents: dict[str, list[str]] = {}
    for gname, g in groups.items():
        for child in g.children:
            if gname != "all":
                parents.setdefault(child, []).append(gname)
    out_groups: dict[str, Any] = {}
    for gname, g in groups.items():
        if gname in ("all", "ungrouped"):
            continue
        entry = _convert_vars(f"group {gname}", g.vars, warnings)
        if parents.get(gname):
            entry["groups"] = parents[gname]
        out_groups[gname] = entry
    out_hosts: dict[str, Any] = {}
    for gname, g in groups.items():
        for hname, hvars in g.hosts.items():
            entry = out_hosts.setdefault(hname, {"groups": []})
            entry.update({k: v for k, v in _convert_vars(f"host {hname}", hvars, warnings).items() if k != "data"})
            entry.setdefault("data", {}).update(_convert_vars(f"host {hname}", hvars, []).get("data", {}))
            if gname not in ("all", "ungrouped") and gname not in entry["groups"]:
                entry["groups"].append(gname)
    for entry in out_hosts.values():
        if not entry["groups"]:
            del entry["groups"]
        if not entry["data"]:
            del entry["data"]
    defaults = _convert_vars("group all", groups.get("all", _Group()).vars, warnings)
    inv: dict[str, Any] = {"hosts": out_hosts}
    if out_groups:
        inv["groups"] = out_groups
    if defaults:
        inv["defaults"] = defaults
    return AnsibleImport(inventory=inv, warnings=sorted(set(warnings)))


def write_inventory(result: AnsibleImport, output: Path, *, force: bool = False) -> None:
    """Validate the converted inventory by loading it, then write it atomically."""
    from netops.devices.inventory import load_inventory

    output = Path(output)
    if output.exists() and not force:
        raise InventoryError(f"{output} already exists", hint="choose another --output or pass --force")
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(output.name + ".tmp")
    tmp.write_text(result.to_yaml(), encoding="utf-8")
    try:
        load_inventory(tmp)
    except InventoryError:
        tmp.unlink(missing_ok=True)
        raise
    tmp.replace(output)
