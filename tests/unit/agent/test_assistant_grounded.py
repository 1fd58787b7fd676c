"""Evidence first + answer check through the Assistant, against the scripted model server."""

from __future__ import annotations

from netops.agent.events import AnswerEvent, ToolStartEvent
from netops.testing.ollama_server import say

README_Q = "What is the lowest hold time a BGP speaker may accept?"


def test_knowledge_question_is_grounded_checked_and_marked(scripted, make_assistant):
    scripted.push(say("An implementation MUST reject Hold Time values of one or two seconds [1]. "
                      "A BGP speaker accepts 10 seconds as the minimum [1]. See also [7]."))
    answer = make_assistant().ask(README_Q)
    # the model saw numbered sources as data, before answering, and no tool call was needed
    sent = scripted.requests[0].messages[-1]["content"]
    assert sent.startswith("Sources (untrusted data") and "[1] RFC 4271 §" in sent and README_Q in sent
    assert "untrusted DATA" in scripted.requests[0].system()
    labels = [s.label for s in answer.grounding.sources]
    assert labels[0].startswith("RFC 4271 §6.2"), labels  # the lexical index ranks the error-handling rule first
    check = answer.check
    assert [s.status for s in check.sentences if s.status != "not_checked"] == ["supported", "contradicted"]
    assert check.removed_citations == ["[7]"] and "[7]" not in answer.text
    assert "⚠ contradicted" in answer.text
    assert answer.citations == [labels[0]]      # only the cited passage is evidence
    d = answer.to_dict()
    assert d["check"]["contradicted"] == 1 and d["check"]["sentences"][0]["cited"] == [1]
    assert d["grounding"]["kind"] == "knowledge" and d["tokens"]["sources"] > 0
    assert d["tokens"]["prompt_max"] > 0 and not d["abstained"]


def test_uncovered_question_abstains_without_asking_the_model(scripted, make_assistant):
    events = list(make_assistant().events("What UDP destination port does VXLAN use?"))
    answer = events[-1].answer
    assert isinstance(events[-1], AnswerEvent) and answer.abstained
    assert "do not cover" in answer.text and "nearest passages" in answer.text
    assert "No evidence" not in answer.text and answer.exit_code == 0
    assert scripted.requests == []


def test_device_question_reads_state_first_and_model_sees_it(scripted, make_assistant):
    scripted.push(say("r1 peers with 198.51.100.2 [1]."))
    events = list(make_assistant().events("bgp neighbours on r1"))
    assert [e.tool for e in events if isinstance(e, ToolStartEvent)] == ["get_state"]
    answer = events[-1].answer
    assert "198.51.100.2" in scripted.requests[0].messages[-1]["content"]
    assert answer.check.count("supported") == 1
    assert any(c.startswith("r1: show bgp summary json") for c in answer.citations)


def test_chit_chat_is_not_grounded(scripted, make_assistant):
    scripted.push(say("Hello."))
    answer = make_assistant().ask("any advice for the maintenance window?")
    assert answer.grounding.kind == "none" and answer.check is None
    assert scripted.requests[0].messages[-1]["content"] == "any advice for the maintenance window?"


def test_offline_answer_says_when_the_documents_do_not_cover_it(make_assistant):
    answer = make_assistant().ask("What UDP destination port does VXLAN use?", offline=True)
    assert answer.mode == "offline" and answer.abstained
    assert answer.text.startswith("**Your documents do not cover this**") and "RFC 4271 §" in answer.text
    covered = make_assistant().ask("What is the BGP hold timer?", offline=True)
    assert not covered.abstained and "do not cover" not in covered.text


def test_model_server_gone_before_a_word_answers_from_the_evidence_in_hand(scripted, make_assistant):
    """The model server dies after the evidence is read but before it says a word (killed, OOM,
    restarted): the user gets the offline answer from that evidence, marked offline with why,
    exit 0 -- not '**No answer**' and exit 1 as if netops knew nothing."""
    from netops.testing.ollama_server import Reply

    scripted.push(Reply(hangup=True))
    answer = make_assistant().ask(README_Q)
    assert answer.mode == "offline" and answer.model is None, answer.text
    assert answer.exit_code == 0 and answer.error is None and not answer.partial
    assert "No answer" not in answer.text and "RFC 4271 §" in answer.text
    assert answer.citations and all(c.startswith("RFC 4271 §") for c in answer.citations)
    assert "stopped answering" in (answer.notice or "") and "answered offline" in answer.notice


