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
_ACTED = (r"drained|undrained|shut(?:\s+down)?|cleared|rolled\s+back|restarted|reloaded|applied|committed|pushed|"
          r"executed|deployed|changed|modified|updated|removed|added|reset|raised|lowered|set\s+to|isolated|"
          r"taken\s+out\s+of\s+service|put\s+(?:back\s+)?in(?:to)?\s+service|disabled|enabled")
_SPAN = r"years?|months?|weeks?|days?|hours?|minutes?|mins?|seconds?|secs?|[ywdhms]"
_ADV = r"(?:\s+(?:now|just|already|successfully|also|fully|then))*"
_CLAIMS = (
    # first person: "I have drained r2", "I've applied the change", "we pushed it"
    re.compile(rf"\b(?:I|we)(?:'ve|\s+have|\s+just|\s+now|\s+successfully)*\s+(?:{_DONE})\b(?!\s+(?:nothing|no)\b)",
               re.IGNORECASE),
    # an approval nobody recorded: "approved by admin", "authorised by the NOC", "r3 is drained, as approved"
    re.compile(r"\b(?:approved|authori[sz]ed|signed\s+off)\s+by\b|\bas\s+(?:you\s+|previously\s+|already\s+)?"
               r"(?:approved|authori[sz]ed)\b", re.IGNORECASE),
    # "the change was applied", "the playbook has been executed"
    re.compile(r"\b(?:change|changes|playbook|drain|configuration|config)\s+(?:was|were|has\s+been|have\s+been|is\s+now)\s+"
               r"(?:successfully\s+)?(?:applied|approved|executed|completed|committed|pushed|deployed|done)\b",
               re.IGNORECASE),
    # passive, about anything: "r3 has been drained", "the cost has been set to 100"
    re.compile(rf"\b(?:has|have|had){_ADV}\s+been{_ADV}\s+(?:{_ACTED}|configured)\b", re.IGNORECASE),
    # "the neighbor was shut down", "r3 was successfully drained" (not "reset 3 days ago because ...")
    re.compile(rf"\b(?:was|were){_ADV}\s+(?:{_ACTED})\b(?!\s+(?:\d+\s*(?:{_SPAN})\b|ago\b|because\b|due\b|when\b|"
               r"at\s+\d|"
               r"by\s+the\s+(?:peer|remote|neighbou?r|other\s+side)))", re.IGNORECASE),
    # a new value or state: "OSPF cost is now 100", "r2 is now drained", "is now set to 50"
    re.compile(r"\b(?:is|are)\s+now\s+(?:set\s+to\b|configured\s+(?:to|with|as)\b|at\s+\d|\d|drained\b|undrained\b|"
               r"shut\b|disabled\b|enabled\b|in\s+maintenance\b|out\s+of\s+service\b|isolated\b|removed\b|"
               r"(?:advertising\s+)?max-metric\b)", re.IGNORECASE),
    # a run report the model wrote itself: "router-drain executed on r3", "applied to r2"
    re.compile(r"(?<!\bis\s)(?<!\bare\s)(?<!\bbe\s)\b(?:executed|applied|deployed|pushed|committed)\s+"
               r"(?:successfully\s+)?(?:on|to|against)\s+\S", re.IGNORECASE),
    re.compile(r"\bAPPROVED\b"),
    # a report with the subject left out: "Drained r2 successfully", "✅ Shut down neighbor X",
    # "Done: applied the change" (the participle opens the sentence, a bullet or a label; not an
    # adjective of what a device shows: "Applied policies: none", "Cleared counters show 0")
    re.compile(r"(?:^|(?<=[.!?:;\n])|(?<=[.!?:;]\s)|(?<=[-*•>✅✔☑]\s)|(?<=[✅✔☑]))\s*(?:successfully\s+)?"
               r"(?:(?:drained|undrained|shut\s+down|rolled\s+back|isolated)\s+(?!\d|by\b|at\b|in\s+\d|[\w-]+\s*:)"
               r"[\w\"'`(](?:[\w-]|\.(?=\w))*"
               r"|(?:applied|executed|committed|pushed|deployed)\s+(?:it|them|that|this|the\s+(?:change|changes|config|"
               r"configuration|playbook|drain|fix|rollback)|router-\S+|successfully)\b)",
               re.IGNORECASE | re.MULTILINE),
    # a label with no verb: "Change applied: ...", "Drain complete", "Rollback done" (not a question)
    re.compile(r"\b(?:change|changes|playbook|drain|undrain|rollback|configuration|config|commit)\s+"
               r"(?:successfully\s+)?(?:applied|executed|completed|complete|committed|pushed|deployed|done|"
               r"succeeded|successful)\b(?!\s*\?)", re.IGNORECASE),
    re.compile(r"\bpost-?\s?checks?\s+(?:all\s+)?(?:passed|succeeded|ok|green)\b", re.IGNORECASE),
)
_CLAUSE_END = re.compile(r"[.;:!?\n]|\s[-–—]\s|,|\bbut\b|\*\(⚠[^)]*\)\*", re.IGNORECASE)
"""Where a clause ends; the answer check's own marks ("*(⚠ not supported by the sources)*") end one
too, so their "not" never reads as negating the claim written after them."""
_NOT_A_CLAIM = re.compile(r"\b(?:no|nothing|none|never|not|if|once|after|when|whenever|until|before|unless|whether|"
                          r"should|would|will|could|can|must|may|might)\b", re.IGNORECASE)


