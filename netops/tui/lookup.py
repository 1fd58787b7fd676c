"""What the evidence viewer shows for one citation, read through the library."""

from __future__ import annotations

import json
import re
from typing import Any, NamedTuple

from netops.agent.evidence import kind_title, unwrap_data
from netops.agent.transcript import host_output

PARSED_BY = {"get_state": "getter"}
"""Tools whose device evidence is netops' parse of the output (typed state), not the output itself;
the argument that names the parser."""
FINDINGS_OF = {"diagnose_route": "Route diagnosis"}
"""Tools whose device evidence is netops' own findings from several reads."""


class Detail(NamedTuple):
    """One piece of evidence as the viewer shows it: ``title`` says what the text is (``Device
    output``, ``Parsed result (JSON)``, ``Route diagnosis``, ``Cited passage``), ``meta`` where it
    came from, ``text`` the text itself."""

    title: str
    meta: list[str]
    text: str


def evidence_detail(session: Any, evidence: Any, answer: Any = None) -> Detail:
    """The cited passage with its heading and page, or a device observation with host, command and
    time (from the tool call that produced it, or as stored with a resumed answer), titled by
    what it is: the text the device printed, or netops' parse of it."""
    stored = getattr(answer, "evidence_text", None)
    kept = stored(evidence.label) if callable(stored) else None
    if kept:  # rows kept before the wrapping was taken off (trial32): the person reads no prompt framing
        kept = unwrap_data(kept)
    kind = getattr(evidence, "kind", "spec")
    if kind == "device":
        return _device(evidence, answer, kept)
    if kind == "audit":
        return _audit(session, evidence, kept)
    if kind == "tool":
        return _tool(evidence, answer, kept)
    if kind != "spec":  # a kind this viewer does not know: what is kept, never a passage lookup
        return Detail("Evidence", [evidence.label, f"kind: {kind}"], kept or "This evidence was not kept with the answer.")
    from netops.rag.passages import passages_for

    chunks = passages_for(session.kb, evidence.label)
    if not chunks:
        if kept:
            return Detail("Cited passage", [evidence.label,
                                            "(the passage as the model was given it; no longer in the index)"], kept)
        return Detail("Cited passage", [evidence.label],
                      "This passage is no longer in the knowledge base (it was re-indexed or removed).")
    c = chunks[0]
    meta = [f"document: {c.doc_id}" + (f" — {c.title}" if c.title and c.title != c.doc_id else "")]
    if c.section or c.section_title:
        meta.append(f"section: {c.section} {c.section_title}".rstrip())
    if c.heading_path:
        meta.append("heading: " + " > ".join(c.heading_path))
    if c.page is not None:
        meta.append(f"page: {c.page}")
    meta.append(f"source: {c.source}")
    text = "\n\n".join(ch.text.strip() for ch in chunks)
    if c.source.lower().endswith(MARKDOWN_SUFFIXES):  # RFC text is laid out by hand: kept as is
        text = reflow_markdown(text)
    return Detail("Cited passage", meta, text)


MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown")
_BLOCK_START = re.compile(r"\s*(?:#{1,6}\s|\||>|```|~~~|[-*+]\s|\d{1,3}[.)]\s|<!--)")
_LIST_ITEM = re.compile(r"\s*(?:[-*+]|\d{1,3}[.)])\s")
_COMMAND = re.compile(r"\s*(?:[$#>]\s*)?(?:show|display|ping|traceroute|clear|debug|terminal|configure|conf|commit|"
                      r"rollback|run|vtysh|netops|ssh|sudo|set|delete|request|monitor|tcpdump|ip|ethtool|systemctl|"
                      r"journalctl)\b(?:.*[^.,;:\s])?\s*$")
"""A command line (``show bgp summary``, ``$ sudo vtysh``): lowercase, ending in no punctuation."""


