"""The approval gate, pinned from outside: every change reaches the approver with its plan, a
"no" (or no approver at all) changes nothing, and ``--yes`` follows the policy to the second."""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone

import pytest

from netops.errors import ApprovalDenied, ConfigError
from netops.playbook.approval import AllowAll, Approval, CliApprover, DenyAll, PolicyApprover
from netops.playbook.policy import ApprovalPolicy, Window, load_policy
from netops.playbook.runner import execute, plan

DESC = {"interface": "eth-r2", "description": "gate test"}


class Spy:
    """An approver that records what it was asked and answers as told."""

    def __init__(self, answer: bool, *, interactive: bool = True) -> None:
        self.answer, self.interactive = answer, interactive
        self.plans: list = []

    def approve(self, plan):
        self.plans.append(plan)
        return Approval(self.answer, "spy", "spy says " + ("yes" if self.answer else "no"), interactive=self.interactive)


def _with_risk(cat, name: str, risk: str) -> None:
    y = cat.path_of(name) / "playbook.yaml"
    text = y.read_text()
    old = next(ln for ln in text.splitlines() if ln.startswith("risk:"))
    y.write_text(text.replace(old, f"risk: {risk}"))
    cat.lock_for(cat.get(name)).vet(cat.get(name), "unit-reviewer")


# -- the runner always asks, with the plan ------------------------------------------------

@pytest.mark.parametrize("risk", ["low", "medium", "high"])
def test_every_risk_level_reaches_the_approver_and_a_no_changes_nothing(risk, pb_settings, vetted, devices, sim, audit):
    _with_risk(vetted, "interface-description", risk)
    p = plan(pb_settings, "interface-description", "r1", DESC, devices=devices, audit=audit)
    assert p.ok and p.risk == risk
    spy = Spy(False)
    with pytest.raises(ApprovalDenied, match="spy says no"):
        execute(p, approver=spy, devices=devices, audit=audit)
    assert spy.plans == [p] and spy.plans[0] is p
    assert sim.routers["r1"].configs == []
    denial = audit.list(kind="denial")[-1].payload
    assert denial["by"] == "spy" and denial["risk"] == risk and denial["plan_seq"] == p.audit_seq
    assert audit.list(kind="approval") == [] and audit.list(kind="apply") == []


@pytest.mark.parametrize("risk", ["low", "medium", "high"])
def test_every_risk_level_applies_only_after_a_yes(risk, pb_settings, vetted, devices, sim, audit):
    _with_risk(vetted, "interface-description", risk)
    p = plan(pb_settings, "interface-description", "r1", DESC, devices=devices, audit=audit)
    spy = Spy(True)
    report = execute(p, approver=spy, devices=devices, audit=audit)
    assert spy.plans == [p]
    assert report.approval.approved and report.approval.by == "spy"
    assert report.hosts["r1"].state == "verified"
    assert "description gate test" in sim.routers["r1"].running()
    kinds = [r.kind for r in audit.list(limit=None) if r.kind != "device_command"]
    assert kinds.index("approval") < kinds.index("apply")
    assert audit.list(kind="approval")[-1].payload["by"] == "spy"


def test_a_person_who_said_no_is_not_told_to_run_interactively(pb_settings, vetted, devices, sim, audit):
    """'n' or Ctrl-C at the prompt ended with 'hint: run interactively to approve at the prompt,
    or ask for a policy that allows it': the person was at the prompt. That hint is for the
    non-interactive denials (no terminal, --yes without a policy) only."""
    p = plan(pb_settings, "interface-description", "r1", DESC, devices=devices, audit=audit)
    for answer in (False, None):  # declined, and Ctrl-C at the prompt
        def confirm(q, answer=answer):
            if answer is None:
                raise KeyboardInterrupt
            return answer
        with pytest.raises(ApprovalDenied) as ei:
            execute(p, approver=CliApprover("alice", confirm), devices=devices, audit=audit)
        assert "interactively" not in (ei.value.hint or "") and ei.value.exit_code == 5
        p = plan(pb_settings, "interface-description", "r1", DESC, devices=devices, audit=audit)
    with pytest.raises(ApprovalDenied) as ei:
        execute(p, approver=DenyAll("not interactive and --yes not given"), devices=devices, audit=audit)
    assert "run interactively" in ei.value.hint


