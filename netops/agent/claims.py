"""What a model's answer claims netops did, checked against what netops recorded.

A model can write that it drained a router, that an admin approved a change, or print a tool
call as text that was never run. Only the approval records and the tool-call records say what
happened; :func:`unbacked` names each claim they do not back, so the answer can say so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

_DONE = (r"drained|undrained|applied|shut(?:\s+down)?|changed|cleared|disabled|enabled|configured|removed|"
         r"added|approved|committed|pushed|rolled\s+back|reset|restarted|reloaded")
_CLAIMS = (
    # first person: "I have drained r2", "I've applied the change", "we pushed it"
    re.compile(rf"\b(?:I|we)(?:'ve|\s+have|\s+just|\s+now|\s+successfully)*\s+(?:{_DONE})\b(?!\s+(?:nothing|no)\b)",
               re.IGNORECASE),
    # an approval nobody recorded: "approved by admin", "authorised by the NOC"
    re.compile(r"\b(?:approved|authori[sz]ed|signed\s+off)\s+by\b", re.IGNORECASE),
    # "the change was applied", "the playbook has been executed"
    re.compile(r"\b(?:change|changes|playbook|drain|configuration|config)\s+(?:was|were|has\s+been|have\s+been|is\s+now)\s+"
               r"(?:successfully\s+)?(?:applied|approved|executed|completed|committed|pushed|deployed|done)\b",
               re.IGNORECASE),
)


def _succeeded(approval: Any) -> bool:
    """Did the approved change's run succeed (``result`` "applied" or "applied and verified"; a
    record without a result: ``verified``)? A failed or cancelled (rolled-back) run did not."""
    result = getattr(approval, "result", None)
    if result is None:
        return getattr(approval, "verified", None) is True
    return str(result).startswith("applied")


def unbacked(text: str, *, approvals: Iterable[Any], tool_names: Iterable[str]) -> list[str]:
    """One line per claim in ``text`` that nothing recorded backs: a change said to be made or
    approved when no approved change ran successfully (a failed, cancelled or rolled-back run
    backs nothing), and a tool call written out as text (never run)."""
    notes: list[str] = []
    approved = [a for a in approvals if getattr(a, "decision", None) == "approved"]
    if not any(_succeeded(a) for a in approved):
        hit = next((m.group(0) for rx in _CLAIMS for m in [rx.search(text)] if m), None)
        if hit and approved:
            outcome = "; ".join(str(getattr(a, "result", None) or "no result recorded") for a in approved)
            notes.append(f"the answer says {hit!r}, but the approved change did not succeed ({outcome})")
        elif hit:
            notes.append(f"the answer says {hit!r}, but netops made no change and recorded no approval "
                         "for this question")
    written = sorted({n for n in tool_names
                      if re.search(rf'"{re.escape(n)}"|\b{re.escape(n)}\s*\(|<tool_call>', text)
                      and re.search(rf"\b{re.escape(n)}\b", text)})
    if written:
        notes.append(f"the answer contains a call to {', '.join(written)} written as text; it was not run and changed nothing")
    return notes
