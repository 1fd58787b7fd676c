"""Shared test data for the agent tests: the recorded FRR outputs (``tests/fixtures/devices/frr``) with
some hosts' outputs replaced, the states the lab was captured in, an Assistant asked over them, and a
team's own playbook (``tests/fixtures/playbooks``). One place, as :mod:`tests._phrasings` is for the
phrasing sets (these were copied between test files, and drifted)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from netops.testing.transport import FakeTransport

REPO = Path(__file__).resolve().parents[1]
FRR = REPO / "tests" / "fixtures" / "devices" / "frr"
PLAYBOOKS = REPO / "tests" / "fixtures" / "playbooks"

SHUT = FakeTransport.from_dir(FRR / "lab-r1-shut").default
"""r1's outputs after 'neighbor 198.51.100.2 shutdown'."""
LINK_DOWN = FakeTransport.from_dir(FRR / "r1-r2-down").outputs["r1"]
"""r1's outputs with eth-r2 set down (its session to r2 Active)."""


def captures(**replaced: dict[str, str] | None) -> FakeTransport:
    """The recorded FRR outputs, each host named (``r1=SHUT``) with those outputs replaced."""
    t = FakeTransport.from_dir(FRR)
    for host, outputs in replaced.items():
        if outputs:
            t.outputs[host] = {**t.outputs[host], **outputs}
    return t


@contextmanager
def assistant(settings: Any, kb: Any, *, transport: FakeTransport | None = None,
              **replaced: dict[str, str] | None) -> Iterator[Any]:
    """An Assistant (deny-all approver) over ``transport`` or :func:`captures`, its session closed after
    (the KB is the caller's and stays open)."""
    from netops.assistant import Assistant
    from netops.devices.service import DeviceService
    from netops.playbook.approval import DenyAll
    from netops.session import Session

    session = Session(settings, kb=kb, devices=DeviceService(settings, transport_factory=transport or captures(**replaced)))
    try:
        yield Assistant(session, approver=DenyAll())
    finally:
        session._kb = None  # the kb fixture closes its own KB
        session.close()


def team_playbook(name: str, dest: Path) -> Path:
    """A team's own playbook directory (``acme-bgp-peer-description``) copied under ``dest``."""
    return Path(shutil.copytree(PLAYBOOKS / name, dest / name))


def ask_over_captures(settings: Any, kb: Any) -> Iterator[Any]:
    """``ask(question, *, offline=True, r1=..., r3=...)`` over :func:`captures` (the ``ask_captures``
    fixture); every session it made is closed after."""
    from contextlib import ExitStack

    with ExitStack() as stack:
        def ask(question: str, *, offline: bool = True, **replaced: dict[str, str] | None) -> Any:
            return stack.enter_context(assistant(settings, kb, **replaced)).ask(question, offline=offline)

        yield ask
