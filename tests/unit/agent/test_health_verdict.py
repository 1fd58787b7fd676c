"""A model's verdict on a health read, against netops's own reading of it (helper "trial15", 2026-12-03).

SmolLM2 answered "is the lab healthy?" with "The lab is not healthy." word for word whether every
check passed or the r1-r2 link was down, and the answer check marked it "not supported" both times
("the lab" binds to no line of device output), so the mark did not tell the person which time it was
wrong. A whole-scope verdict opposite to what netops read (nothing down, or something down) is now
marked contradicted by the sources of that reading (and, since helper "model19", left out under
netops's findings with a line saying so); an agreeing one was left as the check marked it ("not
supported", under netops's own health line saying the same) until helper "ground37" marked it supported
by that reading, as an agreeing drain verdict or yes/no is."""

from __future__ import annotations

from pathlib import Path

import pytest

from netops.agent.grounding import health_verdict
from netops.testing.ollama_server import say

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "devices" / "frr"

HOSTS = ["r1", "r2", "r3"]


@pytest.mark.parametrize("sentence, verdict", [
    ("The lab is not healthy.", -1), ("The answer is no, the entire group lab is not ok.", -1),
    ("The network is unhealthy [2].", -1), ("Everything looks fine.", 1), ("r1, r2 and r3 are healthy.", 1),
    ("r1 is fine but eth-r2 is down.", None), ("r1 is ok.", None), ("All 6 BGP sessions are fine.", None),
    ("The session to 198.51.100.2 is not ok.", None), ("The lab is struggling with its security.", None)])
def test_a_verdict_on_everything_read(sentence, verdict):
    assert health_verdict(sentence, HOSTS) == verdict


def _down(fake_transport):
    """r1 after its r1-r2 link was set down (captured: tests/fixtures/devices/frr/r1-r2-down)."""
    for f in (FIXTURES / "r1-r2-down" / "r1").glob("*.txt"):
        fake_transport.outputs["r1"][f.stem] = f.read_text()


@pytest.mark.parametrize("question, said, down, contradicted", [
    ("is the lab healthy?", "The lab is not healthy.", False, True),
    ("is the lab healthy?", "The lab is not healthy.", True, False),
    ("is the lab healthy?", "The lab is healthy.", True, True),
    ("is r2 healthy?", "R2 is not healthy, as it has been compromised by a rogue router.", False, True)])
def test_a_verdict_against_netops_reading_is_marked_contradicted(scripted, make_assistant, fake_transport,
                                                                 question, said, down, contradicted):
    from netops.agent.answer_check import CONTRADICTED, SUPPORTED

    if down:
        _down(fake_transport)
    scripted.push(say(said))
    answer = make_assistant().ask(question)
    status = answer.check.sentences[0].status
    assert status == (CONTRADICTED if contradicted else SUPPORTED), answer.text
    # model19: a contradicted verdict under netops's findings is left out, and said in one line (it
    # was shown, marked, and read as the last word); an agreeing one is shown
    assert (said.rstrip(".") in answer.text) == (not contradicted), answer.text  # (backed: "... [1].")
    assert ("1 sentence of the model's answer left out (1 contradicted" in answer.text) == contradicted, answer.text
    assert said in answer.to_dict()["check"]["sentences"][0]["text"]  # --json keeps it, with its check


@pytest.mark.parametrize("sentence", ["It is not clear whether the lab is healthy.",
                                      "The lab is healthy if the sessions come up.",
                                      "The network might not be healthy."])
def test_a_hedge_is_no_verdict(sentence):
    """Review: a hedged sentence read as a verdict could be marked contradicted."""
    assert health_verdict(sentence, HOSTS) is None


def test_a_peer_shut_on_purpose_or_a_2way_drother_is_not_a_fault():
    """Review: the vetted bgp-neighbor-shutdown leaves its peer admin down, and DROthers on a
    broadcast segment stay 2-Way; netops's reading counted either as down, so 'The lab is
    healthy.' during planned work was marked contradicted."""
    from types import SimpleNamespace as NS

    from netops.agent.grounding import _health
    from netops.devices.models import BgpNeighbor

    def agg(rows, attr):
        return {"r1": NS(ok=True, data=NS(**{attr: rows}))}

    up = BgpNeighbor(peer="198.51.100.2", state="Established", established=True)
    shut = BgpNeighbor(peer="198.51.100.10", state="Idle", established=False, admin_down=True)
    idle = BgpNeighbor(peer="198.51.100.10", state="Idle", established=False)
    assert _health("bgp_neighbors", agg([up, shut], "neighbors")) is None
    assert _health("bgp_neighbors", agg([up, idle], "neighbors")) == -1
    assert _health("bgp_neighbors", agg([up], "neighbors")) == 1
    full, two, init = NS(state="Full/DR"), NS(state="2-Way/DROther"), NS(state="Init")
    assert _health("ospf_neighbors", agg([full, two], "neighbors")) is None
    assert _health("ospf_neighbors", agg([full, init], "neighbors")) == -1
