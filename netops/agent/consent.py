"""A person's "go ahead" right after netops's own dry run of one vetted change.

"what happens if I drain r2?" is answered with the vetted playbook's dry run and "to make this
change, ask for it ('drain r2')". A person who then says "ok go ahead" / "yes, do it" has asked for
that change in their own words: their what-if named the action and the targets, netops showed them
exactly what would be sent, and the consent answers that, in the same conversation. So the change
is proposed (the plan, the reviewer and the approval as always: consent never skips approval), its
intent checked on the what-if's own words (:attr:`ToolContext.consent`).

Anything else that reads as a go-ahead is not a request for a change, and netops says what it
would need instead of handing it to the model (trial37: SmolLM2 answered "This asks to undo a
change netops made ... not possible"): no answer before it, an answer that was the model's text
(a change is never taken from a model's words), a dry run that failed, two dry runs of different
changes just before (which one?), a go-ahead with a condition or anything more ("go ahead if r2 is
healthy", "do it on r3 instead"), or netops offline (it runs nothing without a model).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from netops.agent.tools import ToolBox, ToolContext
    from netops.assistant import Answer

_ACK = r"(?:ok(?:ay)?|yes|yeah|yep|sure|alright|right|fine|great|good|please|then)"
_GO = r"(?:go\s+ahead|do\s+it|do\s+that|proceed|go\s+for\s+it|make\s+the\s+change|apply\s+it|run\s+it|carry\s+on)"
_CONSENT = re.compile(rf"^\W*(?:{_ACK}\W+)*{_GO}(?:\W+(?:{_ACK}|now|with\s+it))*\W*$", re.IGNORECASE)
"""The whole message is a go-ahead ("ok go ahead", "yes, do it", "go ahead please", "proceed.")."""
_GO_FIRST = re.compile(rf"^\W*(?:{_ACK}\W+)*{_GO}\b", re.IGNORECASE)
"""A message that starts as a go-ahead, whatever follows ("go ahead if r2 is healthy")."""


def is_consent(question: str) -> bool:
    return bool(_CONSENT.match(question or ""))


def reads_as_go_ahead(question: str) -> bool:
    return bool(_GO_FIRST.match(question or ""))


def dry_run_of(answer: Any) -> dict[str, Any] | None:
    """What an answer that is netops's own dry run of a what-if stores (``{"playbook", "hosts", "ok"}``), or None."""
    from netops.agent.change_path import _dry_runnable

    m = getattr(answer, "change", None)
    if m is None or not _dry_runnable(m):
        return None
    calls = [c for c in getattr(answer, "tool_calls", []) or [] if c.tool == "playbook_plan"]
    if len(calls) != 1:
        return None
    w = m.would_be
    return {"playbook": w.playbook, "hosts": list(w.hosts), "ok": bool(calls[0].ok)}


def _exchanges(prior: list[Any]) -> list[tuple[str, dict[str, Any]]]:
    """(question, the answer's meta) of each answered exchange, oldest first."""
    out, question = [], None
    for m in prior:
        if m.role == "user":
            question = m.content
        elif question is not None:
            out.append((question, dict(getattr(m, "meta", None) or {})))
            question = None
    return out


