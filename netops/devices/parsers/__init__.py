"""Per-platform parsers: raw command output -> the typed models in :mod:`netops.devices.models`.

Each platform module exposes ``GETTERS``: getter name -> ``fn(host, read, **kw) -> model``,
where ``read(command)`` runs one policy-checked, redacted command on the host.
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Iterable
from typing import Any

from netops.errors import DeviceError


class ParseError(DeviceError):
    """Device output did not have the shape the parser expects."""


def load_json(text: str, command: str) -> Any:
    """Parse JSON device output; a CLI error message instead of JSON is a :class:`ParseError`.
    Output saved from a terminal session (the prompt and command echo above the document, the
    prompt below it) reads like the bare document."""
    stripped = text.strip()
    if not stripped:
        return {}
    try:
        return json.loads(stripped)
    except json.JSONDecodeError as exc:
        found = _embedded_json(stripped)
        if found is not None:
            return found
        first = stripped.splitlines()[0][:120]
        raise ParseError(f"{command!r} did not return JSON: {first}") from exc


def _embedded_json(text: str) -> Any:
    """The JSON document between other lines (a prompt, the command echo, a ``{master:0}``
    line), or None: from a line opening an object or array to the last line closing one."""
    lines = text.splitlines()
    ends = [i for i, line in enumerate(lines) if line.rstrip().endswith(("}", "]"))]
    starts = [i for i, line in enumerate(lines) if line.lstrip().startswith(("{", "["))]
    for start in starts[:4]:
        for end in reversed(ends[-4:]):
            if end < start:
                continue
            try:
                return json.loads("\n".join(lines[start:end + 1]))
            except json.JSONDecodeError:
                continue
    return None


def is_address(text: str) -> bool:
    """An IPv4 or IPv6 address (no prefix length, no zone)."""
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def most_specific(prefixes: Iterable[str], query: str) -> str | None:
    """The most specific of ``prefixes`` that covers ``query`` (an address or a prefix), as it was
    spelt; None when none does. A lookup's answer can hold more than its longest match (Junos
    ``show route P`` lists the routes inside P too, a saved table every route); entries that are
    no IP prefix (MPLS labels, VPN routes ``RD:prefix``) are skipped. A query that is no address
    (nothing to cover) takes the most specific prefix listed."""
    try:
        target: Any = ipaddress.ip_network(str(query).strip(), strict=False)
    except ValueError:
        target = None
    best: tuple[int, str] | None = None
    for p in prefixes:
        try:
            net = ipaddress.ip_network(str(p), strict=False)
        except ValueError:
            continue
        if target is not None and (net.version != target.version or not target.subnet_of(net)):
            continue
        if best is None or net.prefixlen > best[0]:
            best = (net.prefixlen, p)
    return best[1] if best else None


def to_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


_WORDED_UNITS = {"year": 31536000, "week": 604800, "day": 86400, "hour": 3600, "minute": 60, "second": 1}
_WORDED_PART = re.compile(r"(\d+)\s+(year|week|day|hour|minute|second)s?\b", re.I)


def worded_seconds(text: str | None) -> float | None:
    """An uptime in words as IOS, IOS-XR, NX-OS and VRP print it -> seconds:
    ``3 weeks, 2 days, 4 hours, 17 minutes``, XR7's ``23 hours 3 minutes``, VRP's ``161 days, 0
    hour, 20 minutes``. ``None`` when no "N unit" part is found."""
    parts = _WORDED_PART.findall(text or "")
    return float(sum(int(n) * _WORDED_UNITS[u.lower()] for n, u in parts)) if parts else None


_ASDOT = re.compile(r"(?:AS)?(\d+)\.(\d+)", re.I)
_ASPLAIN = re.compile(r"(?:AS)?(\d+)", re.I)


def to_asn(value: Any) -> int | None:
    """An AS number as an asplain integer: ``65002``, ``"65002"``, ``"AS65002"`` and the asdot
    form of a 4-byte AS (``"65002.2048"`` = 65002 x 65536 + 2048, RFC 5396) all work; anything
    else (``""``, ``None``, ``"-"``) is ``None``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 <= value < 2**32 else None
    if not isinstance(value, str):
        return None
    text = value.strip()
    m = _ASDOT.fullmatch(text)
    if m:
        high, low = int(m.group(1)), int(m.group(2))
        return high * 65536 + low if high < 65536 and low < 65536 else None
    m = _ASPLAIN.fullmatch(text)
    if m and int(m.group(1)) < 2**32:
        return int(m.group(1))
    return None


