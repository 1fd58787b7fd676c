"""Review of the undo answers and history follow-ups (helper review17): cases a sceptical engineer
tries on netops.agent.revert and the follow-up reading, each of which was answered wrongly.

- a change its own run rolled back (a postcheck failed, the snapshot restored) was named as
  "applied", and the answer told the person how to undo it: the opposite playbook, which would
  change a device that is already as it was;
- words around a change were taken for the person who made it ("what has changed on r2?" then
  "undo it" looked for a change by "has"; "undo yesterday's change" for one by "yesterday");
- an undo of several devices ("roll back r2 and r3") named the newest change and said nothing of
  the others;
- an undo request was carried into a follow-up ("and r3?" after "revert what alice changed on r2"
  read "revert what alice changed on r3"): a follow-up can only become a read."""

from __future__ import annotations

import pytest

from netops.agent.router import followup
from tests._phrasings import bench

HOSTS = ["r1", "r2", "r3"]


SHUT_HASH = "sha256:1111"
DRAIN_HASH = "sha256:2222"


def _apply(actor: str, host: str, playbook: str, commands: list[str] | None = None, **extra) -> dict:
    return {"actor": actor, "kind": "apply", "payload": {"playbook": playbook, "host": host, "ok": True,
                                                          "commands": commands or ["!"], **extra}}


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """The offline ask path on the lab's captures. On record: alice's ospf-cost on r2; on r3 carol's
    shutdown of neighbour 198.51.100.5, whose postcheck failed and whose run rolled it back (as the
    runner records it: apply ok, postcheck not ok, rollback ok); on r1 dave's drain, rolled back too but
    the rollback failed."""
    h = bench.Harness(tmp_path_factory.mktemp("review17"))
    h.seed([
        _apply("alice", "r2", "ospf-cost"),
        {"actor": "carol", "kind": "plan", "payload": {
            "intent": "shut down BGP neighbor 198.51.100.5 on r3", "playbook": "bgp-neighbor-shutdown",
            "hash": SHUT_HASH, "params": {"neighbor": "198.51.100.5"}, "targets": "r3", "hosts": ["r3"]}},
        _apply("carol", "r3", "bgp-neighbor-shutdown", ["router bgp 65003", "neighbor 198.51.100.5 shutdown"],
               hash=SHUT_HASH),
        {"actor": "carol", "kind": "postcheck", "payload": {"playbook": "bgp-neighbor-shutdown", "hash": SHUT_HASH,
                                                            "host": "r3", "ok": False, "checks": []}},
        {"actor": "carol", "kind": "rollback", "payload": {
            "playbook": "bgp-neighbor-shutdown", "hash": SHUT_HASH, "host": "r3", "ok": True,
            "commands": ["router bgp 65003", "no neighbor 198.51.100.5 shutdown"],
            "verified_equal_to_snapshot": True, "remaining_diff": ""}},
        {"actor": "dave", "kind": "plan", "payload": {
            "intent": "drain r1", "playbook": "router-drain", "hash": DRAIN_HASH, "params": {}, "targets": "r1",
            "hosts": ["r1"]}},
        _apply("dave", "r1", "router-drain", hash=DRAIN_HASH),
        {"actor": "dave", "kind": "rollback", "payload": {
            "playbook": "router-drain", "hash": DRAIN_HASH, "host": "r1", "ok": False, "commands": [],
            "error": "connection lost"}},
    ])
    yield h
    h.close()


def _answer(lab, question: str, after: list[str] | None = None):
    from netops.assistant import Assistant
    from netops.playbook.approval import DenyAll

    assistant = Assistant(lab.session, approver=DenyAll())
    cid = None
    for earlier in after or []:
        cid = assistant.ask(earlier, offline=True, conversation_id=cid).conversation_id
    return assistant.ask(question, offline=True, conversation_id=cid)


# -- a change its own run rolled back is not offered an undo ------------------------------------------------

@pytest.mark.parametrize("question", ["roll back r3", "undo the last change on r3", "revert what carol changed"])
def test_a_change_its_run_rolled_back_gets_no_undo(lab, question):
    answer = _answer(lab, question)
    text = answer.text
    assert "bgp-neighbor-shutdown by carol" in text, text
    assert "rolled it back" in text and "audit show 5" in text, text  # the rollback record is named
    assert "bgp-neighbor-enable" not in text and "enable BGP neighbor" not in text, text
    assert not answer.tool_calls, answer.tool_calls  # no dry run of an undo
    assert answer.change is None or not answer.change.examples, answer.change