def test_deny_all_is_a_no(pb_settings, vetted, devices, sim, audit):
    p = plan(pb_settings, "interface-description", "r1", DESC, devices=devices, audit=audit)
    with pytest.raises(ApprovalDenied) as ei:
        execute(p, approver=DenyAll(), devices=devices, audit=audit)
    assert ei.value.exit_code == 5 and "denied by DenyAll" in ei.value.message
    assert sim.routers["r1"].configs == []
    assert DenyAll().approve(p) == Approval(False, "deny-all", "denied by DenyAll")
    assert AllowAll().approve(p).approved and AllowAll().approve(p).interactive


def test_cli_approver_asks_with_the_plan_and_defaults_to_no(pb_settings, vetted, devices, sim):
    p = plan(pb_settings, "interface-description", "r1", DESC, devices=devices)
    asked = []

    def confirm(q):
        asked.append(q)
        return False

    a = CliApprover("alice", confirm).approve(p)
    assert not a.approved and a.by == "alice" and a.interactive
    assert asked == [f"Apply interface-description ({p.risk} risk) to r1?"]
    assert CliApprover("bob", lambda q: True).approve(p) == Approval(True, "bob", "approved at the prompt", True)

    def eof(q):
        raise EOFError

    def ctrl_c(q):
        raise KeyboardInterrupt

    assert not CliApprover("c", eof).approve(p).approved
    assert not CliApprover("c", ctrl_c).approve(p).approved


# -- the approval policy (--yes) ----------------------------------------------------------

POLICY = """
roles:
  operator: {max_risk: low}
  engineer:
    max_risk: medium
    windows:
      - {days: [mon, tue, wed, thu, fri], start: "09:00", end: "17:00"}
  night:
    max_risk: high
    windows:
      - {days: [fri], start: "22:00", end: "06:00"}
  viewer: {}
users:
  alice: engineer
  olga: operator
  nina: night
  vic: viewer
"""
MON = datetime(2026, 11, 30, tzinfo=timezone.utc)  # a Monday
FRI = datetime(2026, 11, 27, tzinfo=timezone.utc)  # a Friday


def _policy(tmp_path, text=POLICY, name="policy.yaml"):
    f = tmp_path / name
    f.write_text(text)
    return load_policy(f)


def _at(day: datetime, hh: int, mm: int = 0, ss: int = 0, us: int = 0) -> datetime:
    return day + timedelta(hours=hh, minutes=mm, seconds=ss, microseconds=us)


@pytest.mark.parametrize("when,ok", [
    (_at(MON, 9), True),                      # exactly at the start
    (_at(MON, 12), True),
    (_at(MON, 16, 59, 59), True),             # the last second
    (_at(MON, 16, 59, 59, 999999), True),
    (_at(MON, 17), False),                    # exactly at the end
    (_at(MON, 17, 0, 1), False),              # one second past the end
    (_at(MON, 17, 1), False),                 # one minute past the end
    (_at(MON, 18), False),                    # an hour past the end
    (_at(MON, 8, 59, 59), False),             # one second before the start
    (_at(MON, 0), False),
    (_at(MON + timedelta(days=5), 12), False),  # Saturday: not a window day
    (_at(MON + timedelta(days=6), 12), False),  # Sunday
    (_at(MON + timedelta(days=4), 12), True),   # Friday
])
def test_window_boundaries(tmp_path, when, ok):
    policy = _policy(tmp_path)
    allowed, why = policy.auto_approve("alice", "medium", when)
    assert allowed is ok, why
    if ok:
        assert "inside its change window" in why and "'engineer'" in why
    else:
        assert "outside the change windows of role 'engineer'" in why