def afi_safi(afi: str, safi: str = "unicast") -> str:
    """One spelling for every platform: ``ipv4-unicast``, ``ipv6-unicast``, ``vpnv4-unicast``,
    ``l2vpn-evpn``, ``ipv4-labeled-unicast``, ``ipv4-multicast``, ..."""
    a = re.sub(r"[^a-z0-9]+", "", afi.lower())
    s = re.sub(r"[^a-z0-9]+", "-", safi.lower()).strip("-")
    if a == "l2vpn" and s in ("evpn", "e-vpn"):
        return "l2vpn-evpn"
    if s in ("labeled-unicast", "label-unicast", "labeled", "lu"):
        s = "labeled-unicast"
    return f"{a}-{s}" if s else a


def af_name(text: str) -> str:
    """``IPv4 Unicast`` / ``VPNv4 Unicast`` / ``L2VPN E-VPN`` / ``IPv6 Labeled-Unicast`` -> the
    :func:`afi_safi` spelling."""
    afi, _, safi = text.strip().partition(" ")
    return afi_safi(afi, safi.strip() or "unicast")


def not_running_note(protocol: str, said: str | None = None) -> str:
    """The note on an empty result for a protocol that is not configured (never an error)."""
    note = f"{protocol} is not configured or not running on this device"
    return f"{note} (the device said: {said.strip()})" if said and said.strip() else note


def require(text: str, pattern: str, command: str, platform: str) -> None:
    """Raise :class:`ParseError` when non-blank ``text`` has no line matching ``pattern`` (a line
    every real ``command`` output prints, e.g. its table header): the output of another command,
    or of another platform, is "not recognised" instead of an empty table or invented rows."""
    if text.strip() and not re.search(pattern, text, re.M):
        first = text.strip().splitlines()[0].strip()[:80]
        raise ParseError(f"{command!r} output not recognised as {platform} (it starts {first!r})")


_ERROR_READERS = {"huawei_vrp": "huawei_vrp", "nokia_sros": "nokia_sros"}
"""Platforms whose error replies have a shape of their own (VRP ``Error: ...`` under a caret line,
SR OS ``MINOR:``); the others print ``% ...``, ``error:``, ``syntax error`` or FRR's ``bgpd is
not running`` (:func:`netops.devices.parsers._textfsm.device_error`)."""


def command_error(platform: str, text: str) -> str | None:
    """The device's error line when ``text`` (one command's output) is an error reply instead of
    output: ``% Unknown command: ...``, ``% BGP is not running``, ``% Invalid input detected at
    '^' marker.``, ``bgpd is not running``, Junos ``syntax error, expecting <command>.``, VRP
    ``Error: Unrecognized command found at '^' position.``, SR OS ``MINOR: CLI Command not
    allowed ...``, Junos ``BGP is not running``; ``None`` for output (a log line such as
    ``%BGP-5-ADJCHANGE: ...`` included; VRP's ``Info: OSPF is not configured.`` is an answer, not an
    error). XR's timestamp line above its reply is skipped."""
    import importlib

    from netops.devices.parsers._textfsm import device_error

    if platform in _ERROR_READERS:
        module = importlib.import_module(f"netops.devices.parsers.{_ERROR_READERS[platform]}")
        return module.device_error(text)  # type: ignore[no-any-return]
    if platform == "cisco_xr":
        from netops.devices.parsers.cisco_xr import body

        text = body(text)
    if platform == "juniper_junos":  # "BGP is not running" has no "%" or "error:" on Junos
        from netops.devices.parsers.juniper_junos import not_running

        said = not_running(text)
        if said:
            return said
    return device_error(text)
