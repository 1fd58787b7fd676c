"""An answer as the history keeps it, and back: what a resumed chat, an export and
``netops conversations show --json`` can show without asking anything again.

::

    meta = answer_meta(answer)              # stored with the assistant message (JSON)
    stored = stored_answer(message)         # a HistoryMessage -> StoredAnswer
    stored.tool_calls, stored.approvals, stored.evidence, stored.check
    stored.evidence_text(label)             # device output (or a passage) kept with the answer

Stored per answer: mode, model, citations, partial/cancelled, notice, error; every tool call
(tool, arguments, ok, error, elapsed, one-line summary, the evidence it produced), every change
proposed (playbook, targets, parameters, decision, by whom, result, verified, review level);
every piece of evidence (label, kind, host/command/time; the device output it cites, or for a
passage a reference the viewer re-opens from the index plus the source text the model was given
when there was one); the answer check's summary. Arguments, parameters, errors, summaries and
texts are redacted again before they are stored (device output already is). Rows written before
these fields existed come back with what they had (citations, mode, partial).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from netops.agent.evidence import KINDS, Evidence
from netops.agent.tools import ApprovalRecord, ToolCallRecord

MAX_EVIDENCE_CHARS = 20_000
"""Device output kept per piece of evidence (a full running config fits; a route table is cut)."""

_BLOCK = re.compile(r'<data source="(?P<source>[^"]*)">\n(?P<body>.*?)\n</data>', re.S)
AUDIT_LABEL = "netops audit log: "
_DEVICE_LABEL = re.compile(r"^[^:\s]+: .+, \d\d:\d\d:\d\d$")  # "r1: show bgp summary json, 12:03:04"


def host_output(output: str, host: str | None, command: str | None) -> str:
    """The block of a tool's data-wrapped ``output`` that came from ``host``; else all of it (a
    route diagnosis's findings over several reads), as a person reads it either way: without the
    ``<data source=...>`` wrapping the model was given (:func:`~netops.agent.evidence.unwrap_data`)."""
    from netops.agent.evidence import unwrap_data

    for m in _BLOCK.finditer(output):
        if m["source"] == f"{host}: {command}" or m["source"].startswith(f"{host}: "):
            return m["body"]
    return unwrap_data(output)


def _redact(value: Any) -> Any:
    from netops.devices.redact import redact_data

    return redact_data(value)


def _cap(text: str) -> str:
    if len(text) <= MAX_EVIDENCE_CHARS:
        return text
    return text[:MAX_EVIDENCE_CHARS] + f"\n[... cut: {len(text) - MAX_EVIDENCE_CHARS} more characters not kept]"


def check_summary(check: Any) -> dict[str, Any] | None:
    """The answer check in a few fields (``summary`` is the line a person reads)."""
    if check is None:
        return None
    if isinstance(check, dict):
        return check
    return {"summary": check.summary(), "supported": check.count("supported"),
            "unsupported": check.count("unsupported"), "contradicted": check.count("contradicted"),
            "checked": check.checked, "removed_citations": list(check.removed_citations),
            "added_citations": check.added_citations, "moved_citations": getattr(check, "moved_citations", 0)}


def _evidence_texts(answer: Any) -> dict[str, str]:
    """label -> the text behind it: device output from the tool call that produced it, else the
    source text the model was given up front."""
    out: dict[str, str] = {}
    g = getattr(answer, "grounding", None)
    for s in getattr(g, "sources", None) or []:
        if s.text:
            out[s.evidence.label] = s.text
    by_label = {e.label: e for e in answer.evidence}
    for call in answer.tool_calls:
        for label in call.evidence or []:
            ev = by_label.get(label)
            if ev is not None and ev.kind == "device" and call.output:
                out[label] = host_output(str(call.output), ev.host, ev.command)
    for e in answer.evidence:  # a plugin's tool netops ran for the question: the last call of it
        if e.kind == "tool" and e.label not in out:
            from netops.agent.plugin_route import call_of

            call = call_of(answer.tool_calls, e.command or "")
            if call is not None:
                from netops.agent.evidence import unwrap_data

                out[e.label] = unwrap_data(str(call.output))
    return out


def _numbered(answer: Any) -> list[tuple[int, Evidence]]:
    from netops.agent.numbering import numbered

    return numbered(answer.evidence, getattr(answer, "numbers", None))


_TO_MODEL = (" Tell the person; do not retry.", " Do not propose another change; answer the person.",
             " - answer from the results you have")
"""What the tools once told the model inside a call's error (stored so before trial37): not said to a person."""


def for_person(error: Any) -> Any:
    """A stored tool call's error without the words that were meant for the model (:data:`_TO_MODEL`)."""
    if not isinstance(error, str):
        return error
    for said in _TO_MODEL:
        error = error.replace(said, "")
    return error