@pytest.mark.parametrize("when,ok", [
    (_at(FRI, 22), True),                       # starts Friday 22:00
    (_at(FRI, 21, 59, 59), False),
    (_at(FRI, 23, 59, 59), True),
    (_at(FRI + timedelta(days=1), 0), True),    # Saturday after midnight: Friday's window
    (_at(FRI + timedelta(days=1), 5, 59, 59), True),
    (_at(FRI + timedelta(days=1), 6), False),   # exactly at the end
    (_at(FRI + timedelta(days=1), 6, 0, 1), False),
    (_at(FRI + timedelta(days=1), 7), False),
    (_at(FRI, 5), False),                       # Friday early morning belongs to Thursday
    (_at(FRI + timedelta(days=1), 22), False),  # Saturday night: not a window day
    (_at(FRI - timedelta(days=1), 23), False),  # Thursday night
])
def test_window_across_midnight_belongs_to_the_day_it_starts(tmp_path, when, ok):
    allowed, why = _policy(tmp_path).auto_approve("nina", "high", when)
    assert allowed is ok, why


def test_window_is_judged_in_utc(tmp_path):
    plus2 = timezone(timedelta(hours=2))
    # 18:30 at UTC+2 is 16:30 UTC: inside; 10:30 at UTC+2 is 08:30 UTC: outside.
    assert _policy(tmp_path).auto_approve("alice", "low", datetime(2026, 11, 30, 18, 30, tzinfo=plus2))[0]
    assert not _policy(tmp_path).auto_approve("alice", "low", datetime(2026, 11, 30, 10, 30, tzinfo=plus2))[0]
    w = Window(start=time(9), end=time(17))
    assert w.days == ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    assert w.contains(_at(MON + timedelta(days=6), 9)) and not w.contains(_at(MON + timedelta(days=6), 17))


@pytest.mark.parametrize("user,risk,ok,why", [
    ("olga", "low", True, "policy: role 'operator' allows low risk"),
    ("olga", "medium", False, "role 'operator' may auto-approve up to low, this plan is medium risk"),
    ("olga", "high", False, "up to low"),
    ("alice", "low", True, "role 'engineer' allows low risk inside its change window"),
    ("alice", "medium", True, "allows medium risk"),
    ("alice", "high", False, "up to medium, this plan is high risk"),
    ("nina", "high", False, "outside the change windows"),
    ("vic", "low", False, "role 'viewer' may auto-approve up to nothing"),
    ("mallory", "low", False, "user 'mallory' has no role in the approval policy"),
])
def test_risk_per_role(tmp_path, user, risk, ok, why):
    allowed, reason = _policy(tmp_path).auto_approve(user, risk, _at(MON, 10))
    assert allowed is ok
    assert why in reason
    if ok and user == "olga":
        assert reason == why  # no windows: nothing about a window


def test_default_role_and_undefined_role(tmp_path):
    p = _policy(tmp_path, POLICY + "default_role: operator\n")
    assert p.role_of("mallory") == "operator"
    assert p.auto_approve("mallory", "low", _at(MON, 10))[0]
    assert not p.auto_approve("mallory", "medium", _at(MON, 10))[0]
    p = ApprovalPolicy(roles={}, users={}, default_role="ghost")
    ok, why = p.auto_approve("x", "low", _at(MON, 10))
    assert not ok and "role 'ghost' of user 'x' is not defined" in why
    with pytest.raises(ConfigError, match="undefined role 'boss'"):
        _policy(tmp_path, POLICY + "  eve: boss\n", "bad.yaml")


def test_policy_approver_without_a_policy_file_denies(pb_settings, vetted, devices, sim, audit):
    p = plan(pb_settings, "interface-description", "r1", DESC, devices=devices, audit=audit)
    assert not pb_settings.paths.policy_file.exists()
    a = PolicyApprover(pb_settings).approve(p)
    assert not a.approved and "--yes is not allowed" in a.reason and a.by == pb_settings.user
    with pytest.raises(ApprovalDenied):
        execute(p, approver=PolicyApprover(pb_settings), devices=devices, audit=audit)
    assert sim.routers["r1"].configs == []


