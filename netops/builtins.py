"""netops' own contributions, registered through the same hooks third-party plugins use."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from netops.hookspecs import hookimpl
from netops.settings import _data_dir


@hookimpl
def register_knowledge_sources(register: Callable[..., None]) -> None:
    from netops.plugins import KnowledgeSource

    knowledge = _data_dir("knowledge")
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
    register(_data_dir("playbooks"))


def _paths_exist(paths: tuple[Path, ...]) -> bool:  # used by doctor
    return all(p.exists() for p in paths)
