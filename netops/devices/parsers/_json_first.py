"""The getter steps NX-OS and EOS share: ``| json`` first, the text form where the device
refuses it; the route lookup and the running configuration."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from netops.devices.models import RouteLookup, RunningConfig

Read = Callable[[str], str]
T = TypeVar("T")


def json_or_text(read: Read, command: str, parse_json: Callable[[str], T], parse_text: Callable[[str], T],
                 *, refused: Callable[[str], Any]) -> T:
    """``parse_json`` of ``command | json``; where ``refused`` says the device would not give
    JSON, ``parse_text`` of ``command`` (one more read)."""
    text = read(f"{command} | json")
    return parse_text(read(command)) if refused(text) else parse_json(text)


def route(read: Read, prefix: str, parse: Callable[[str, str], RouteLookup]) -> RouteLookup:
    """``show ip|ipv6 route PREFIX | json``, the family from the prefix."""
    family = "ipv6" if ":" in prefix else "ip"
    return parse(read(f"show {family} route {prefix} | json"), prefix)


def running_config(read: Read) -> RunningConfig:
    return RunningConfig(text=read("show running-config"))