def test_model_server_gone_on_a_device_question_shows_the_state_read(scripted, make_assistant):
    from netops.testing.ollama_server import Reply

    scripted.push(Reply(hangup=True))
    answer = make_assistant().ask("bgp neighbours on r1")
    assert answer.mode == "offline" and answer.exit_code == 0, answer.text
    assert "198.51.100.2" in answer.text
    assert any(c.startswith("r1: show bgp summary json") for c in answer.citations)


def test_model_gone_after_some_words_is_still_a_labelled_partial_answer(scripted, make_assistant):
    from netops.testing.ollama_server import Reply

    scripted.push(Reply(content="The lowest hold time a BGP speaker may accept is", drop_after=2))
    answer = make_assistant().ask(README_Q)
    assert answer.partial and answer.exit_code != 0 and answer.text.startswith("**PARTIAL ANSWER")


def test_knowledge_answer_with_nothing_supported_shows_the_passages_first(scripted, make_assistant):
    """A small model that restates a source's label (or says something no passage backs) must not
    stand as the answer: the passages it was given lead, labelled, and its text follows, marked."""
    scripted.push(say("bgp-session-down: [1]"))
    answer = make_assistant().ask(README_Q)
    source = answer.grounding.sources[0]
    head, _, rest = answer.text.partition(source.label)
    assert head.startswith("**The passages retrieved for this question"), answer.text
    assert source.text[:60] in rest
    assert "The model's answer (not supported by the passages" in rest
    assert rest.index(source.text[:60]) < rest.index("The model's answer")
    assert "bgp-session-down" in rest.split("The model's answer")[1]
    assert answer.citations == [source.label]     # the passages shown are the evidence


def test_knowledge_answer_with_no_words_of_its_own_shows_only_the_passages(scripted, make_assistant):
    scripted.push(say("[1]"))
    answer = make_assistant().ask(README_Q)
    source = answer.grounding.sources[0]
    assert answer.text.startswith("**The passages retrieved for this question") and source.label in answer.text
    assert "The model's answer" not in answer.text


def test_a_supported_knowledge_answer_is_not_wrapped_in_passages(scripted, make_assistant):
    scripted.push(say("An implementation MUST reject Hold Time values of one or two seconds [1]."))
    answer = make_assistant().ask(README_Q)
    assert answer.text.startswith("An implementation MUST reject") and "passages retrieved" not in answer.text


def test_citation_numbers_in_the_answer_are_those_of_its_evidence_list(scripted, make_assistant):
    """The evidence list an answer shows is numbered, and it holds the sources the answer cites
    first: a model citing sources [2] and [3] of three got a list r2, r3, r1, so its '[2]'
    pointed at r3 and its '[3]' at r1 (seen in the chat). Every [n] in the text names the
    source the list shows under [n] (the list carries the turn's numbers, not positions), and a
    source a mark says contradicts a sentence is listed too."""
    import re

    scripted.push(say("r2 peers with 198.51.100.1 [2]. r3 is a router [3]."))
    answer = make_assistant().ask("bgp neighbours on r1, r2 and r3")
    assert [s.label.split(":")[0] for s in answer.grounding.sources] == ["r1", "r2", "r3"]
    shown = [int(n) for n in re.findall(r"\[(\d+)\]", answer.text)]
    assert len(shown) == 2, answer.text
    for sentence, n in zip(("r2 peers", "r3 is"), shown):
        host = sentence.split()[0]
        (label,) = [e.label for k, e in answer.numbered() if k == n]
        assert label.startswith(f"{host}:"), (answer.text, answer.numbered())


def test_a_partial_answer_keeps_the_passages_it_cites(scripted, make_assistant):
    """An answer that broke off (or was stopped) after citing [1] lists that passage: seen in
    the chat, a cancelled answer showing [1] three times ended 'no evidence: this answer cites
    nothing'. A partial answer is not checked, but its marks still name the sources it was
    given; a mark naming no source lists nothing."""
    from netops.testing.ollama_server import Reply

    text = "The Hold Time MUST be either zero or at least three seconds [1]. See [9]. An implementation MAY reject"
    scripted.push(Reply(content=text, piece_chars=16, drop_after=5))
    answer = make_assistant().ask(README_Q)
    assert answer.partial and answer.error and "[1]" in answer.text, answer.text
    cited = answer.grounding.sources[0].label
    assert answer.citations == [cited]
    assert answer.check is None  # not checked: it is not the whole answer