def reflow_markdown(text: str) -> str:
    """A Markdown source's paragraphs and list items as one line each, for the viewer to wrap at
    its own width: the source's hard line breaks at 80-100 columns read as ragged lines in a
    narrower or wider box. Headings, table rows, quotes, fenced code, list markers, blank lines
    and hard breaks (two trailing spaces or a backslash) stay where they are; nothing is
    reworded. Commands stay lines of their own: lines indented as code under a sentence, and
    command lines under a lead-in ending in ":" ("Check the session:" / "show bgp summary" /
    "show bgp neighbors"), as hand-written runbooks put them without a fence; joined, they read
    (and were copied) as one command."""
    out: list[str] = []
    fenced = code = command = False
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            fenced = not fenced
            out.append(line)
            code = command = False
            continue
        prev = out[-1] if out else ""
        indented = line.startswith(("    ", "\t"))
        was_code = code
        if indented and (not prev.strip() or was_code or not _LIST_ITEM.match(prev)):
            code = True  # an indented block after a blank line, or under a sentence (not a list item), is code
        elif stripped and not indented:
            code = False
        was_command = command
        command = bool(_COMMAND.match(line)) and (was_command or prev.rstrip().endswith(":"))
        # a line after text continues it (an indented one only under a list item: that is its continuation)
        joinable = (not fenced and not code and not was_code and not command and not was_command
                    and bool(stripped) and bool(prev.strip())
                    and not _BLOCK_START.match(line)
                    and not prev.lstrip().startswith(("#", "|", "```", "~~~", "<!--"))
                    and not prev.endswith(("  ", "\\")))
        if joinable:
            out[-1] = prev.rstrip() + " " + stripped
        else:
            out.append(line)
    return "\n".join(out)


def _audit(session: Any, evidence: Any, kept: str | None) -> Detail:
    """netops's own audit log (its changes on the devices the evidence covers): not a device read.
    The lines the answer rests on when they were kept, else the log's changes read now."""
    hosts = [h.strip() for h in str(evidence.host or "").split(",") if h.strip()]
    meta = [f"covers: {', '.join(hosts) or '?'}", f"source: {evidence.command or 'netops audit list --kind apply'}",
            "netops's record of the changes it made, not a read of the device"]
    if kept:
        return Detail("netops audit log", meta + ["(as kept with the answer)"], kept)
    from netops.agent.offline import HISTORY_PER_DEVICE, history_summary

    audit = getattr(session, "audit", None)
    changes = {h: audit.changes(h, HISTORY_PER_DEVICE) for h in hosts} if audit is not None and hosts else None
    return Detail("netops audit log", meta + ["(read from the audit log now; it may hold newer changes than the "
                                              "answer saw)"], history_summary(changes).replace("**", ""))


def _tool(evidence: Any, answer: Any, kept: str | None) -> Detail:
    """What a plugin's tool returned when netops ran it for the question (plugin_route), from the
    tool call that produced it (the last call of that tool), or as kept with a resumed answer."""
    from netops.agent import plugin_route

    name = getattr(evidence, "command", None) or evidence.label.partition(":")[0]
    call = plugin_route.call_of(getattr(answer, "tool_calls", None), name)
    meta = [f"tool: {name}" + (f" (plugin {who})" if (who := plugin_route.owner(name)) else ""),
            f"arguments: {evidence.label.partition(': ')[2] or 'none'}"]
    output = kept or (getattr(call, "output", None) if call is not None else None)
    if not output:
        return Detail(kind_title("tool"), meta, "What the tool returned was not kept with the answer.")
    text = plugin_route.shown(str(output), fenced=False)  # the viewer shows text, not Markdown
    return Detail(kind_title("tool"), meta + (["(as kept with the answer)"] if kept else []), text)


def _device(evidence: Any, answer: Any, kept: str | None) -> Detail:
    meta = [f"host: {evidence.host}", f"command: {evidence.command}", f"time: {evidence.at}"]
    # the tool call that produced it says what it is (kept with a resumed answer too)
    call = next((c for c in getattr(answer, "tool_calls", None) or []
                 if evidence.label in (getattr(c, "evidence", None) or [])), None)
    tool = getattr(call, "tool", "")
    output = getattr(call, "output", None)
    text = kept or (host_output(str(output), evidence.host, evidence.command) if output else None)
    if call is not None:
        if tool in PARSED_BY:
            meta.append(f"{PARSED_BY[tool]}: {call.args.get(PARSED_BY[tool], '?')} (netops' parse of the "
                        f"command's output, from tool call {tool})")
        else:
            meta.append(f"from tool call: {tool}")
    if text and kept:
        meta.append("(as kept with the answer)")
    if not text:
        return Detail("Device output", meta, f"The output of this command was not kept with the answer. "
                                             f"Run it again: /show {evidence.host} {evidence.command}")
    if tool in FINDINGS_OF:
        return Detail(FINDINGS_OF[tool], meta, text)
    if tool in PARSED_BY:
        try:  # one line of JSON as the model read it; indented as a person reads it
            return Detail("Parsed result (JSON)", meta, json.dumps(json.loads(text), indent=2, ensure_ascii=False))
        except ValueError:
            return Detail("Parsed result", meta, text)
    return Detail("Device output", meta, text)  # as the device printed it, JSON or not: never re-formatted
