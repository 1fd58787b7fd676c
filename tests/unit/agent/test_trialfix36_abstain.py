"""trial36 #26: "what does bad peer as mean" was refused ("Your documents do not cover this, so I will
not guess", similarity 0.33) while the passages it listed (RFC 4271's error subcodes, §6.2) name the
Bad Peer AS subcode word for word. The question's whole subject, two words or more, found in that
order in one of the closest passages, is coverage (netops.agent.abstain.named_verbatim)."""

from __future__ import annotations

import pytest

from netops.agent.abstain import named_verbatim


@pytest.mark.parametrize("question, passage, said", [
    ("what does bad peer as mean?", "If the AS is unacceptable, the Error Subcode MUST be set to Bad Peer AS.", "bad peer"),
    ("what is the hold time exactly", "Hold Time: This 2-octet unsigned integer", "hold time"),
])
def test_the_subject_word_for_word(question, passage, said):
    assert named_verbatim(question, [passage]) == said


@pytest.mark.parametrize("question, passage", [
    ("what does bad peer as mean?", "a peer that behaves badly"),           # the words apart
    ("what is segment routing in ospf?", "segment routing is not in this RFC; OSPF ..."),  # not in one run
    ("what is the keepalive?", "KEEPALIVE"),                                 # one word: the cosine decides
    ("what does the rfc say about peers?", "peers"),
])
def test_not_when_the_subject_is_not_there_as_written(question, passage):
    assert named_verbatim(question, [passage]) is None


SUBCODES = ("RFC 4271 6.2 (OPEN Message Error Handling): If the Autonomous System field of the OPEN message "
            "is unacceptable, then the Error Subcode MUST be set to Bad Peer AS.")


def _far(question):
    """An embedder under which the question is far from every passage (the trial's 0.33)."""
    return lambda text: [1.0, 0.0] if text.lower().startswith(question[:12].lower()) else [0.0, 1.0]


def _counts(terms):
    return 100, {t: 3 for t in terms}


def test_a_far_cosine_is_overruled_by_the_subject_word_for_word():
    from netops.agent.abstain import assess

    q = "what does bad peer as mean?"
    cov = assess(q, [SUBCODES], counts=_counts, embed=_far(q))
    assert cov.covered and cov.similarity < 0.1 and "bad peer" in cov.reason, cov


def test_a_far_cosine_still_refuses_a_passage_without_the_subject():
    from netops.agent.abstain import assess

    q = "what does bad peer as mean?"
    cov = assess(q, ["A peer is bad when it sends malformed UPDATE messages."], counts=_counts, embed=_far(q))
    assert not cov.covered, cov


def test_bad_peer_as_is_answered_from_rfc_4271(make_assistant):
    answer = make_assistant().ask("what does bad peer as mean?", offline=True)
    assert "do not cover" not in answer.text, answer.text
    assert "Bad Peer AS" in answer.text