def test_a_cancelled_answer_keeps_the_passages_it_cites(scripted, make_assistant):
    from netops.agent.events import AnswerEvent, TokenEvent
    from netops.cancel import CancelToken
    from netops.testing.ollama_server import Reply

    words = "The Hold Time MUST be either zero or at least three seconds [1]. " * 30
    scripted.push(Reply(content=words, piece_chars=8, piece_delay=0.03))
    token, received, answer = CancelToken(), "", None
    for ev in make_assistant().events(README_Q, cancel=token):
        if isinstance(ev, TokenEvent):
            received += ev.text
            if "[1]" in received:
                token.cancel("cancelled with Escape")
        if isinstance(ev, AnswerEvent):
            answer = ev.answer
    assert answer is not None and answer.cancelled and answer.partial, answer
    assert answer.citations == [answer.grounding.sources[0].label]


def test_a_partial_answer_citing_nothing_lists_no_passage(scripted, make_assistant):
    from netops.testing.ollama_server import Reply

    scripted.push(Reply(content="The hold time is negotiated in the OPEN message and then", piece_chars=16,
                        drop_after=3))
    answer = make_assistant().ask(README_Q)
    assert answer.partial and answer.citations == []


def test_a_mark_with_no_source_at_all_is_removed_and_said(scripted, make_assistant):
    """trial17: a model answer citing [1] when nothing at all was grounded (a greeting: no passage,
    no device read, no tool call) kept "[1]" over "no evidence: this answer cites nothing". The
    README: a citation of a source that does not exist is removed. Said in the notice, as a mark
    removed by the check is counted in it."""
    scripted.push(say("Hello, everything looks fine [1]. Ask me about BGP [2], or `show bgp [1]`."))
    answer = make_assistant().ask("hello, any advice for the maintenance window?")
    assert answer.grounding is None or not answer.grounding.grounded, answer.grounding
    assert not answer.citations
    assert "[1]" not in answer.text.replace("`show bgp [1]`", "") and "[2]" not in answer.text, answer.text
    assert "everything looks fine." in answer.text and "`show bgp [1]`" in answer.text, answer.text
    assert "[1]" in (answer.notice or "") and "[2]" in (answer.notice or ""), answer.notice


RUNBOOK = """# Runbook: draining a router for maintenance

Before maintenance on a router, set the BGP graceful shutdown community on every session and wait
five minutes for traffic to move away. Check that the prefix count received by peers drops to zero.

## Rollback

If traffic does not move within ten minutes, remove the graceful shutdown configuration.
"""


def test_a_runbook_passage_that_starts_with_its_heading_backs_what_it_says(scripted, agent_settings, tmp_path):
    """chat19 trial: a runbook added with `netops kb add` and asked about; the model repeated the
    runbook word for word and the check said "⚠ contradicted: five min: [1] says five" and
    "zero is not in [1]". The passage had been flattened to one line that began with the
    heading's "#", and a line that starts with "#" is a heading: the whole passage was skipped as
    one, nothing in it backed anything. The same "#" line drew the passage as a centred title."""
    from netops.assistant import Assistant
    from netops.playbook.approval import DenyAll
    from netops.rag.kb import KnowledgeBase
    from netops.session import Session

    doc = tmp_path / "drain-runbook.md"
    doc.write_text(RUNBOOK)
    kb = KnowledgeBase(agent_settings)
    kb.add([doc])
    scripted.push(say("Wait five minutes for traffic to move away [1]. "
                      "Check that the prefix count received by peers drops to zero [1]."))
    with Session(agent_settings, kb=kb) as session:
        answer = Assistant(session, approver=DenyAll()).ask(
            "how long do I wait after I set graceful shutdown on a router before maintenance?")
    kb.close()
    assert answer.check is not None, (answer.text, answer.notice)
    (source,) = answer.grounding.sources
    assert "drain-runbook" in source.label and not source.text.lstrip().startswith("#"), source.text
    assert [s.status for s in answer.check.sentences if s.status != "not_checked"] == ["supported", "supported"], \
        [(s.text, s.status, s.reasons) for s in answer.check.sentences]
    assert "⚠" not in answer.text, answer.text


