""""what changed on r2 recently?", "what was the last change on r3?": what netops's audit log
recorded, said with its limits. They were answered with 'show version', and the second (and
"change history of r1") was read as a request for a change."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import SimpleNamespace

import pytest

from netops.agent.offline import history_summary
from netops.agent.router import route

HOSTS = ["r1", "r2", "r3"]
REPO = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize("question, hosts", [
    ("what changed on r2 recently?", ["r2"]), ("recent changes on r2", ["r2"]),
    ("what was the last change on r3?", ["r3"]), ("who changed r1?", ["r1"]), ("change history of r1", ["r1"]),
    ("has anything changed on r3 today?", ["r3"]), ("when was r2 last changed?", ["r2"]),
    ("show me the change log for r3", ["r3"]), ("what changed in the network?", HOSTS),
    # helper trial16: whoever did it, and other verbs of changing
    ("has anyone touched r1's config today?", ["r1"]), ("did somebody modify r2?", ["r2"]),
    ("has someone changed r3 recently", ["r3"]), ("who touched r2 last?", ["r2"]),
])
def test_a_question_what_changed_reads_the_audit_log(question, hosts):
    # the audit log alone: no getter (it read 'show version' of each device beside it until trial16)
    r = route(question, HOSTS)
    assert (r.kind, r.tool, r.args.get("getter"), r.args.get("hosts"), r.args.get("_history")) == \
        ("tool", "change_history", None, hosts, True), r


@pytest.mark.parametrize("question", ["change the hold timer on r2 to 30", "revert the last change on r3"])
def test_requests_stay_requests(question):
    assert route(question, HOSTS).kind == "change"


def test_the_found_line_names_each_change_and_what_the_log_cannot_know():
    rec = SimpleNamespace(seq=139, ts="2026-12-03T07:02:21.715+00:00", payload={"playbook": "router-undrain", "ok": True})
    text = history_summary({"r3": rec, "r1": None})
    assert "r3: router-undrain at 2026-12-03 07:02:21 UTC (applied; `netops audit show 139`)" in text, text
    assert "no change recorded on r1" in text and "outside netops" in text
    assert "no audit log" in history_summary(None)


@pytest.mark.parametrize("question", ["what changed in bgp between rfc 1771 and rfc 4271?",
                                      "which attributes changed in RFC 4271?",
                                      "what has changed in OSPFv3 compared to OSPFv2?"])
def test_how_a_protocol_changed_is_not_the_audit_log(question):
    r = route(question, HOSTS)
    assert not r.args.get("_history") and r.kind == "spec", r


@pytest.mark.parametrize("question", ["reapply the last change on r2", "copy the recent changes on r1 to r2",
                                      "make the same change on r2 as the last change on r1",
                                      "drain r3 and show me what changed"])
def test_a_request_naming_an_earlier_change_is_not_a_history_read(question):
    assert not route(question, HOSTS).args.get("_history")


@pytest.mark.parametrize("question", ["what changed recently?", "anything changed in the lab today?"])
def test_the_networks_recent_changes_read_every_device(question):
    r = route(question, HOSTS)
    assert (r.args.get("_history"), r.args.get("hosts")) == (True, HOSTS), r


_spec = importlib.util.spec_from_file_location("bench_state_phrasings_history", REPO / "bench" / "state_phrasings.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


def _apply(actor: str, host: str, playbook: str) -> dict:
    return {"actor": actor, "kind": "apply", "payload": {"playbook": playbook, "host": host, "ok": True,
                                                          "commands": ["!"]}}


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """The offline ask path on the lab's captures (bench/state_phrasings.py) with three changes on
    record: bob then carol on r3, alice on r2."""
    h = bench.Harness(tmp_path_factory.mktemp("history"))
    h.seed([_apply("bob", "r3", "interface-description"), _apply("alice", "r2", "ospf-cost"),
            _apply("carol", "r3", "bgp-neighbor-shutdown")])
    yield h
    h.close()


@pytest.mark.parametrize("question", ["what changed on r3?", "show me the change history of r3", "who changed r3 last?"])
def test_what_changed_is_the_audit_log_alone_with_who_made_each_change(lab, question):
    """Each answered with r3's 'show version' beside the log's newest change (no one named, bob's
    change left out); "show me the change history of r3" was refused as a change (helper trial16)."""
    got = lab.ask(question)
    assert got["expect"] == "ask" and got["audit"] and not got.get("reads"), got
    text = got["text"]
    assert "bgp-neighbor-shutdown by carol" in text and "interface-description by bob" in text, text
    assert text.index("carol") < text.index("bob") and "alice" not in text, text  # newest first, r3's only


def test_the_networks_changes_name_every_device_and_no_read(lab):
    got = lab.ask("what changed in the lab today?")
    assert got["expect"] == "ask" and got["audit"] and not got.get("reads"), got
    assert all(who in got["text"] for who in ("alice", "bob", "carol")), got["text"]
    assert "no change recorded on r1" in got["text"], got["text"]


def test_a_model_is_given_the_audit_log_as_its_source(lab):
    """With a model, the history was the Found line under r3's 'show version' (a device read); the
    route now reads no device, so the log itself is the source (helper trial16)."""
    from netops.agent.grounding import DEVICE, prepare
    from netops.agent.tools import ToolContext

    ctx = ToolContext(settings=lab.session.settings, session=lab.session, question="what changed on r3?")
    calls = []
    g = prepare("what changed on r3?", ctx, lambda name, args: calls.append((name, args)))
    assert calls == [] and g.kind == DEVICE and len(g.sources) == 1, (calls, g)
    assert "bgp-neighbor-shutdown by carol" in g.sources[0].text and "audit log" in g.sources[0].label, g.sources
    assert "by carol" in (g.facts or "")


def test_the_offline_answer_cites_the_audit_log(lab):
    got = lab.ask("what changed on r2?")
    assert "No evidence" not in got["text"], got["text"]
