"""Plugin tools a question reaches without a tool-calling model.

A plugin's tool was offered to the model and nothing else: offline, or with a small local model
that calls no tool (SmolLM2 never does), "who is AS64499 and what prefix limit do we give it?"
never reached the team's PeeringDB lookup, and the answer came from the documents or from nothing.
A tool may say which questions it answers (:attr:`netops.agent.tools.Tool.answers`: question ->
arguments, or None). When netops's own router reads no device for a question and would send it
to the documents only for want of anything better (:func:`routable`), the first tool that
claims it is run before anything else, on the agent's own tool path (budget, argument validation,
the plugin's read-only device view, the surface's tool events, the audit of any device read), and
what it returned is the evidence: the offline answer shows it, a model is given it as a numbered
source and checked against it.

A tool's ``answers`` is the plugin's code: one that raises, returns something other than a dict,
or returns arguments its own parameters refuse is passed over (and logged), never fatal.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Callable

from netops.agent.evidence import Evidence

log = logging.getLogger(__name__)

LABEL_ARGS = 120
"""How much of the arguments an evidence label shows (``peeringdb_lookup: asn=64499``)."""


@dataclass
class Picked:
    """A tool that claimed a question, with the arguments it answers it with."""

    tool: str
    args: dict[str, Any]
    others: tuple[str, ...] = ()
    """Later tools that claim the question too (not run): the notice names them."""


def routable(route: Any) -> bool:
    """Whether a question the router sent to ``route`` is open to a plugin tool: the router reads
    no device for it, asks the person nothing, and sent it to the documents only for want of
    anything better (or nowhere). A device read, a change, a question back, a device the inventory
    lacks, or a question of the documents' own kind ("explain the exchange of OPEN messages with
    AS 65002", "what does section 4.2 say about AS 23456 peering?") stays what it is."""
    from netops.agent.router import SPEC_FALLBACK, names_unknown

    kind, reason = getattr(route, "kind", None), getattr(route, "reason", "") or ""
    if kind == "spec":
        return reason == SPEC_FALLBACK
    return kind == "unknown" and not getattr(route, "asks", False) and not names_unknown(reason)


def pick(question: str, tools: Iterable[Any]) -> Picked | None:
    """The first tool (in registration order: built-ins, then plugins by name) whose ``answers``
    claims ``question`` with arguments its parameters accept, with the names of the later tools
    that claim it too; None when none does."""
    first: Picked | None = None
    others: list[str] = []
    for tool, args in _claims(question, tools):
        if first is None:
            first = Picked(tool.name, args)
        else:
            others.append(tool.name)
    if first is not None and others:
        first.others = tuple(others)
    return first


def _claims(question: str, tools: Iterable[Any]) -> Iterable[tuple[Any, dict[str, Any]]]:
    from pydantic import ValidationError

    for tool in tools:
        answers: Callable[[str], Any] | None = getattr(tool, "answers", None)
        if answers is None or getattr(tool, "changes_state", False):
            continue
        try:
            args = answers(question)
        except Exception as exc:  # the plugin's code: passed over, not fatal
            log.warning("plugin tool %s: its answers() failed (%s: %s); passed over", tool.name, type(exc).__name__, exc)
            continue
        if args is None:
            continue
        if not isinstance(args, dict):
            log.warning("plugin tool %s: answers() returned %s, not a dict of arguments; passed over",
                        tool.name, type(args).__name__)
            continue
        try:
            tool.params.model_validate(args)
        except ValidationError as exc:
            log.warning("plugin tool %s: answers() gave arguments its parameters refuse (%s); passed over",
                        tool.name, " ".join(str(exc).split())[:200])
            continue
        yield tool, dict(args)


def label(picked: Picked) -> str:
    """The evidence label: the tool and its arguments, one line (``peeringdb_lookup: asn=64499``)."""
    from netops.controls import printable
    from netops.devices.redact import redact_data

    shown = ", ".join(f"{k}={v}" for k, v in redact_data(picked.args).items())
    if len(shown) > LABEL_ARGS:
        shown = shown[:LABEL_ARGS - 1] + "…"
    return printable(f"{picked.tool}: {shown}" if shown else picked.tool)


def evidence(picked: Picked) -> Evidence:
    return Evidence("tool", label(picked), command=picked.tool)


def shown(result: Any, *, pretty: bool = True, fenced: bool = True) -> str:
    """What the tool returned (a :class:`~netops.agent.tools.ToolResult`, or its content as text) as
    a person reads it: without our data wrapper, secrets redacted, control characters gone (a
    plugin's output is untrusted like a device's); JSON indented (``pretty``; a model is given it
    compact), in a Markdown code block unless ``fenced`` is False (the citation viewer shows text)."""
    import json

    from netops.agent.evidence import unwrap_data
    from netops.controls import printable
    from netops.privacy import redact_text

    content = result if isinstance(result, str) else getattr(result, "content", "")
    text = unwrap_data(str(content or "")).strip()
    if not text:
        return ""
    text = printable(redact_text(text) or "")
    if pretty and text[:1] in "[{":
        try:
            indented = json.dumps(json.loads(text), indent=2, ensure_ascii=False)
        except ValueError:
            return text
        # decoded, a JSON escape ("\\u202e" in a name) is the character itself: cleaned again, or
        # a bidi override or a zero-width space reached the screen, the history and the model
        indented = printable(redact_text(indented) or "")
        if not fenced:
            return indented
        # a code block: rendered as Markdown (the chat, a terminal) the lines keep their indent
        return "```json\n" + indented.replace("```", "'''") + "\n```"
    return text


