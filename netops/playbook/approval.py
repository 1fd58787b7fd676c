"""Approval: who says yes to a plan. Injected into :func:`netops.playbook.runner.execute`.

* :class:`CliApprover` shows nothing itself (the CLI has printed the plan) and asks a yes/no
  question through an injected prompt function.
* :class:`PolicyApprover` approves without asking when the approval policy allows it for the
  plan's risk and the current time (``--yes``); otherwise it denies with the reason.
* :class:`DenyAll` says no (nobody to ask: a non-interactive run without ``--yes``; tests).
* :class:`AllowAll` is for tests only and must never be wired to a CLI.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from netops.playbook.runner import Plan
    from netops.settings import Settings


@dataclass(frozen=True)
class Approval:
    approved: bool
    by: str
    reason: str
    interactive: bool = False
    """A person said yes at a prompt just now. Non-interactive approvals (a policy, ``--yes``)
    cover no change the reviewer warned about; no approval covers a change the person's own
    question did not ask for (see :mod:`netops.agent.intent`)."""


def wait_words(seconds: float) -> str:
    """``10 minutes``, ``90 seconds``, ``1 minute``: how long a plan waited, as said to a person."""
    if seconds >= 120 or (seconds >= 60 and seconds % 60 == 0):
        n = round(seconds / 60)
        return f"{n} minute{'s' if n != 1 else ''}"
    n = max(1, round(seconds))
    return f"{n} second{'s' if n != 1 else ''}"


def expired_reason(seconds: float, hosts: "list[str] | tuple[str, ...]") -> str:
    """The reason recorded when nobody answered a plan's approval within ``seconds``
    (``settings.approval_timeout``): every surface that asks (the chat, ``netops ask``,
    ``netops playbook run``) says it in these words."""
    return (f"no answer within {wait_words(seconds)}: the plan expired and {', '.join(hosts)} can be "
            "changed by other runs again; ask again for a fresh plan")


def prompt_reason(answer: bool | None, *, where: str = "at the prompt") -> str:
    """The reason recorded (audit log, the answer's approval record) for a person's answer to an
    approval prompt: ``True`` approved, ``False`` declined, ``None`` the prompt was cancelled with
    Ctrl-C (no choice was made: recorded as a cancel, and never as an approval). ``where`` names
    the prompt: ``at the prompt`` (``netops ask``, ``netops playbook run``) or ``in netops chat``
    (the chat's approval window). Every surface takes its words from here."""
    if answer is None:
        return f"cancelled {where} (Ctrl-C)"
    return f"{'approved' if answer else 'declined'} {where}"


@runtime_checkable
class Approver(Protocol):
    def approve(self, plan: "Plan") -> Approval:
        """Decide on ``plan``. Must not raise for a plain "no": return ``approved=False``."""
        ...


class CliApprover:
    """Ask a person. ``confirm(question) -> bool`` defaults to a click prompt on the terminal.
    A ``confirm`` that gives up (raises :class:`TimeoutError`: nobody answered within
    ``timeout`` seconds) is a denial by nobody: the plan expired, and the hosts' change locks,
    held while the prompt is open, go to other runs."""

    def __init__(self, user: str, confirm: Callable[[str], bool] | None = None, *,
                 timeout: float | None = None) -> None:
        self.user = user
        self._confirm = confirm
        self.timeout = timeout

    def approve(self, plan: "Plan") -> Approval:
        confirm = self._confirm
        if confirm is None:
            import click

            def confirm(q: str) -> bool:
                return click.confirm(q, default=False, err=True)

        hosts = ", ".join(plan.hosts)
        question = f"Apply {plan.playbook} ({plan.risk} risk) to {hosts}?"
        if getattr(plan, "warnings", None):  # said above in full; the question must not hide it
            question = (f"Apply {plan.playbook} ({plan.risk} risk) to {hosts}, though a post-check fails now "
                        "(it will likely be rolled back)?")
        answer: bool | None
        try:
            answer = bool(confirm(question))
        except EOFError:  # no more input: the default, no
            answer = False
        except TimeoutError:  # nobody answered: nobody approved
            return Approval(False, "nobody", expired_reason(self.timeout or 0, plan.hosts))
        except KeyboardInterrupt:
            answer = None
        return Approval(bool(answer), self.user, prompt_reason(answer), interactive=True)


class PolicyApprover:
    """Approve only what the approval policy allows the user to approve with ``--yes``."""

    def __init__(self, settings: "Settings", *, now: Callable[[], datetime] | None = None) -> None:
        self.settings = settings
        self._now = now or (lambda: datetime.now(timezone.utc))

    def approve(self, plan: "Plan") -> Approval:
        from netops.playbook.policy import load_policy

        policy = load_policy(self.settings.paths.policy_file)
        if policy.source is None:
            return Approval(False, self.settings.user,
                            f"no approval policy at {self.settings.paths.policy_file}; --yes is not allowed")
        ok, why = policy.auto_approve(self.settings.user, plan.risk, self._now())
        return Approval(ok, self.settings.user, why)


class DenyAll:
    """Says no to everything (tests, and dry runs that must never apply)."""

    def __init__(self, reason: str = "denied by DenyAll", *, by: str = "deny-all") -> None:
        self.reason = reason
        self.by = by

    def approve(self, plan: "Plan") -> Approval:
        return Approval(False, self.by, self.reason)


class AllowAll:
    """Says yes to everything, as a person at a prompt would (``interactive``). For tests only."""

    def __init__(self, by: str = "allow-all (tests)", *, interactive: bool = True) -> None:
        self.by = by
        self.interactive = interactive

    def approve(self, plan: "Plan") -> Approval:
        return Approval(True, self.by, "approved by AllowAll", interactive=self.interactive)