def test_a_rollback_that_failed_is_said_and_no_undo_is_offered(lab):
    text = _answer(lab, "roll back r1").text
    assert "router-drain by dave" in text and "rollback" in text and "failed" in text, text
    assert "router-undrain" not in text, text


# -- the person who made the change is a person, not a word about the change ------------------------------

@pytest.mark.parametrize("question, after", [
    ("undo it", ["what has changed on r2?"]),
    ("undo what was changed on r2", []),
    ("revert what got changed on r2", []),
    ("revert today's changes on r2", []),
    ("undo the change from today on r2", []),
    ("undo the change from earlier on r2", []),
])
def test_words_about_the_change_are_not_its_author(lab, question, after):
    text = _answer(lab, question, after).text
    assert "ospf-cost by alice" in text and "No change to undo" not in text, text


def test_a_named_author_is_still_one(lab):
    text = _answer(lab, "revert what bob changed on r2").text
    assert "No change to undo" in text and "by bob" in text, text


# -- an undo of several devices says each one's change ----------------------------------------------------

@pytest.mark.parametrize("question", ["roll back r2 and r3", "undo the last change on r1 and r2"])
def test_an_undo_of_several_devices_names_every_devices_change(lab, question):
    text = _answer(lab, question).text
    named = [h for h, said in (("r1", "router-drain by dave"), ("r2", "ospf-cost by alice"),
                               ("r3", "bgp-neighbor-shutdown by carol")) if h in question]
    for h in named:
        assert {"r1": "router-drain by dave", "r2": "ospf-cost by alice",
                "r3": "bgp-neighbor-shutdown by carol"}[h] in text, (h, text)
    assert "one change at a time" in text, text


# -- an undo request is never carried into a follow-up ----------------------------------------------------

@pytest.mark.parametrize("previous, question", [
    ("revert what alice changed on r2", "and r3?"),
    ("undo the last change on r2", "and on r3?"),
    ("roll back the last change on r2", "what about r3?"),
    ("what changed on r2? undo it", "and r3?"),
])
def test_an_undo_is_not_carried_into_a_follow_up(previous, question):
    meant = followup(question, previous, HOSTS)
    assert not any(w in meant.lower() for w in ("undo", "revert", "roll back")), meant


# -- a one-word description without quotes: not a word of the request itself -------------------------------

@pytest.mark.parametrize("value", ["to", "as", "shutdown", "down", "up", "disable", "enable", "drain", "reboot", "no"])
def test_an_unquoted_value_that_is_a_word_of_the_request_asks_for_quotes(lab, value):
    """'set the description of eth-r2 on r1 to to' was description=to; '... to shutdown' / '... to down'
    were taken as the description without a doubt, words that say what to do to the interface."""
    m = _answer(lab, f"set the description of eth-r2 on r1 to {value}").change
    assert m.kind == "clarify" and m.params.get("description") is None, m


@pytest.mark.parametrize("value", ["uplink", "core", "spare"])
def test_other_one_word_descriptions_stay_changes(lab, value):
    m = _answer(lab, f"set the description of eth-r2 on r1 to {value}").change
    assert (m.kind, m.params.get("description")) == ("change", value), m
    m = _answer(lab, f'set the description of eth-r2 on r1 to "shutdown"').change  # quoted: the value said
    assert (m.kind, m.params.get("description")) == ("change", "shutdown"), m


# -- routing-history questions: a request beside one is kept, an unknown device is said -------------------

@pytest.mark.parametrize("question", [
    "did the routes change on r1? if so drain r2",
    "have any routes changed on r1? then shut down bgp neighbor 198.51.100.5 on r3",
    "if the routing table changed on r1, drain r1",
    "routes changed on r2, so drain r2",
])
def test_a_request_beside_a_routing_history_question_is_not_dropped(question):
    """These read the routing table (of the device in the request too) and said nothing of the request:
    a change asked for is a change route (the change path plans it or asks), never a read in its place."""
    from netops.agent.router import route

    r = route(question, HOSTS)
    assert r.kind == "change" and not r.args.get("_route_history"), r


@pytest.mark.parametrize("question", ["which routes changed on r9?", "route changes on r9 today",
                                      "did the routing table change on r9?", "what changed on r9 today?",
                                      "have any routes changed on r7 recently?"])
def test_a_history_question_about_an_unknown_device_says_so(question):
    """Each read (or listed the audit log of) every device in the inventory in place of r9."""
    from netops.agent.router import UNKNOWN_DEVICE, route

    r = route(question, HOSTS)
    assert r.kind == "unknown" and r.reason.startswith(UNKNOWN_DEVICE), r