def answer_meta(answer: Any) -> dict[str, Any]:
    """The JSON-able record of ``answer`` stored with its history message."""
    texts = _evidence_texts(answer)
    evidence = []
    for n, e in _numbered(answer):
        item: dict[str, Any] = {"n": n, "label": e.label, "kind": e.kind, "host": e.host, "command": e.command,
                                "at": e.at}
        text = texts.get(e.label)
        if text:
            item["text"] = _cap(_redact(text))
        if e.kind == "spec":
            item["ref"] = e.label  # the viewer re-opens the passage from the index by its citation
        evidence.append(item)
    calls = [{"tool": c.tool, "args": _redact(c.args), "ok": c.ok, "error": _redact(c.error),
              "elapsed": c.elapsed, "summary": _redact(c.summary), "evidence": list(c.evidence),
              "truncated": c.truncated, "cancelled": c.cancelled, "numbers": dict(getattr(c, "numbers", {}) or {})}
             for c in answer.tool_calls]
    approvals = [{"playbook": a.playbook, "targets": list(a.targets), "params": _redact(a.params),
                  "decision": a.decision, "by": a.by, "result": _redact(a.result), "verified": a.verified,
                  "review": a.review, "review_findings": _redact(list(a.review_findings)),
                  "ask": _redact(a.ask), "audit_seq": getattr(a, "audit_seq", None)}
                 for a in answer.approvals]
    meta: dict[str, Any] = {
        "mode": answer.mode, "model": answer.model, "citations": list(answer.citations),
        "partial": answer.partial, "cancelled": answer.cancelled,
        "tool_calls": calls, "approvals": approvals, "evidence": evidence,
    }
    for key in ("notice", "error"):
        if getattr(answer, key, None):
            meta[key] = _redact(getattr(answer, key))
    summary = check_summary(getattr(answer, "check", None))
    if summary is not None:
        meta["check"] = summary
    from netops.agent.consent import dry_run_of

    dry = dry_run_of(answer)
    if dry is not None:  # netops's own dry run of a what-if: a go-ahead right after it may ask for it
        meta["dry_run"] = dry
    return meta


@dataclass
class StoredAnswer:
    """An assistant message read back from history, in the shape of an
    :class:`~netops.assistant.Answer` as far as a surface shows one."""

    text: str
    mode: str | None = None
    model: str | None = None
    partial: bool = False
    cancelled: bool = False
    notice: str | None = None
    error: str | None = None
    evidence: list[Evidence] = field(default_factory=list)
    tool_calls: list[ToolCallRecord] = field(default_factory=list)
    approvals: list[ApprovalRecord] = field(default_factory=list)
    check: dict[str, Any] | None = None
    texts: dict[str, str] = field(default_factory=dict)
    created_at: str | None = None
    numbers: dict[str, int] = field(default_factory=dict)
    """Evidence label -> the number the text cites it by (rows from before it was kept: none,
    and the list is numbered in order, as it was then)."""

    @property
    def citations(self) -> list[str]:
        return [e.label for e in self.evidence]

    def numbered(self) -> list[tuple[int, Evidence]]:
        """The evidence list with the numbers the text uses, as the answer showed it."""
        return _numbered(self)

    def evidence_text(self, label: str) -> str | None:
        """The output or passage text stored for the evidence ``label`` (None when not kept)."""
        return self.texts.get(label)

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "mode": self.mode, "model": self.model, "partial": self.partial,
                "cancelled": self.cancelled, "notice": self.notice, "error": self.error,
                "citations": self.citations,
                "evidence": [{"n": n, **asdict(e), **({"text": self.texts[e.label]} if e.label in self.texts else {})}
                             for n, e in self.numbered()],
                "tool_calls": [{k: v for k, v in asdict(c).items() if k != "output"} for c in self.tool_calls],
                "approvals": [asdict(a) for a in self.approvals], "check": self.check}


def _kind(label: str) -> str:
    if label.startswith(AUDIT_LABEL):  # stored as "device" before it had a kind of its own
        return "audit"
    return "device" if _DEVICE_LABEL.search(label) else "spec"


def stored_answer(message: Any) -> StoredAnswer:
    """A stored assistant message (``HistoryMessage``) as a :class:`StoredAnswer`; rows from
    before tool calls and evidence were kept give their citations only."""
    meta = getattr(message, "meta", None) or {}
    texts: dict[str, str] = {}
    numbers: dict[str, int] = {}
    evidence: list[Evidence] = []
    if meta.get("evidence"):
        for item in meta["evidence"]:
            label = str(item.get("label") or "")
            if not label:
                continue
            if isinstance(item.get("n"), int):
                numbers[label] = item["n"]
            kind = item.get("kind") if item.get("kind") in KINDS else _kind(label)
            if kind == "device" and label.startswith(AUDIT_LABEL):  # kept as a device read before (trial16)
                kind = "audit"
            evidence.append(Evidence(kind, label, host=item.get("host"), command=item.get("command"),
                                     at=item.get("at")))
            if item.get("text"):
                texts[label] = str(item["text"])
    else:
        evidence = [Evidence(_kind(c), c) for c in meta.get("citations") or []]
    calls = [ToolCallRecord(tool=str(c.get("tool", "?")), args=dict(c.get("args") or {}), ok=bool(c.get("ok")),
                            error=for_person(c.get("error")), elapsed=float(c.get("elapsed") or 0.0),
                            truncated=bool(c.get("truncated")), evidence=list(c.get("evidence") or []),
                            summary=str(c.get("summary") or ""), cancelled=bool(c.get("cancelled")),
                            numbers={str(k): v for k, v in (c.get("numbers") or {}).items() if isinstance(v, int)})
             for c in meta.get("tool_calls") or []]
    approvals = [ApprovalRecord(playbook=str(a.get("playbook", "?")), targets=list(a.get("targets") or []),
                                params=dict(a.get("params") or {}), review=str(a.get("review") or ""),
                                review_findings=list(a.get("review_findings") or []),
                                decision=str(a.get("decision") or "?"), by=a.get("by"), result=a.get("result"),
                                verified=a.get("verified"), ask=a.get("ask"),
                                audit_seq=a.get("audit_seq") if isinstance(a.get("audit_seq"), int) else None)
                 for a in meta.get("approvals") or []]
    return StoredAnswer(text=getattr(message, "content", "") or "", mode=meta.get("mode"), model=meta.get("model"),
                        partial=bool(meta.get("partial")), cancelled=bool(meta.get("cancelled")),
                        notice=meta.get("notice"), error=meta.get("error"), evidence=evidence, tool_calls=calls,
                        approvals=approvals, check=meta.get("check"), texts=texts,
                        created_at=getattr(message, "created_at", None), numbers=numbers)
