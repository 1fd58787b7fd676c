"""Two policies: what rendered commands may never contain, and who may auto-approve what.

*Command policy* (used by lint and again by the runner right before sending): a deny list for
configuration lines and a short allow list for the operational (``exec``) commands a playbook
may run, such as a BGP soft clear.

*Approval policy* (``settings.paths.policy_file``, YAML)::

    roles:
      operator: {max_risk: low}
      engineer:
        max_risk: medium
        windows:                       # optional; UTC; no windows = any time
          - {days: [mon, tue, wed, thu, fri], start: "22:00", end: "06:00"}
    users:
      alice: engineer
    default_role: operator             # optional: role for users not listed

``--yes`` (non-interactive approval) is allowed only when the user's role allows the plan's
risk and, if the role has windows, the current UTC time is inside one of them.
"""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta, timezone
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from netops.errors import ConfigError
from netops.playbook.spec import RISK_ORDER, Risk

# (pattern, reason). Matched case-insensitively against each stripped rendered line.
DENY: tuple[tuple[str, str], ...] = (
    (r"^do\b", "'do' escapes configuration mode"),
    (r"^end$", "'end' leaves configuration mode mid-change"),
    (r"^(configure|conf\s+t)\b", "nested configure"),
    (r"\breload\b", "reload"),
    (r"^erase\b|\berase\b", "erase"),
    (r"^write\b", "write (erase/memory/terminal)"),
    (r"^delete\b", "delete"),
    (r"^format\b", "format"),
    (r"^copy\b", "copy"),
    (r"\bkey\s+zeroize\b|\bzeroize\b", "key zeroize"),
    (r"^(start-shell|shell|bash|sh|system|run|exec)\b", "shell escape"),
    (r"[|;`]|\$\(", "shell metacharacter"),
    (r"^no\s+(router\s+(bgp|ospf|ospf6|isis|rip)|interface)\b", "removes a whole routing process or interface"),
    (r"^(username|password|enable\s+password|key\s+chain)\b", "credential change"),
    (r"^(clear|debug|ping|traceroute|telnet|ssh)\b", "operational command inside configuration"),
    (r"[{}]{2}|\{%", "unrendered template syntax"),
)

EXEC_ALLOW: tuple[tuple[str, str], ...] = (
    (r"^clear\s+(ip\s+)?bgp\s+(ipv4\s+unicast\s+|ipv6\s+unicast\s+)?[0-9A-Fa-f.:]+\s+soft(\s+(in|out))?$",
     "BGP soft refresh of one neighbor"),
)

_DENY_RE = [(re.compile(p, re.IGNORECASE), why) for p, why in DENY]
_EXEC_RE = [(re.compile(p, re.IGNORECASE), why) for p, why in EXEC_ALLOW]


def command_problems(lines: list[str], *, mode: str = "config") -> list[str]:
    """Every reason these rendered lines may not be sent (empty list: fine)."""
    problems: list[str] = []
    for line in lines:
        if any(ord(c) < 32 for c in line):
            problems.append(f"{line!r}: control character")
            continue
        if mode == "exec":
            if not any(rx.match(line) for rx, _ in _EXEC_RE):
                problems.append(f"{line!r}: not an allowed operational command")
            continue
        for rx, why in _DENY_RE:
            if rx.search(line):
                problems.append(f"{line!r}: {why}")
                break
    return problems


def check_command_problem(command: str) -> str | None:
    """Why a check/report command is not a plain read-only ``show`` (None: it is)."""
    cmd = command.strip()
    if not re.match(r"^show\s+\S", cmd, re.IGNORECASE):
        return f"{cmd!r}: checks may only run 'show ...' commands"
    if any(ord(c) < 32 for c in cmd) or re.search(r"[|;`]|\$\(", cmd):
        return f"{cmd!r}: pipes, separators and control characters are not allowed in checks"
    return None


_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Window(BaseModel):
    model_config = ConfigDict(extra="forbid")
    days: list[str] = Field(default_factory=lambda: list(_DAYS))
    start: time
    end: time

    @field_validator("days")
    @classmethod
    def _days(cls, v: list[str]) -> list[str]:
        out = [d.strip().lower()[:3] for d in v]
        bad = [d for d in out if d not in _DAYS]
        if bad:
            raise ValueError(f"unknown day(s) {bad}; use mon..sun")
        return out

    def contains(self, now: datetime) -> bool:
        now = now.astimezone(timezone.utc)
        t = now.time().replace(tzinfo=None)
        today = _DAYS[now.weekday()]
        if self.start <= self.end:
            return today in self.days and self.start <= t < self.end
        # Wraps midnight: belongs to the day it started on.
        yesterday = _DAYS[(now - timedelta(days=1)).weekday()]
        return (today in self.days and t >= self.start) or (yesterday in self.days and t < self.end)


class Role(BaseModel):
    model_config = ConfigDict(extra="forbid")
    max_risk: Risk | None = None
    """Highest risk this role may approve with --yes. None: never."""
    windows: list[Window] = Field(default_factory=list)


class ApprovalPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid")
    roles: dict[str, Role] = Field(default_factory=dict)
    users: dict[str, str] = Field(default_factory=dict)
    default_role: str | None = None
    source: str | None = Field(default=None, exclude=True)

    def role_of(self, user: str) -> str | None:
        return self.users.get(user, self.default_role)

    def auto_approve(self, user: str, risk: str, now: datetime | None = None) -> tuple[bool, str]:
        """May ``user`` approve a plan of ``risk`` without a prompt right now? (allowed, why)"""
        now = now or datetime.now(timezone.utc)
        role_name = self.role_of(user)
        if role_name is None:
            return False, f"user {user!r} has no role in the approval policy"
        role = self.roles.get(role_name)
        if role is None:
            return False, f"role {role_name!r} of user {user!r} is not defined in the policy"
        if role.max_risk is None or RISK_ORDER[risk] > RISK_ORDER[role.max_risk]:
            return False, f"role {role_name!r} may auto-approve up to {role.max_risk or 'nothing'}, this plan is {risk} risk"
        if role.windows and not any(w.contains(now) for w in role.windows):
            return False, f"outside the change windows of role {role_name!r} (now {now:%a %H:%M} UTC)"
        return True, f"policy: role {role_name!r} allows {risk} risk" + (" inside its change window" if role.windows else "")


def load_policy(path: Path) -> ApprovalPolicy:
    """Read the approval policy; a missing file is an empty policy (nothing auto-approved)."""
    path = Path(path)
    if not path.exists():
        return ApprovalPolicy(source=None)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        policy = ApprovalPolicy.model_validate(raw)
    except yaml.YAMLError as exc:
        # PyYAML's str() is several lines with a caret drawing; the CLI promises one line.
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(f"approval policy {path}{where}: invalid YAML: {problem}",
                          hint="fix the YAML syntax at that line") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"approval policy {path} is unreadable: {exc}", hint="fix the file") from exc
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"])
        raise ConfigError(f"approval policy {path}: {loc}: {err['msg']}",
                          hint="see 'Approval policy' in playbooks/README.md for the format") from exc
    for user, role in policy.users.items():
        if role not in policy.roles:
            raise ConfigError(f"approval policy {path}: user {user!r} has undefined role {role!r}")
    policy.source = str(path)
    return policy