def test_fleet_history_questions_still_read_the_fleet():
    from netops.agent.router import route

    assert route("which routes changed today?", HOSTS).args.get("hosts") == HOSTS
    assert route("what changed today?", HOSTS).args.get("hosts") == HOSTS


# -- "what changed?" says a change its run rolled back was rolled back ---------------------------------------

def test_the_history_says_a_change_was_rolled_back(lab):
    """'what changed on r3?' listed carol's shutdown as '(applied: ...)' although its run had rolled it
    back (the audit log's next records say so): the device is as it was before it."""
    answer = _answer(lab, "what changed on r3?")
    assert "bgp-neighbor-shutdown by carol" in answer.text and "rolled back by its run" in answer.text, answer.text
    (change,) = answer.to_dict()["changes"]
    assert change["rolled_back"] is True, change
    text = _answer(lab, "what changed on r1?").text
    assert "router-drain by dave" in text and "its rollback failed" in text, text
    text = _answer(lab, "what changed on r2?").text
    assert "ospf-cost by alice" in text and "rolled back" not in text and "rollback" not in text, text


# -- "undo my last change": the person asking is who made it ---------------------------------------------------

@pytest.fixture
def mine(tmp_path):
    """erin (the person asking) drained r2; frank changed r3's OSPF cost after her."""
    h = bench.Harness(tmp_path)
    me = h.session.actor
    h.seed([_apply(me, "r2", "router-drain"), _apply("frank", "r3", "ospf-cost")])
    yield h, me
    h.close()


@pytest.mark.parametrize("question", ["undo my last change", "revert the change I made", "roll back what I changed"])
def test_my_change_is_the_askers(mine, question):
    """'undo my last change' named the newest change of anyone (frank's), as if it were the person's."""
    h, me = mine
    text = h.ask(question)["text"]
    assert f"router-drain by {me}" in text and "frank" not in text, text


# -- a follow-up naming an unknown device beside a known one keeps it (said, not dropped) -----------------------

@pytest.mark.parametrize("previous, question, read, unread", [
    ("what changed on r2?", "and r3 and r9?", ["r3"], "r9"),
    ("what changed on r2?", "what about r2 and r9?", ["r2"], "r9"),
    ("bgp neighbours on r1", "and r3 and r9?", ["r3"], "r9"),
    ("bgp neighbours on r1", "and on r2, r7?", ["r2"], "r7"),
])
def test_an_unknown_device_in_a_follow_up_is_said_not_dropped(previous, question, read, unread):
    """'and r3 and r9?' after 'what changed on r2?' read as 'what changed on r3?': r9, which the
    inventory does not have, was dropped in silence (asked on its own, 'what changed on r3 and r9?'
    reads r3 and says r9 is not in the inventory)."""
    from netops.agent.router import meaning, route

    r = route(meaning([previous, question], HOSTS), HOSTS)
    assert r.kind == "tool" and r.args.get("hosts") == read and r.unread and f"'{unread}'" in r.unread, r


# -- what the person pastes or quotes does not pick what to undo --------------------------------------------------

@pytest.mark.parametrize("question", ["undo it\n> what changed on r3?", "roll back\n```\nr3\n```",
                                      'undo the last change on "r3"',
                                      "revert the last change. the ticket says: roll back r3"])
def test_pasted_or_quoted_text_does_not_name_the_device_to_undo(lab, question):
    """A device named only in a quote, a fenced block or pasted text ("the ticket says: ...") was the
    undo's device: its change was named and the opposite's dry run read it (the change matcher reads
    only the person's own words, intent.own_words)."""
    from netops.agent.revert import revert_request

    req = revert_request(question, HOSTS)
    assert req is None or "r3" not in req.hosts, req
    answer = _answer(lab, question)
    assert not any(c.tool == "playbook_plan" and "r3" in str(c.args) for c in answer.tool_calls), answer.tool_calls


# -- "undo it" after a history answer that listed several changes: which one is said ----------------------------

def test_undo_it_after_a_list_of_several_devices_changes_says_the_others(lab):
    """'what changed today?' lists a change on each of r1, r2, r3; 'undo it' named the newest (r1's)
    alone, as if the list had held one."""
    text = _answer(lab, "undo it", ["what changed today?"]).text
    assert "router-drain by dave" in text, text  # the newest, as before
    assert "Also" in text and "ospf-cost by alice" in text and "bgp-neighbor-shutdown by carol" in text, text


def test_undo_it_after_one_devices_changes_says_nothing_more(lab):
    text = _answer(lab, "undo it", ["what changed on r2?"]).text
    assert "ospf-cost by alice" in text and "Also" not in text, text
