"""Whether a device rebooted, restarted or reloaded is asked of its uptime, which the ``facts``
getter (``show version``) carries where the platform prints one: the question reads facts on the
named devices and answers with a Found line. FRR's ``show version`` prints no uptime: the answer
says plainly that netops cannot tell from it, instead of an empty line or a document search.
"did r2 reboot?", "has r2 restarted recently?" and "when did r3 last reload?" read nothing before
(the user trial of 2026-12-03); other phrasings here. The guards passed before."""

from __future__ import annotations

from pathlib import Path

import pytest

from netops.devices.service import DeviceService
from netops.testing.transport import FakeTransport
from tests._phrasings import bench

REPO = Path(__file__).resolve().parents[3]
IOS = REPO / "tests" / "fixtures" / "devices" / "cisco_ios" / "bf-iosv"

READS = [
    ("did r2 reboot?", ["r2"]),
    ("has r2 restarted recently?", ["r2"]),
    ("when did r3 last reload?", ["r3"]),
    ("was r1 rebooted overnight", ["r1"]),
    ("how long ago did r3 reboot", ["r3"]),
    ("did any of the routers reload today?", ["r1", "r2", "r3"]),
    ("has r1 been restarted since friday?", ["r1"]),
    ("r2 rebooted?", ["r2"]),
    # the device left out is never the one read (it read r3 alone)
    ("did any router reboot except r3?", ["r1", "r2"]),
    ("has any of the routers reloaded today, other than r1?", ["r2", "r3"]),
]
NOT_FACTS = [
    ("reboot r2", ("change", "ask", "kb")),                     # a request, not a question
    # a request with the reason after it is still a request (they read r2's facts)
    ("can you reload r2, it crashed?", ("change", "ask")),
    ("reboot r2 if it crashed?", ("change", "ask", "kb")),
    ("how do I reload a router safely?", ("kb", "ask")),
    ("what does bgp graceful restart do?", ("kb",)),
]


@pytest.fixture(scope="module")
def harness(tmp_path_factory):
    h = bench.Harness(tmp_path_factory.mktemp("reboots"))
    yield h
    h.close()


def _found(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("**Found:**")]


@pytest.mark.parametrize("question, hosts", READS, ids=[q for q, _ in READS])
def test_a_reboot_question_reads_facts_and_says_what_it_shows(harness, question, hosts):
    got = harness.ask(question)
    assert got["expect"] == "read", bench._short(got)
    assert {r["getter"] for r in got["reads"]} == {"facts"}, bench._short(got)
    assert {r["host"] for r in got["reads"]} == set(hosts), bench._short(got)
    found = _found(got["text"])
    # FRR prints no uptime: said plainly, per device
    assert found and "cannot tell" in found[0] and all(h in found[0] for h in hosts), got["text"]
    assert not got["other"]


@pytest.mark.parametrize("question, kinds", NOT_FACTS, ids=[q for q, _ in NOT_FACTS])
def test_a_request_or_a_knowledge_question_reads_no_facts(harness, question, kinds):
    got = harness.ask(question)
    assert got["expect"] in kinds and not got.get("reads"), bench._short(got)
    assert not got["other"]


def test_a_session_restart_is_still_the_session(harness):
    got = harness.ask("did r2's bgp session restart?")
    assert {r["getter"] for r in got["reads"]} == {"bgp_neighbors"}, bench._short(got)


def test_where_the_platform_prints_an_uptime_the_found_line_gives_it(tmp_path, monkeypatch):
    """A captured IOS-XE ``show version`` ('uptime is 2 hours, 3 minutes'): the Found line gives it."""
    from netops.assistant import Assistant
    from netops.playbook.approval import DenyAll
    from netops.rag.kb import KnowledgeBase
    from netops.session import Session
    from netops.settings import load_settings

    monkeypatch.setenv("NETOPS_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("EDGE_PW", "unused")
    inv = tmp_path / "inventory.yaml"
    inv.write_text("defaults: {username: netops, password_env: EDGE_PW}\n"
                   "hosts:\n  edge1: {hostname: 127.0.1.9, platform: cisco_ios}\n")
    settings = load_settings()
    settings = settings.model_copy(update={"inventory": inv, "ollama_url": "http://127.0.0.1:9",
                                           "kb": settings.kb.model_copy(update={"embedder": "none"})})
    t = FakeTransport(outputs={"edge1": {f.stem: f.read_text() for f in IOS.glob("*.txt")}})
    with Session(settings, kb=KnowledgeBase(settings), devices=DeviceService(settings, transport_factory=t)) as s:
        answer = Assistant(s, approver=DenyAll()).ask("did edge1 reboot recently?", offline=True)
    found = _found(answer.text)
    assert found and "edge1" in found[0] and "2h03m" in found[0], answer.text
    assert "cannot tell" not in found[0]


@pytest.mark.parametrize("question", ["when did r3 last reload?", "has r3 rebooted lately?"])
def test_with_a_model_the_facts_are_read_first_and_the_found_line_follows(scripted, make_assistant, question):
    """Agent mode: facts are read before the model speaks and netops' own Found line follows its
    answer (the change matcher's "no vetted playbook reloads a device" is not the answer)."""
    from netops.testing.ollama_server import say

    scripted.push(say("r3 runs FRRouting 8.4.4 [1]."))
    answer = make_assistant().ask(question)
    assert answer.mode == "agent" and answer.change is None, answer.text
    reads = [(c.args.get("getter"), c.args.get("hosts")) for c in answer.tool_calls if c.tool == "get_state"]
    assert reads == [("facts", ["r3"])], answer.tool_calls
    assert "cannot tell" in answer.text and "**Found:**" in answer.text, answer.text
