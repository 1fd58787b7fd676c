"""A question whether a BGP session reset, restarted or flapped asks what happened, which the
session's uptime in 'show bgp summary' answers: it is read, not answered as a question about the
vetted soft clear (it was: "this asks about a change rather than for one", nothing read). Other
phrasings than the blind set's known miss; the guards (a request, a hypothetical, a question
about the playbook) passed before."""

from __future__ import annotations

import pytest
from tests._phrasings import bench


READS = [
    ("did r2's bgp session to r1 reset?", ["r2"]),
    ("has the bgp session on r3 restarted today?", ["r3"]),
    ("when did r1 last reset its session with r2?", ["r1"]),
    ("did any bgp peer bounce overnight?", ["r1", "r2", "r3"]),
    ("was the session between r2 and r3 reset recently", ["r2"]),
    ("have any bgp sessions been cleared in the last hour?", ["r1", "r2", "r3"]),
]
NOT_READS = [
    ("reset the bgp session on r2 with r1", "change"),     # a request: the matcher's (clarify: soft?)
    ("what does bgp-soft-clear do?", "kb"),
]


@pytest.fixture(scope="module")
def harness(tmp_path_factory):
    h = bench.Harness(tmp_path_factory.mktemp("past-resets"))
    yield h
    h.close()


@pytest.mark.parametrize("question, hosts", READS, ids=[q for q, _ in READS])
def test_a_past_reset_is_read_from_the_sessions(harness, question, hosts):
    got = harness.ask(question)
    assert got["expect"] == "read", bench._short(got)
    getters = {r["getter"] for r in got["reads"]}
    read_hosts = {r["host"] for r in got["reads"]}
    assert getters == {"bgp_neighbors"} and set(hosts) <= read_hosts, bench._short(got)
    assert not got["other"]


@pytest.mark.parametrize("question, kind", NOT_READS, ids=[q for q, _ in NOT_READS])
def test_a_request_or_a_question_about_the_playbook_is_not_read(harness, question, kind):
    got = harness.ask(question)
    assert got["expect"] == kind and not got.get("reads") and not got["other"], bench._short(got)


@pytest.mark.parametrize("question", ["did r2's bgp session reset? clear it on r2",
                                      "has the session on r1 restarted, if not reset it on r1"])
def test_a_request_after_the_question_is_still_a_request(harness, question):
    """(diff review) The past-tense question cleared the change words of the whole text: the
    request after it was silently dropped (only a read was made)."""
    got = harness.ask(question)
    assert got["expect"] != "read", bench._short(got)
    assert not got["other"]
