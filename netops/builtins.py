"""netops' own contributions, registered through the same hooks third-party plugins use."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from netops.hookspecs import hookimpl
from netops.paths import shipped_dir


@hookimpl
def register_knowledge_sources(register: Callable[..., None]) -> None:
    from netops.plugins import KnowledgeSource

    knowledge = shipped_dir("knowledge")
    register(KnowledgeSource(
        name="netops-runbooks",
        description="Team runbooks and the telecom/network acronym glossary shipped with netops",
        paths=(knowledge / "runbooks", knowledge / "glossary.md"),
        default=True,
    ))
    register(KnowledgeSource(
        name="rfc-core",
        description="Core routing RFCs (BGP, OSPF, MP-BGP, IPv6, ...) from Debian's doc-rfc or a mirror",
        rfc_packs=(knowledge / "packs" / "core.yaml",),
        default=True,
    ))


@hookimpl
def register_playbook_dirs(register: Callable[..., None]) -> None:
    register(shipped_dir("playbooks"))


def _paths_exist(paths: tuple[Path, ...]) -> bool:  # used by doctor
    return all(p.exists() for p in paths)


@hookimpl
def register_tools(register: Callable[..., None]) -> None:
    from netops.agent.builtin_tools import read_tools
    from netops.agent.change_tools import change_tools

    for tool in (*read_tools(), *change_tools()):
        register(tool)


_GETTER_MODULES = {
    "frr": "netops.devices.parsers.frr",
    "cisco_ios": "netops.devices.parsers.cisco_ios",
    "cisco_xr": "netops.devices.parsers.cisco_xr",
    "cisco_nxos": "netops.devices.parsers.cisco_nxos",
    "arista_eos": "netops.devices.parsers.arista_eos",
    "juniper_junos": "netops.devices.parsers.juniper_junos",
    "linux": "netops.devices.parsers.linux",
    "nokia_sros": "netops.devices.parsers.nokia_sros",
    "huawei_vrp": "netops.devices.parsers.huawei_vrp",
}

# Commands whose raw output `netops show` also returns parsed (modules are imported on first use).
_FRR_COMMANDS = {
    r"show (ip )?bgp( vrf \S+)? summary json": "parse_bgp_summary",
    r"show ip ospf neighbor json": "parse_ospf_neighbors",
    r"show interface json": "parse_interfaces",
    r"show version": "parse_version",
}


@hookimpl
def register_parsers(register: Callable[..., None]) -> None:
    from netops.devices.parser_registry import GetterModule, Parser

    for platform, module in _GETTER_MODULES.items():
        register(GetterModule(platform=platform, module=module))
    for command, fn in _FRR_COMMANDS.items():
        register(Parser(platform="frr", command=command, parse=f"netops.devices.parsers.frr:{fn}", name=fn))


@hookimpl
def register_platforms(register: Callable[..., None]) -> None:
    from netops.devices.platforms import PLATFORMS

    for spec in PLATFORMS.values():
        register(spec)