def consent_answer(question: str, prior: list[Any], ctx: "ToolContext", toolbox: "ToolBox", *, mode: str,
                   model: str | None) -> "Answer | None":
    """The answer to a go-ahead (None: the question is not one). See the module docstring."""
    if not reads_as_go_ahead(question):
        return None
    exchanges = _exchanges(prior)
    last = exchanges[-1] if exchanges else None
    dry = (last[1].get("dry_run") if last else None) or None
    why: str | None = None
    if last is None:
        why = "there is no answer before it in this conversation to go ahead with"
    elif dry is None:
        why = ("the answer before it was the model's text, and a change is never taken from a model's words"
               if last[1].get("mode") == "agent" and not last[1].get("approvals") else
               "the answer before it was not netops's dry run of one vetted change")
    elif not dry.get("ok"):
        why = (f"the dry run of {dry.get('playbook')} on {', '.join(dry.get('hosts') or [])} before it did not "
               "pass (its prechecks failed or it could not be planned): there is nothing to go ahead with")
    elif not is_consent(question):
        why = ("it says more than a go-ahead (a condition, another target or another change): a change is asked "
               "for in its own words")
    elif len(exchanges) > 1 and (before := exchanges[-2][1].get("dry_run")) and \
            (before.get("playbook"), before.get("hosts")) != (dry.get("playbook"), dry.get("hosts")):
        why = (f"two dry runs came just before it ({before.get('playbook')} on {', '.join(before.get('hosts') or [])} "
               f"and {dry.get('playbook')} on {', '.join(dry.get('hosts') or [])}): which one is not said")
    from netops.agent.change_path import _dry_runnable, match_for

    m = match_for(last[0], ctx, toolbox) if dry and dry.get("ok") and last is not None else None
    if why is None and (m is None or not _dry_runnable(m) or
                        (m.would_be.playbook, list(m.would_be.hosts)) != (dry.get("playbook"), dry.get("hosts"))):
        why = "the question before it no longer reads as that change"  # the catalogue or inventory changed since
    if why is None and mode == "offline":
        why = "netops is offline (no language model): it plans and shows changes but runs none here"
    if why is not None:
        return _needs(question, why, dry if dry and dry.get("ok") else None, last, m, ctx, toolbox, mode, model)
    return _go_ahead(question, last[0], m, ctx, toolbox, model)


def _needs(question: str, why: str, dry: dict[str, Any] | None, last: Any, m: Any, ctx: "ToolContext",
           toolbox: "ToolBox", mode: str, model: str | None) -> "Answer":
    from netops.agent.change_path import OFFLINE_LABEL
    from netops.assistant import Answer

    lead = f"{OFFLINE_LABEL}. " if mode == "offline" else ""
    text = (f"{lead}\"{question.strip()}\" is not a request for a change here: {why}. Nothing was proposed and "
            "nothing was changed.")
    if dry is not None and last is not None:
        text += (f"\n\nTo make the change netops dry-ran, ask for it in your own words (as in \"{_ask(m, ctx, dry)}\"); "
                 "you will see the plan and be asked to approve it.")
        if mode == "offline" and m is not None and getattr(m, "would_be", None) is not None:
            text += f" Or from a shell:\n\n```\n{m.would_be.command()}\n```"
    else:
        text += "\n\nTo make a change, ask for it in your own words, naming the change and the device (\"drain r2\")."
    return Answer(question=question, text=text, mode=mode, model=model if mode != "offline" else None,
                  tool_calls=list(toolbox.calls), asks=True,
                  notice="a go-ahead that asks for no change: nothing proposed" + (
                      "; the model was not asked" if mode != "offline" else ""))


def _ask(m: Any, ctx: "ToolContext", dry: dict[str, Any]) -> str:
    """How the person would say the change the dry run showed ("drain r2"), as the dry run said it."""
    from netops.agent.change_intent import playbooks_from
    from netops.agent.change_tools import catalogue_of

    w = getattr(m, "would_be", None)
    if w is None:
        return " ".join([str(dry.get("playbook")), *(dry.get("hosts") or [])])
    pb = next((p for p in playbooks_from(catalogue_of(ctx)) if p.name == w.playbook), None)
    if pb is not None and len(w.hosts) == 1:
        return pb.phrasing({"host": w.hosts[0], **w.params})
    return " ".join([w.playbook, *w.hosts])


def _go_ahead(question: str, what_if: str, m: Any, ctx: "ToolContext", toolbox: "ToolBox",
              model: str | None) -> "Answer":
    from netops.agent.change_path import run_change

    ctx.consent = what_if
    lead = (f"You went ahead with the change netops dry-ran for \"{what_if.strip()}\": it is proposed now; "
            "you will see the plan and be asked to approve it.")
    return run_change(question, m.would_be, ctx, toolbox, model=model, lead=lead,
                      notice="a go-ahead right after netops's dry run of this change: proposed for approval; "
                             "the model was not asked")
