"""Questions about netops's own audit log, answered from the log (trial21).

"show me the audit log" and "verify the audit chain" were "no known intent matched" offline (and the
reply said a language model was needed, which it is not): the log is netops's own, local and
read-only to read. Now both modes answer them from the log, without a device or a model:

- "is the audit log intact?", "verify the audit chain", "has the audit log been tampered with?":
  the chain walked (:meth:`netops.store.audit.AuditLog.verify`), its verdict, and the command
  that does the same with anchors (``netops audit verify --anchor FILE``);
- "show me the audit log", "what's in the audit trail?", "last audit entries": the newest records
  (seq, time, actor, kind, what), and ``netops audit list`` / ``netops audit show SEQ``.

"what changed on r2?" stays the change-history question (netops.agent.offline.answer_history).
"""

from __future__ import annotations

import re
from typing import Any

_AUDIT = r"(?:audit(?:ing)?\s*(?:log|trail|chain|records?|entries|history|db|database)?|hash[- ]chain)"
_VERIFY = re.compile(rf"\b(?:verify|verif\w+|validate|check|intact|tamper\w*|integrity|untampered|valid|"
                     rf"consistent|altered|modified|broken|ok|okay|sound)\b[^?\n]*\b{_AUDIT}\b|\b{_AUDIT}\b[^?\n]*"
                     rf"\b(?:intact|tamper\w*|integrity|valid|verif\w+|ok|okay|broken|altered|modified|consistent|"
                     rf"sound|check\w*)\b", re.IGNORECASE)
_SHOW = re.compile(rf"^\W*(?:(?:please|can\s+you|could\s+you|pls)\s+)*(?:show|list|display|print|dump|read|get|give|"
                   rf"open|see|view|what'?s\s+in|what\s+is\s+in|tail)\b[^?\n]*\b{_AUDIT}\b"
                   rf"|^\W*(?:the\s+)?(?:last|latest|newest|recent)\s+(?:\d+\s+)?{_AUDIT}\b"
                   rf"|^\W*{_AUDIT}\W*$", re.IGNORECASE)
SHOWN = 10


_CLAUSES = re.compile(r"\b(?:and(?:\s+then)?|then|also|after\s+that|afterwards)\b|[;,]", re.IGNORECASE)
_FILLER = re.compile(r"^\W*(?:please|pls|now|thanks|thank\s+you|too|as\s+well)?\W*$", re.IGNORECASE)


def asked(question: str, hosts: list[str] | tuple[str, ...] = ()) -> str | None:
    """``"verify"``, ``"list"`` or None: what ``question`` asks of netops's audit log. None when it
    asks something else beside it ("drain r1 and check the audit trail": the change is not lost
    to an audit answer) or names a device ("is the audit log on r1 intact?", "verify audit logging
    is configured on r1": the device's own audit, not netops's log)."""
    q = question.strip()
    if "\n" in q or not re.search(r"\baudit|hash[- ]chain", q, re.IGNORECASE):
        return None
    if any(not _FILLER.match(part) and not re.search(r"\baudit|hash[- ]chain", part, re.IGNORECASE)
           for part in _CLAUSES.split(q)):
        return None
    if _named(q, hosts) and not _SHOW.search(q):  # "the audit log for r2" lists r2's records (below)
        return None
    if _VERIFY.search(q) and not _named(q, hosts):
        return "verify"
    if _SHOW.search(q):
        return "list"
    return None


def _named(question: str, hosts: list[str] | tuple[str, ...]) -> list[str]:
    """The inventory hosts ``question`` names, in its order."""
    known = {h.lower(): h for h in hosts}
    return list(dict.fromkeys(known[w.lower()] for w in re.findall(r"[\w.-]+", question) if w.lower() in known))


def _hosts(rec: Any) -> set[str]:
    p = rec.payload or {}
    return {str(h) for h in ([p.get("host")] if p.get("host") else []) + list(p.get("hosts") or [])}


def _what(rec: Any) -> str:
    p = rec.payload or {}
    host = p.get("host") or ", ".join(p.get("hosts") or []) or ""
    bits = [p.get("playbook") or "", p.get("command") or "", f"on {host}" if host else ""]
    return " ".join(b for b in bits if b).strip() or "-"


def answer(question: str, ctx: Any, hosts: list[str] | tuple[str, ...] = ()) -> str | None:
    """The answer, from the audit log alone; None when ``question`` is not about the log."""
    kind = asked(question, hosts)
    if kind is None:
        return None
    log = ctx.get_audit()
    if log is None:
        return None
    if kind == "verify":
        report = log.verify()
        if report.ok:
            return (f"**The audit log verifies:** {report.count} records, every hash and link checks out; head seq "
                    f"{report.head_seq}. This checked the chain and its head, no anchor: "
                    "`netops audit verify --anchor FILE` also checks it against an anchor kept outside NETOPS_HOME "
                    "(`netops audit anchor --to FILE` writes one), which catches a log rewritten by someone "
                    "holding the audit key.")
        lines = [f"**The audit log does not verify:** {len(report.problems)} problem(s); the first at seq "
                 f"{report.problems[0].seq}: {report.problems[0].problem}."]
        lines += [f"- seq {p.seq}: {p.problem}" for p in report.problems[1:5]]
        lines.append("Keep a copy of the audit database for investigation; `netops audit verify` names every problem.")
        return "\n".join(lines)
    m = re.search(r"\b(\d{1,3})\b", question)
    n = min(int(m.group(1)), 50) if m and int(m.group(1)) > 0 else SHOWN
    named = _named(question, hosts)
    if named:  # "the audit log for r2": the records about r2 (a read, a plan, a change of it)
        about = [r for r in reversed(log.list(limit=5000)) if set(named) & _hosts(r)][:n]  # the newest 5,000 searched
        if not about:
            return (f"**netops's audit log has no record about {', '.join(named)}** (no read or change of "
                    f"{'it' if len(named) == 1 else 'them'} by netops yet). `netops audit list` lists every record.")
        rows = [f"- seq {r.seq} {r.ts} {r.actor} **{r.kind}** {_what(r)}" for r in about]
        return "\n".join([f"**The newest {len(about)} records of netops's audit log about {', '.join(named)}** "
                          "(newest first):", *rows, "",
                          "`netops audit show SEQ` shows one record whole, `netops audit verify` checks the hash chain."])
    records = list(reversed(log.list(limit=n)))  # (the log gives them oldest first)
    if not records:
        return "**The audit log is empty:** netops has recorded no device read or change yet."
    rows = [f"- seq {r.seq} {r.ts} {r.actor} **{r.kind}** {_what(r)}" for r in records]
    return "\n".join([f"**The newest {len(records)} records of netops's audit log** (newest first):", *rows, "",
                      "`netops audit show SEQ` shows one record whole, `netops audit list --kind apply` lists the "
                      "changes, `netops audit verify` checks the hash chain."])
