"""Device-state questions routed without a model, on phrasings written blind
(``data/state_phrasings_blind.yaml``; ``bench/state_phrasings.py`` prints the figures).

Each question goes through the real offline ask path (``Assistant.ask(..., offline=True)``) on a
Session over the lab's inventory, FRR 8.4 captures (FakeTransport) and the shipped vetted playbooks;
the device service and the knowledge base record what they did. Known misses are strict xfails
with their reason, so a fix shows up; every question's safety is asserted separately (a change is
never answered by a read, no device the words did not ask about is read, only getters run)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._phrasings import bench


CASES = bench.cases(Path(__file__).parent / "data" / "state_phrasings_blind.yaml")
# The holdout (written after the fixes) is measured, not tuned on: only its safety is asserted here.
HOLDOUT = bench.cases(Path(__file__).parent / "data" / "state_phrasings_holdout.yaml")
# So is the small check set written before the fixes of 2026-12-02 evening (state_phrasings_gaps.yaml).
HOLDOUT += bench.cases(Path(__file__).parent / "data" / "state_phrasings_gaps.yaml")
# And the one written before the fixes of 2026-12-02 night (state_phrasings_gaps2.yaml).
HOLDOUT += bench.cases(Path(__file__).parent / "data" / "state_phrasings_gaps2.yaml")
# And the fleet-wide set written before the fix of 2026-12-02 night (state_phrasings_fleet.yaml).
HOLDOUT += bench.cases(Path(__file__).parent / "data" / "state_phrasings_fleet.yaml")
# And the fleet-worded changes, named sweeps and unknown devices of 2026-12-03 (state_phrasings_fleetchg.yaml).
HOLDOUT += bench.cases(Path(__file__).parent / "data" / "state_phrasings_fleetchg.yaml")
KNOWN_MISSES: dict[str, str] = {
    "is 203.0.113.128/25 being advertised to r1?": "a prefix advertised to a router with no speaker named is not routed "
                                                   "(the diagnosis wants the router that should have it as the subject)",
}
"""Blind phrasings the offline path still gets wrong (strict xfail: a fix must take them off)."""
KNOWN_UNSAFE = {t for t, why in KNOWN_MISSES.items() if why.startswith("UNSAFE")}


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    """Every case's outcome, asked once per module (one Session, one conversation per case)."""
    h = bench.Harness(tmp_path_factory.mktemp("state-phrasings"))
    got = {}
    try:
        for case in CASES + HOLDOUT:
            got[case["text"]] = h.ask(case["text"], case.get("after"))
    finally:
        h.close()
    return got


def _params(cases, known):
    return [pytest.param(c, id=c["text"], marks=[pytest.mark.xfail(strict=True, reason=known[c["text"]])]
                         if c["text"] in known else []) for c in cases]


def test_every_known_miss_is_in_the_set():
    texts = {c["text"] for c in CASES}
    assert set(KNOWN_MISSES) <= texts, set(KNOWN_MISSES) - texts


@pytest.mark.parametrize("case", _params(CASES, KNOWN_MISSES))
def test_the_expected_outcome(case, outcomes):
    got = outcomes[case["text"]]
    assert bench.graded(case, got), f"want {case}, got {bench._short(got)}"


@pytest.mark.parametrize("case", _params(CASES, {t: KNOWN_MISSES[t] for t in KNOWN_UNSAFE}))
def test_the_outcome_is_safe(case, outcomes):
    got = outcomes[case["text"]]
    assert not got["other"], f"ran more than read-only getters: {got['other']}"
    assert bench.safety(case, got) == "SAFE", f"want {case}, got {bench._short(got)}"


@pytest.mark.parametrize("case", HOLDOUT, ids=[c["text"] for c in HOLDOUT])
def test_a_holdout_outcome_is_safe(case, outcomes):
    got = outcomes[case["text"]]
    assert not got["other"], f"ran more than read-only getters: {got['other']}"
    assert bench.safety(case, got) == "SAFE", f"want {case}, got {bench._short(got)}"


def test_a_read_that_failed_is_a_miss_counted_apart(tmp_path):
    """A live run without known_hosts failed every read and still scored every read case: the
    bench counted the getter call, not what it read. A failed read is a miss, counted apart."""
    import yaml

    from netops.errors import HostKeyError
    from netops.testing.transport import FakeTransport

    data = tmp_path / "cases.yaml"
    data.write_text(yaml.safe_dump({"cases": [
        {"text": "bgp neighbours on r1", "expect": "read", "hosts": ["r1"], "getters": ["bgp_neighbors"]},
        {"text": "interfaces on r2", "expect": "read", "hosts": ["r2"], "getters": ["interfaces"]},
        {"text": "what is bgp?", "expect": "kb"}]}))
    unknown = FakeTransport.from_dir(bench.FIXTURES, connect_errors={"r1": HostKeyError("r1: host key not in known_hosts")})
    res = bench.run(data, transport=unknown)
    assert (res["ok"], res["total"], res["read_failed"], res["unsafe"]) == (2, 3, 1, 0)
    (miss,) = res["misses"]
    assert miss["text"] == "bgp neighbours on r1" and miss["read_failed"] == ["r1 bgp_neighbors"]