def test_policy_approver_follows_the_window_through_execute(pb_settings, vetted, devices, sim, audit):
    pf = pb_settings.paths.policy_file
    pf.parent.mkdir(parents=True, exist_ok=True)
    pf.write_text(POLICY.replace("alice: engineer", f"{pb_settings.user}: engineer"))
    p = plan(pb_settings, "interface-description", "r1", DESC, devices=devices, audit=audit)
    late = PolicyApprover(pb_settings, now=lambda: _at(MON, 17, 0, 1))
    with pytest.raises(ApprovalDenied, match="outside the change windows"):
        execute(p, approver=late, devices=devices, audit=audit)
    assert sim.routers["r1"].configs == []
    ontime = PolicyApprover(pb_settings, now=lambda: _at(MON, 16, 59))
    a = ontime.approve(p)
    assert a.approved and not a.interactive
    report = execute(p, approver=ontime, devices=devices, audit=audit)
    assert report.hosts["r1"].state == "verified"


def test_read_only_playbook_needs_no_approver(pb_settings, vetted, devices, sim, audit):
    p = plan(pb_settings, "bgp-health", "r1", {}, devices=devices, audit=audit)
    spy = Spy(False)
    report = execute(p, approver=spy, devices=devices, audit=audit)
    assert spy.plans == [] and report.approval.approved
    assert sim.routers["r1"].configs == []


def _plan(*hosts):
    from types import SimpleNamespace

    return SimpleNamespace(playbook="interface-description", risk="low", hosts=list(hosts), actor="a")


def test_approvers_say_exactly_who_and_why():
    p = _plan("r1")
    assert AllowAll().approve(p) == Approval(True, "allow-all (tests)", "approved by AllowAll", interactive=True)
    assert AllowAll("bob", interactive=False).approve(p) == Approval(True, "bob", "approved by AllowAll",
                                                                     interactive=False)
    assert DenyAll("freeze").approve(p) == Approval(False, "deny-all", "freeze")
    assert CliApprover("c", lambda q: False).approve(p) == Approval(False, "c", "declined at the prompt",
                                                                    interactive=True)

    def eof(q):
        raise EOFError

    a = CliApprover("c", eof).approve(p)
    assert a.approved is False and a.reason == "declined at the prompt"


def test_cli_approver_question_names_every_host():
    asked = []
    CliApprover("c", lambda q: asked.append(q) or False).approve(_plan("r1", "r2", "r3"))
    assert asked == ["Apply interface-description (low risk) to r1, r2, r3?"]


def test_cli_approver_default_prompt_defaults_to_no_on_stderr(monkeypatch):
    import click

    calls = []

    def confirm(*args, **kw):
        calls.append((args, kw))
        return True

    monkeypatch.setattr(click, "confirm", confirm)
    a = CliApprover("dave").approve(_plan("r1"))
    assert a == Approval(True, "dave", "approved at the prompt", interactive=True)
    assert calls == [(("Apply interface-description (low risk) to r1?",), {"default": False, "err": True})]


def test_policy_approver_names_the_user_either_way(pb_settings):
    p = _plan("r1")
    a = PolicyApprover(pb_settings).approve(p)
    assert a.approved is False and a.by == pb_settings.user
    pf = pb_settings.paths.policy_file
    pf.parent.mkdir(parents=True, exist_ok=True)
    pf.write_text(f"roles:\n  op: {{max_risk: low}}\nusers:\n  {pb_settings.user}: op\n")
    a = PolicyApprover(pb_settings).approve(p)
    assert a == Approval(True, pb_settings.user, "policy: role 'op' allows low risk")


def test_ctrl_c_at_a_prompt_is_recorded_as_a_cancel_not_a_choice():
    """Ctrl-C at the yes/no prompt made no choice: the approver said 'declined at the prompt' as if
    the person had answered no. The words come from one place, the one every surface uses."""
    from netops.playbook.approval import prompt_reason

    def interrupted(q):
        raise KeyboardInterrupt

    a = CliApprover("c", interrupted).approve(_plan("r1"))
    assert a == Approval(False, "c", "cancelled at the prompt (Ctrl-C)", interactive=True)
    assert [prompt_reason(x) for x in (True, False, None)] == [
        "approved at the prompt", "declined at the prompt", "cancelled at the prompt (Ctrl-C)"]
    assert prompt_reason(None, where="in netops chat") == "cancelled in netops chat (Ctrl-C)"