def asked(question: str, result: Any) -> dict[str, list[str]]:
    """What of a tool's result the question asks for: each field of its JSON records whose name
    shares a word with the question ("which circuit is on r1 eth-r2?": ``circuit_id``; "what prefix
    limit ...": ``info_prefixes4``), with its values the question does not already say (``eth-r2``
    of ``interface`` is given, not asked). Empty when the result is no JSON record, or no field
    is named: then nothing is known to be asked. A model's answer that says none of these values
    has not answered the question, whatever words it shares with the result (SmolLM2: "The circuit
    on r1 eth-r2 is a device that uses the Zayo network protocol [1]" passed the check)."""
    import json

    from netops.agent.evidence import unwrap_data
    from netops.agent.facts import content_words, stem

    if not getattr(result, "ok", True):
        return {}
    content = result if isinstance(result, str) else getattr(result, "content", "")
    try:
        doc = json.loads(unwrap_data(str(content or "")).strip())
    except ValueError:
        return {}
    records = [doc] if isinstance(doc, dict) else [r for r in doc if isinstance(r, dict)] if isinstance(doc, list) else []
    words = content_words(question)
    said = question.lower()
    out: dict[str, list[str]] = {}
    for record in records[:RECORDS_ASKED]:
        for key, value in record.items():
            if isinstance(value, bool) or not isinstance(value, (str, int, float)) or str(value).strip() == "":
                continue
            parts = {stem(w) for w in re.findall(r"[a-z]{3,}", re.sub(r"(?<=[a-z])(?=[A-Z])", " ", str(key)).lower())}
            text = str(value).strip()
            if parts & words and not carries(said, [text]):
                out.setdefault(str(key), [])
                if text not in out[str(key)]:
                    out[str(key)].append(text)
    return out


RECORDS_ASKED = 20
"""Records of a result whose fields :func:`asked` reads (a lookup answers with one or a few)."""


def carries(sentence: str, values: Iterable[str]) -> bool:
    """Whether ``sentence`` says one of ``values`` as a whole token, case aside ("ACME-CKT-1001",
    "50"; not the 50 inside 1500), as a person writes it: a value of several parts in the same
    parts with other separators ("acme ckt 1001", "ACME CKT-1001"), a number with its thousands
    grouped or its decimals written out ("100,000" for 100000, "99.50" for 99.5)."""
    low = sentence.lower()
    words = _parts(low)
    numbers = [_number(n) for n in _NUMBER_IN.findall(low)]
    for v in (str(v) for v in values if v):
        if re.search(rf"(?<![\w.-])(?<!\d,){re.escape(v.lower())}(?![\w-]|[.,]\w)", low):
            return True
        if (n := _number(v)) is not None:
            if n in numbers:
                return True
            continue
        want = _parts(v.lower())
        if len(want) > 1 and any(words[i:i + len(want)] == want for i in range(len(words) - len(want) + 1)):
            return True
    return False


# A number as written in a sentence: 1000, 1,000, 99.5 (not a part of an address, a version or a name)
_NUMBER_IN = re.compile(r"(?<![\w.,-])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\w-]|[.,]\d)")


def _number(text: str) -> float | None:
    text = text.strip()
    if not re.fullmatch(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?", text):
        return None
    return float(text.replace(",", ""))


def _parts(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text)


def call_of(tool_calls: Iterable[Any] | None, tool: str) -> Any:
    """The last call of ``tool`` that returned something (the evidence of kind ``tool`` names the
    tool, not the call): what the citation viewer, history and ``--json`` show for it."""
    return next((c for c in reversed(list(tool_calls or [])) if getattr(c, "tool", "") == tool
                 and getattr(c, "ok", True) and getattr(c, "output", None)), None)


def owner(tool: str) -> str | None:
    """The plugin that registered ``tool`` (None for netops's own, or when unknown)."""
    from netops import plugins

    try:
        who = plugins.tools().owners.get(tool)
    except Exception:  # the registry is the plugins' code too
        return None
    return None if who in (None, plugins.BUILTIN) else who


def notice(picked: Picked) -> str:
    """The answer's notice: which plugin's tool answered, and why it ran."""
    who = owner(picked.tool)
    text = (f"answered by {picked.tool}" + (f" (plugin {who})" if who else "")
            + ": the tool says it answers this question, and no device was read for it")
    if picked.others:  # a second plugin installed later must not silently change who answers
        named = ", ".join(f"{t} (plugin {o})" if (o := owner(t)) else t for t in picked.others)
        text += (f"; {named} claim{'s' if len(picked.others) == 1 else ''} it too and "
                 f"{'was' if len(picked.others) == 1 else 'were'} not run (the first registered answers)")
    return text


def run(question: str, tools: Iterable[Any], call: Callable[[str, dict[str, Any]], Any]) -> tuple[Picked, Any] | None:
    """Pick a tool for ``question`` and run it with ``call(name, args)`` (the tool box's call, so it
    is counted, validated, shown and audited like the model's own calls); None when none claims it."""
    picked = pick(question, tools)
    if picked is None:
        return None
    return picked, call(picked.tool, dict(picked.args))
