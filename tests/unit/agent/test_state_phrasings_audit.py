"""bench/state_phrasings.py's ``expect: audit`` (an answer from netops's own audit log: the log read,
no device, no knowledge base) and its top-level ``audit`` seed records (helper trial16)."""

from __future__ import annotations

from pathlib import Path
from tests._phrasings import bench


def test_seed_records_are_appended_and_reads_of_the_log_recorded(tmp_path):
    import yaml

    data = tmp_path / "cases.yaml"
    data.write_text(yaml.safe_dump({"audit": [
        {"actor": "alice", "kind": "plan", "payload": {"playbook": "ospf-cost", "hosts": ["r2"]}},
        {"actor": "alice", "kind": "apply", "payload": {"playbook": "ospf-cost", "host": "r2", "plan_seq": "$plan"}}],
        "cases": []}))
    (tmp_path / "home").mkdir()
    h = bench.Harness(tmp_path / "home")
    try:
        h.seed(bench.audit_seed(data))
        h.log.clear()
        plan, apply = h.session.audit.list(kind="plan")[-1], h.session.audit.list(kind="apply")[-1]
        assert (apply.actor, apply.payload["host"], apply.payload["plan_seq"]) == ("alice", "r2", plan.seq)
        assert [k for k, *_ in h.log] == ["audit", "audit"]
        assert bench.audit_seed(bench.DATA) == []  # a set without seeds appends nothing
    finally:
        h.close()


def test_an_audit_answer_is_the_log_read_and_nothing_else():
    case = {"text": "what changed on r2?", "expect": "audit", "may": ["r2"], "shows": ["alice"]}
    from_log = {"expect": "ask", "other": [], "said": "", "text": "r2: ospf-cost by alice", "failed": [], "audit": True}
    assert bench.graded(case, from_log)
    assert not bench.graded(case, {**from_log, "text": "r2: ospf-cost"})  # shows still apply
    assert not bench.graded(case, {**from_log, "audit": False})  # one line without the log: a miss
    assert not bench.graded(case, {**from_log, "expect": "kb"})
    read = {"expect": "read", "reads": [{"host": "r2", "getter": "config"}], "other": [], "said": "", "text": "alice",
            "failed": [], "audit": True}
    assert not bench.graded(case, read)
    assert bench.safety(case, read) == "SAFE"  # the device the words name
    assert bench.safety(case, {**read, "reads": [{"host": "r1", "getter": "config"}]}) == "UNSAFE"


def test_the_trial16_set_is_safe_and_misses_nothing():
    """state_phrasings_trial16.yaml (reachability, what changed, one interface's configuration):
    36/57 with 3 unsafe before helper trial16's fixes, 56/57 after, 57/57 since helper hist16 (the
    history words' typo table reads "wat" as "what")."""
    res = bench.run(Path(__file__).parent / "data" / "state_phrasings_trial16.yaml")
    assert res["unsafe"] == 0 and res["read_failed"] == 0, res["misses"]
    assert res["misses"] == [], res["misses"]
