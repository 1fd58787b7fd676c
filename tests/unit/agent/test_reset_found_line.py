"""Whether a BGP session reset recently is answered by the sessions' uptimes: the Found line names
the session(s) with the shortest uptime (and any session that is down now), not a count of the
down ones, which said nothing about a reset (the user trial of 2026-12-03). Over captures of the
lab whose sessions came up at different times (``frr/peer-routes``: r1's session to r2 up 1m34s,
to r3 2m05s; r2's to r1 1m37s, to r3 2m08s; r3's both 2m06s) and r1 with its link to r2 down."""

from __future__ import annotations

from pathlib import Path

import pytest

from netops.testing.transport import FakeTransport
from tests._phrasings import bench

REPO = Path(__file__).resolve().parents[3]
FRR = REPO / "tests" / "fixtures" / "devices" / "frr"


def _lab(**over: Path) -> FakeTransport:
    """The converged lab's captures, each host's outputs overlaid by the folder ``over`` gives it."""
    t = FakeTransport.from_dir(FRR)
    for host, folder in over.items():
        t.outputs[host] = {**t.outputs[host], **FakeTransport.from_dir(folder).default}
    return t


@pytest.fixture(scope="module")
def staggered(tmp_path_factory):
    home = tmp_path_factory.mktemp("reset-found")
    h = bench.Harness(home, transport=_lab(r1=FRR / "peer-routes" / "r1", r2=FRR / "peer-routes" / "r2-softreconf",
                                           r3=FRR / "peer-routes" / "r3"))
    yield h
    h.close()


def _found(got: dict) -> str:
    lines = [line for line in got["text"].splitlines() if line.startswith("**Found:**")]
    assert len(lines) == 1, got["text"]
    return lines[0]


# (question, hosts read (a session named by both ends may read both), strings the Found line has,
# strings it must not have)
CASES = [
    ("did any bgp peer bounce overnight?", {"r1", "r2", "r3"}, ["r1", "198.51.100.2", "1m34s", "shortest", "6"], ["down"]),
    ("has r1's session to r3 reset recently?", ({"r1"}, {"r1", "r3"}), ["r1", "198.51.100.10", "2m05s"], ["1m34s"]),
    ("when did r2 last reset its session with r3?", ({"r2"}, {"r2", "r3"}), ["r2", "198.51.100.6", "2m08s"], ["1m37s"]),
    ("have the bgp sessions on r3 flapped lately?", {"r3"}, ["198.51.100.5", "198.51.100.9", "2m06s"], []),
    ("did the bgp sessions on r1 reset recently", {"r1"}, ["198.51.100.2", "1m34s", "shortest", "2"], ["2m05s"]),
    ("have any bgp sessions been cleared in the last hour?", {"r1", "r2", "r3"}, ["198.51.100.2", "1m34s"], []),
]


@pytest.mark.parametrize("question, hosts, has, hasnt", CASES, ids=[c[0] for c in CASES])
def test_the_found_line_names_the_session_with_the_shortest_uptime(staggered, question, hosts, has, hasnt):
    got = staggered.ask(question)
    assert got["expect"] == "read" and {r["getter"] for r in got["reads"]} == {"bgp_neighbors"}, bench._short(got)
    assert {r["host"] for r in got["reads"]} in (hosts if isinstance(hosts, tuple) else (hosts,)), bench._short(got)
    found = _found(got)
    assert all(s in found for s in has) and not any(s in found for s in hasnt), found


def test_a_session_down_now_is_named_as_the_reset(tmp_path):
    """r1's session to r2 went down with its link (Active): that is the session that reset."""
    h = bench.Harness(tmp_path, transport=_lab(r1=FRR / "r1-r2-down" / "r1"))
    try:
        got = h.ask("did any bgp session on r1 reset recently?")
    finally:
        h.close()
    found = _found(got)
    assert "198.51.100.2" in found and "down" in found, found


def test_a_question_about_down_sessions_keeps_its_count(staggered):
    """Guard: 'which bgp peers are down?' is not a reset question; its Found line counts."""
    got = staggered.ask("which bgp peers are down on r1, r2?")
    assert "shortest" not in got["text"] and "**Found:**" in got["text"], got["text"]


def test_with_a_model_the_found_line_names_the_shortest_uptime(scripted, agent_settings, kb):
    """Agent mode: the sessions are read first; netops' own Found line follows the model's answer."""
    from netops.assistant import Assistant
    from netops.devices.service import DeviceService
    from netops.playbook.approval import DenyAll
    from netops.session import Session
    from netops.testing.ollama_server import say

    scripted.push(say("All six BGP sessions are Established [1]."))
    t = _lab(r1=FRR / "peer-routes" / "r1", r2=FRR / "peer-routes" / "r2-softreconf", r3=FRR / "peer-routes" / "r3")
    session = Session(agent_settings, kb=kb, devices=DeviceService(agent_settings, transport_factory=t))
    try:
        answer = Assistant(session, approver=DenyAll()).ask("did any bgp peer bounce overnight?")
    finally:
        session._kb = None  # the kb fixture closes its own KB
        session.close()
    assert answer.mode == "agent"
    assert "shortest uptime" in answer.text and "1m34s" in answer.text, answer.text


def test_a_read_that_failed_everywhere_says_so(tmp_path):
    """(live lab trial) With no device read, the Found line said "no BGP sessions on  (r1, r3 could
    not be read)": an empty list of devices and a claim about sessions. Now: nothing could be read."""
    from netops.errors import HostKeyError

    t = _lab()
    t.connect_errors = {h: HostKeyError(f"{h}: host key not in known_hosts") for h in ("r1", "r2", "r3")}
    h = bench.Harness(tmp_path, transport=t)
    try:
        got = h.ask("did any bgp peer bounce overnight?")
    finally:
        h.close()
    found = _found(got)
    assert "nothing could be read" in found and " on  " not in found, found


def test_a_tie_for_the_shortest_uptime_names_at_most_three_sessions():
    """Six sessions of a route reflector cleared together, one older: the Found line names three
    of the six and counts the rest (it listed every one; the all-tied case already stopped at three)."""
    from netops.agent.offline import reset_summary
    from netops.devices.models import BgpNeighbor

    def session(peer: str, up: float) -> BgpNeighbor:
        return BgpNeighbor(peer=peer, remote_as=65000, state="Established", established=True, uptime_seconds=up)

    rows = [("rr1", session(f"10.0.0.{i}", 7)) for i in range(1, 7)] + [("rr1", session("10.0.1.1", 900))]
    found = reset_summary(rows, "rr1")
    assert "rr1's session to 10.0.0.1, rr1's session to 10.0.0.2, rr1's session to 10.0.0.3 and 3 more" in found, found
    assert "10.0.0.4" not in found and "up 7s" in found and "they last came up" in found, found
