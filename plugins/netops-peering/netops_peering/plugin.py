"""Entry point ``peering``: the hooks. Keep this module light; heavy work happens in the
functions the hooks register, when they are called."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from netops.hookspecs import hookimpl

HERE = Path(__file__).resolve().parent
PLAYBOOKS = HERE / "playbooks"
KNOWLEDGE = HERE / "knowledge"


@hookimpl
def register_playbook_dirs(register: Callable[..., None]) -> None:
    register(PLAYBOOKS)


@hookimpl
def register_tools(register: Callable[..., None]) -> None:
    from netops_peering.peeringdb import peeringdb_tool

    register(peeringdb_tool())


@hookimpl
def register_parsers(register: Callable[..., None]) -> None:
    from netops.devices.parser_registry import Parser

    register(Parser(
        platform="frr",
        command=r"show (ip )?bgp (ipv4|ipv6) unicast neighbors \S+ prefix-counts",
        parse="netops_peering.prefix_counts:parse_prefix_counts",
        name="prefix-counts",
        description="FRR 'show bgp neighbors ADDR prefix-counts' (text) -> counts per category",
    ))


@hookimpl
def register_knowledge_sources(register: Callable[..., None]) -> None:
    from netops.plugins import KnowledgeSource

    register(KnowledgeSource(
        name="peering-runbooks",
        description="Peering team runbooks (IXP turn-up, peer maintenance, prefix-limit hits) and glossary",
        paths=(KNOWLEDGE / "runbooks", KNOWLEDGE / "glossary.md"),
        glossaries=(KNOWLEDGE / "glossary.md",),
        default=True,
    ))
