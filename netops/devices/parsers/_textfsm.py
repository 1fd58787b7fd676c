"""The one way netops runs TextFSM: ntc-templates by platform and command, or a template of
our own, behind the same error guard.

The guard turns what a device prints instead of a table (``% Invalid input``, ``error: ...``,
``syntax error``) and every TextFSM failure into a :class:`ParseError`, and the rows it returns
raise ``ParseError`` (not ``KeyError``) when a field is missing, so a renamed ntc-templates
field is one clear line. ``FIELDS`` lists the fields netops reads from each ntc-templates
template; ``tests/unit/devices/test_textfsm.py`` checks them against the installed release
(that check is what the ``ntc-templates`` floor in ``pyproject.toml`` rests on).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from netops.devices.parsers import ParseError

TEMPLATES = Path(__file__).resolve().parent / "templates"

FIELDS: dict[tuple[str, str], frozenset[str]] = {
    ("cisco_ios", "show version"): frozenset({"hostname", "version", "hardware", "serial", "uptime"}),
    ("cisco_ios", "show interfaces"): frozenset({
        "interface", "link_status", "protocol_status", "description", "ip_address", "prefix_length", "mtu",
        "mac_address", "input_packets", "output_packets", "input_errors", "output_errors"}),
    ("cisco_ios", "show ip ospf neighbor"): frozenset({
        "neighbor_id", "priority", "state", "dead_time", "ip_address", "interface"}),
    ("arista_eos", "show ip ospf neighbor"): frozenset({
        "neighbor_id", "priority", "state", "dead_time", "ip_address", "interface"}),
    ("juniper_junos", "show ospf neighbor"): frozenset({
        "neighbor_id", "priority", "state", "dead_time", "ip_address", "interface"}),
    ("cisco_nxos", "show version"): frozenset({"hostname", "os", "platform", "serial", "uptime"}),
    ("cisco_nxos", "show interface"): frozenset({
        "interface", "link_status", "admin_state", "description", "ip_address", "prefix_length", "mtu",
        "mac_address", "input_packets", "output_packets", "input_errors", "output_errors"}),
    ("cisco_nxos", "show ip ospf neighbor"): frozenset({"neighbor_id", "state", "ip_address", "interface"}),
}
"""(platform, command) -> the ntc-templates fields netops reads."""

_DEVICE_ERRORS = ("% ", "%invalid", "% invalid", "error:", "syntax error", "unknown command",
                  "invalid command", "command rejected", "cmd exec error")


_DAEMON_DOWN = re.compile(r"^[a-z0-9]+d is not running$")
_NO_DAEMONS = "exiting: failed to connect to any daemons"
"""FRR's vtysh when none of the routing daemons runs (the SSH service answered, FRR did not)."""
_SYSLOG = re.compile(r"^%[a-z][a-z0-9_]*-\d-[a-z0-9_]+:")
"""A log message (``%BGP-5-ADJCHANGE: neighbor ...``, ``show logging`` without timestamps): output."""


class Row(dict):  # type: ignore[type-arg]
    """One parsed row; a missing field is a :class:`ParseError` naming the template, not a KeyError."""

    source = ""

    def __missing__(self, key: str) -> Any:
        raise ParseError(f"{self.source}: no field {key!r} (ntc-templates too old or too new?)")


def device_error(text: str) -> str | None:
    """The device's error line when ``text`` is an error message instead of command output."""
    stripped = text.strip()
    if not stripped:
        return None
    first = stripped.splitlines()[0].strip()
    low = first.lower()
    if _DAEMON_DOWN.match(low) or low.startswith(_NO_DAEMONS):  # FRR / Quagga vtysh: the daemon is down
        return first
    if _SYSLOG.match(low):
        return None
    # a caret line under the echoed command, then the complaint (NX-OS "% Invalid command at '^'
    # marker.", Junos "syntax error, expecting <command>.")
    if low.startswith("%") or any(low.startswith(m) for m in _DEVICE_ERRORS) or (
            low.startswith("^") and re.search(r"invalid|error|unrecognized|unknown", stripped, re.I)):
        lines = [ln.strip() for ln in stripped.splitlines() if ln.strip() and ln.strip() != "^"]
        return next((ln for ln in lines if "%" in ln or "error" in ln.lower()), lines[0])
    return None


def _rows(header: list[str], rows: list[list[Any]], source: str) -> list[dict[str, Any]]:
    out = []
    for values in rows:
        row = Row(zip([h.lower() for h in header], values))
        row.source = source
        out.append(row)
    return out


def ntc(platform: str, command: str, text: str) -> list[dict[str, Any]]:
    """Rows of ``text`` parsed with the ntc-templates template for ``platform``/``command``."""
    error = device_error(text)
    if error:
        raise ParseError(f"{command!r} failed on the device: {error}")
    try:
        from ntc_templates.parse import parse_output
    except ImportError as exc:  # pragma: no cover - a dependency
        raise ParseError("ntc-templates is not installed; cannot parse text output") from exc
    try:
        rows = parse_output(platform=platform, command=command, data=text)
    except Exception as exc:  # textfsm and ntc-templates raise their own exception types
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ParseError(f"cannot parse {command!r} output ({platform}): {detail}") from exc
    source = f"ntc-templates {platform} {command!r}"
    out = []
    for r in rows:
        row = Row(r)
        row.source = source
        out.append(row)
    return out


def template(name: str, text: str) -> list[dict[str, Any]]:
    """Rows of ``text`` parsed with one of netops' own templates (``parsers/templates/NAME``)."""
    import textfsm

    try:
        with (TEMPLATES / name).open(encoding="utf-8") as fh:
            fsm = textfsm.TextFSM(fh)
        rows = fsm.ParseText(text)
    except Exception as exc:  # textfsm.TextFSMError, textfsm.parser.TextFSMTemplateError
        raise ParseError(f"cannot parse output with {name}: {exc}") from exc
    return _rows(fsm.header, rows, name)