def test_a_runbook_table_reaches_the_model_and_backs_the_answer(scripted, agent_settings, tmp_path):
    """chat19 trial: a runbook's Markdown table was taken for an RFC packet diagram ('| ... |'
    lines hold no facts there) and dropped from the passage: asked "what hold timer do we use?",
    the model was shown "Timers we use. Change them only in a maintenance window." and nothing of
    the table, and a right answer from it could only be unsupported. Each row is now a sentence
    naming its columns."""
    from netops.assistant import Assistant
    from netops.playbook.approval import DenyAll
    from netops.rag.kb import KnowledgeBase
    from netops.session import Session

    doc = tmp_path / "timers-runbook.md"
    doc.write_text("# Our BGP timers\n\nThe timers every eBGP session uses.\n\n| timer | value |\n|---|---|\n"
                   "| keepalive | 20 s |\n| hold | 60 s |\n\nChange them only in a maintenance window.\n")
    kb = KnowledgeBase(agent_settings)
    kb.add([doc])
    scripted.push(say("The hold timer we use is 60 s [1]."))
    with Session(agent_settings, kb=kb) as session:
        answer = Assistant(session, approver=DenyAll()).ask("which BGP hold timer value do our eBGP sessions use?")
    kb.close()
    assert answer.check is not None, (answer.text, answer.notice)
    (source,) = answer.grounding.sources
    assert "60 s" in source.text and "20 s" in source.text, source.text
    assert [s.status for s in answer.check.sentences if s.status != "not_checked"] == ["supported"], \
        [(s.text, s.status, s.reasons) for s in answer.check.sentences]


def test_a_device_nothing_could_be_read_from_is_said_without_the_model(scripted, make_session, fake_transport):
    """trial32 (lab r3's SSH stopped): every read of "is r3 healthy?" was refused, the model was
    still asked and SmolLM2 said "R3 is not healthy [1]", cited to the failed `show version` and
    listed as its evidence. netops says what failed and how to check the device instead."""
    from netops.assistant import Assistant
    from netops.errors import ConnectError

    fake_transport.connect_errors = {"r3": ConnectError("r3 (127.0.172.3:22): connection refused")}
    answer = Assistant(make_session()).ask("is r3 healthy?")
    assert scripted.requests == [], "the model was asked about a device nothing was read from"
    text = answer.text
    assert text.startswith("**Nothing could be read from r3:** every read failed."), text
    assert "- r3 (127.0.172.3:22): connection refused (show version, " in text, text
    assert "`netops devices check r3`" in text and "not known from here" in text, text
    assert not answer.citations and not answer.evidence, answer.evidence
    assert answer.exit_code == 0 and "the model was not asked" in (answer.notice or "")


def test_one_device_read_beside_a_failed_one_still_goes_to_the_model(scripted, make_session, fake_transport):
    from netops.assistant import Assistant
    from netops.errors import ConnectError

    fake_transport.connect_errors = {"r3": ConnectError("r3 (127.0.172.3:22): connection refused")}
    scripted.push(say("r1 peers with 198.51.100.2 [1]."))
    answer = Assistant(make_session()).ask("bgp neighbours on r1 and r3")
    assert len(scripted.requests) == 1 and "Nothing could be read" not in answer.text, answer.text


def test_configuration_pasted_under_the_question_still_goes_to_the_model_when_no_read_worked(
        scripted, make_session, fake_transport):
    from netops.assistant import Assistant
    from netops.errors import ConnectError

    fake_transport.connect_errors = {"r3": ConnectError("r3 (127.0.172.3:22): connection refused")}
    scripted.push(say("The neighbour's remote-as must match."))
    answer = Assistant(make_session()).ask("why does r3 not peer with 198.51.100.5?\n"
                                           " router bgp 65003\n  neighbor 198.51.100.5 remote-as 65009")
    assert len(scripted.requests) == 1 and "Nothing could be read" not in answer.text, answer.text


def test_a_device_that_answers_every_read_with_an_error_is_said_to_have_answered(scripted, make_session,
                                                                                   fake_transport):
    """trial32 (lab r3's FRR daemons stopped, its SSH up): vtysh answered every command with "Exiting:
    failed to connect to any daemons."; the answer said the device or its SSH might be down."""
    from netops.assistant import Assistant

    down = "Exiting: failed to connect to any daemons.\nHint: if this seems wrong, try running me as a privileged user!\n"
    fake_transport.outputs["r3"] = {cmd: down for cmd in fake_transport.outputs["r3"]}
    answer = Assistant(make_session()).ask("is r3 healthy?")
    assert scripted.requests == [], "the model was asked about a device nothing was read from"
    text = answer.text
    assert text.startswith("**Nothing could be read from r3:**") and "failed to connect to any daemons" in text, text
    assert "r3 answered, but not with its state" in text and "routing software may not be running" in text, text
    assert "SSH service" not in text and "netops devices check" not in text, text
