"""ACME's netops plugin: contributes the team's peering runbook as a knowledge source."""

from pathlib import Path

from netops.hookspecs import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_knowledge_sources(register):
    from netops.plugins import KnowledgeSource

    register(KnowledgeSource(
        name="acme-peering",
        description="ACME peering policy and IXP turn-up runbook",
        paths=(HERE / "runbooks",),
    ))
