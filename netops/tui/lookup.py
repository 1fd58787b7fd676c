"""What the evidence viewer shows for one citation, read through the library."""

from __future__ import annotations

from typing import Any

from netops.agent.transcript import host_output


def evidence_detail(session: Any, evidence: Any, answer: Any = None) -> tuple[list[str], str]:
    """(meta lines, text): the cited passage with its heading and page, or the device output
    with host, command and time (from the tool call that produced it, or as stored with a
    resumed answer)."""
    stored = getattr(answer, "evidence_text", None)
    kept = stored(evidence.label) if callable(stored) else None
    if getattr(evidence, "kind", "spec") == "device":
        meta = [f"host: {evidence.host}", f"command: {evidence.command}", f"time: {evidence.at}"]
        if kept:
            return meta + ["(as kept with the answer)"], kept
        for call in getattr(answer, "tool_calls", []) or []:
            if evidence.label in (getattr(call, "evidence", None) or []):
                output = getattr(call, "output", None)
                if output:
                    return meta + [f"from tool call: {call.tool}"], host_output(str(output), evidence.host,
                                                                                evidence.command)
        return meta, (f"The output of this command was not kept with the answer. "
                      f"Run it again: /show {evidence.host} {evidence.command}")
    from netops.rag.passages import passages_for

    chunks = passages_for(session.kb, evidence.label)
    if not chunks:
        if kept:
            return [evidence.label, "(the passage as the model was given it; no longer in the index)"], kept
        return [evidence.label], "This passage is no longer in the knowledge base (it was re-indexed or removed)."
    c = chunks[0]
    meta = [f"document: {c.doc_id}" + (f" — {c.title}" if c.title and c.title != c.doc_id else "")]
    if c.section or c.section_title:
        meta.append(f"section: {c.section} {c.section_title}".rstrip())
    if c.heading_path:
        meta.append("heading: " + " > ".join(c.heading_path))
    if c.page is not None:
        meta.append(f"page: {c.page}")
    meta.append(f"source: {c.source}")
    return meta, "\n\n".join(ch.text.strip() for ch in chunks)