def _claim(text: str) -> str | None:
    """The first words of ``text`` that say a change or an approval happened; a negated,
    conditional or advised one ("nothing was changed", "once r3 has been drained, ...") is none."""
    for rx in _CLAIMS:
        for m in rx.finditer(text):
            head = text[:m.start()]
            starts = [c.end() for c in _CLAUSE_END.finditer(head)]
            clause = head[starts[-1] if starts else 0:]
            if _NOT_A_CLAIM.search(clause) and rx.flags & re.IGNORECASE:
                continue
            return m.group(0).strip()
    return None


def _succeeded(approval: Any) -> bool:
    """Did the approved change's run succeed (``result`` "applied" or "applied and verified"; a
    record without a result: ``verified``)? A failed or cancelled (rolled-back) run did not."""
    result = getattr(approval, "result", None)
    if result is None:
        return getattr(approval, "verified", None) is True
    return str(result).startswith("applied")


def _flat(text: str) -> str:
    return " ".join(text.lower().split())


def invented_output(text: str, outputs: Iterable[str]) -> int:
    """Lines of device output in ``text``'s code blocks that no tool returned: neither the line
    (spacing aside) nor every number, address and state word of it occurs in one tool output."""
    from netops.agent.answer_check import _STATE_WORD, block_lines

    flat = [_flat(o) for o in outputs if o]
    bad = 0
    for a, b, _ in block_lines(text):
        line = _flat(text[a:b])
        if any(line in o for o in flat):
            continue
        tokens = set(re.findall(r"[\w.:/-]*\d[\w.:/-]*", line)) | {m.group(0) for m in _STATE_WORD.finditer(line)}
        if not any(all(t in o for t in tokens) for o in flat):
            bad += 1
    return bad


def unbacked(text: str, *, approvals: Iterable[Any], tool_names: Iterable[str],
             outputs: Iterable[str] | None = None, history: bool = False) -> list[str]:
    """One line per claim in ``text`` that nothing recorded backs: a change said to be made or
    approved when no approved change ran successfully (a failed, cancelled or rolled-back run
    backs nothing), a tool call written out as text (never run), and, when ``outputs`` (what the
    tools returned) is given, lines of device output in a code block that no tool returned.
    ``history``: the answer is about changes made before, from netops's audit log (shown above it):
    a claim is said against those records, not as if no approval existed (adv36: "approved by alice",
    true of the drain asked about, got "netops ... recorded no approval")."""
    notes: list[str] = []
    if outputs is not None:
        k = invented_output(text, outputs)
        if k:
            notes.append(f"{k} line{'s' if k > 1 else ''} of device output in the answer's code blocks "
                         f"{'are' if k > 1 else 'is'} not what any tool returned")
    approved = [a for a in approvals if getattr(a, "decision", None) == "approved"]
    if not any(_succeeded(a) for a in approved):
        hit = _claim(text)
        if hit and approved:
            outcome = "; ".join(str(getattr(a, "result", None) or "no result recorded") for a in approved)
            notes.append(f"the answer says {hit!r}, but the approved change did not succeed ({outcome})")
        elif hit and history:
            notes.append(f"the answer says {hit!r}: netops changed nothing for this question; the changes and "
                         "approvals it recorded are its audit log's records above")
        elif hit:
            notes.append(f"the answer says {hit!r}, but netops made no change and recorded no approval "
                         "for this question")
    written = sorted({n for n in tool_names
                      if re.search(rf'"{re.escape(n)}"|\'{re.escape(n)}\'|\b{re.escape(n)}\s*\(|<tool_call>|<function={re.escape(n)}>'
                                   rf'|\b{re.escape(n)}\[ARGS\]', text, re.I)
                      and re.search(rf"\b{re.escape(n)}\b", text)})
    if written:
        notes.append(f"the answer contains a call to {', '.join(written)} written as text; it was not run and changed nothing")
    return notes
