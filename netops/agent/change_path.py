"""A change the person asked for in so many words, proposed without waiting for the model.

Small local models rarely call ``playbook_run``; "drain r3 for maintenance" then produced one
sentence and nothing else. Before the model is asked, the question goes through the
deterministic matcher (:mod:`netops.agent.change_intent`):

- in agent mode an unambiguous request is proposed through the **same** ``playbook_run`` tool the
  model would call (plan -> :class:`PlanEvent` -> reviewer -> :class:`ApprovalRequestEvent` or the
  injected approver -> execute -> audit), shown to the surface as a tool call; its approval record
  says ``matched_by="words"``;
- without a model (offline) nothing is run: the answer is the matched plan with a dry run and the
  exact ``netops playbook run`` commands;
- a request that is missing something gets a clarification in both modes;
- a hypothetical ("what happens if I drain r3", "how do I drain r3") that names everything is
  answered in both modes with the playbook's dry run (``playbook_plan``: read-only, no approval is
  ever requested) and how to ask for it;
- a request no vetted playbook does ("set mtu 9000 on r1 eth-r2") is refused in both modes with the
  vetted changes it could make instead (:func:`refused`); nothing is changed, no model is asked;
- any other question about a change goes on to the usual path.
"""

from __future__ import annotations

import re
import uuid
from typing import TYPE_CHECKING, Any

from netops.agent.change_intent import ChangeMatch, match_question, playbooks_from
from netops.agent.change_tools import catalogue_of

if TYPE_CHECKING:
    from netops.agent.tools import ToolBox, ToolContext
    from netops.assistant import Answer

OFFLINE_LABEL = "offline answer (no language model used)"


def match_for(question: str, ctx: "ToolContext", toolbox: "ToolBox") -> ChangeMatch | None:
    """The matcher's verdict on ``question``; None when this assistant cannot change anything
    (no ``playbook_run`` tool) or the catalogue cannot be read."""
    from netops.agent.offline import inventory_groups, inventory_hosts

    if "playbook_run" not in toolbox.tools:
        return None
    settings = ctx.settings
    hosts = inventory_hosts(ctx.get_devices()) if ctx.devices is not None or settings.paths.inventory.exists() else []
    if not hosts:  # no device to change: the usual path says why (no inventory, a broken one)
        return None
    from netops.agent.router import converged, effect_state

    if effect_state(question) or converged(question):
        # "is neighbor X shut on r1?", "is any interface shut on r2?", "any peers shut down on r1?", "did
        # the drain converge?": whether something is in the state a change leaves, or settled after it,
        # which the router reads; never a request for the change
        return None
    try:
        m = match_question(question, catalogue_of(ctx), hosts, inventory_groups(ctx.get_devices()))
    except Exception:  # a broken catalogue must not break reads; the model path reports it
        return None
    return _with_peers(m, ctx)


def _with_peers(m: ChangeMatch, ctx: "ToolContext") -> ChangeMatch:
    """A neighbour named by its router ("from r1 to r2") resolved to its address on the target."""
    from netops.agent.peer_change import resolve_peers

    if m.kind == "change":
        return resolve_peers(m, ctx)
    if m.would_be is not None and m.would_be.is_change and m.would_be.peers:
        m.would_be = resolve_peers(m.would_be, ctx)
    return m


def _args(m: ChangeMatch) -> dict[str, Any]:
    return {"playbook": m.playbook, "hosts": list(m.hosts), "params": dict(m.params)}


def _call(toolbox: "ToolBox", name: str, args: dict[str, Any], emit: Any) -> Any:
    """One tool call made for the person's words, shown to the surface like the model's calls."""
    from netops.agent.events import ToolEndEvent, ToolStartEvent

    call_id = f"words-{uuid.uuid4().hex[:8]}"
    emit(ToolStartEvent(name, dict(args), call_id))
    result = toolbox.call(name, args)
    emit(ToolEndEvent(toolbox.calls[-1], call_id))
    return result


def _params_text(m: ChangeMatch) -> str:
    """``neighbor=198.51.100.2 (r2, resolved on r1 by ...)`` for a value resolved from a router's name."""
    def one(k: str, v: Any) -> str:
        d = m.resolved.get(k)
        return f"{k}={v}" + (f" ({d['host']}, resolved on {d['on']} by {d['how']})" if d else "")

    return ", ".join(one(k, v) for k, v in m.params.items())


def _heading(m: ChangeMatch) -> str:
    params = _params_text(m)
    return (f"Your request matches the vetted playbook **{m.playbook}** ({m.risk} risk) on "
            f"{', '.join(m.hosts)}" + (f" with {params}" if params else "") + " (matched from your words).")


def _answer(question: str, text: str, mode: str, model: str | None, m: ChangeMatch, ctx: "ToolContext",
            toolbox: "ToolBox", notice: str | None) -> "Answer":
    from netops.assistant import Answer

    return Answer(question=question, text=text, mode=mode, model=model, evidence=list(ctx.evidence),
                  tool_calls=list(toolbox.calls), approvals=list(ctx.approvals), notice=notice, change=m)


def propose(question: str, ctx: "ToolContext", toolbox: "ToolBox", *, model: str | None,
            previous: "list[str] | None" = None, prior: "list[Any] | None" = None) -> "Answer | None":
    """Agent mode: propose a worded change (or ask what is missing); None when the question is
    not an unambiguous request, so the model answers it as before. ``previous``: the person's
    earlier questions (oldest first), for an undo that leans on them ("undo it"); ``prior``: the
    conversation's stored messages, for a go-ahead after netops's dry run (:mod:`netops.agent.consent`)."""
    from netops.agent.consent import consent_answer
    from netops.agent.revert import answer_revert

    if (said := consent_answer(question, prior or [], ctx, toolbox, mode="agent", model=model)) is not None:
        return said  # "ok go ahead" after "what happens if I drain r2?": that change, for approval (or why not)

    if (undo := answer_revert(question, ctx, toolbox, mode="agent", model=model, previous=previous or [])) is not None:
        return undo  # "revert what alice changed on r2": the change and the vetted way back, as offline
    if history_asked(question, ctx):
        return None  # "did the drain work?": what netops's audit log recorded (the router's), not a change
    if (cond := conditional_answer(question, ctx, toolbox, "agent", model)) is not None:
        return cond  # "if r2 has no session to r3, drain r3": the condition read; the change never chained to it
    m = match_for(question, ctx, toolbox)
    if m is not None and _dry_runnable(m):
        return _answer(question, describe_dry_run(m, ctx, toolbox), "agent", model, m, ctx, toolbox,
                       "a question about a change: its dry run, nothing was changed; the model was not asked")
    if (m is None or (m.kind != "change" and not _named_change(question, m))) and picked_by_state(question, ctx):
        # "restart whatever is down": never a change of targets netops picked; what is down, and
        # how to ask for each one by name (as offline)
        from netops.agent.offline import answer_offline

        answer = answer_offline(question, ctx, toolbox)
        answer.mode, answer.model = "agent", model
        answer.notice = "a change of targets your words pick by their state: read, not changed; the model was not asked"
        return answer
    if m is not None and refused(question, m, _hosts(ctx)):
        # "set mtu 9000 on r1 eth-r2": no vetted playbook does it; said as offline, never the model's guess
        answer = _answer(question, m.text(), "agent", model, m, ctx, toolbox,
                         "no vetted playbook does this; nothing was changed; the model was not asked")
        answer.refused = True
        return answer
    if m is None or m.kind not in ("change", "clarify"):
        return None
    if m.kind == "clarify" and m.code == "parameter" and m.phrase:
        # a team procedure named by its phrase ("plan the turn-up ..."): its values often come from
        # the model's tools (peeringdb_lookup), so the model plans it (playbook_plan); a run it
        # proposes with a value the words did not give is refused before anyone is asked, and the
        # answer gives the line to say with those values (the rule: netops.agent.intent)
        return None
    notice = "matched from your words; the model was not asked"
    if m.kind == "clarify":
        return _answer(question, m.text(), "agent", model, m, ctx, toolbox, notice)
    return run_change(question, m, ctx, toolbox, model=model, notice=notice)


def run_change(question: str, m: ChangeMatch, ctx: "ToolContext", toolbox: "ToolBox", *, model: str | None,
               notice: str, lead: str | None = None) -> "Answer":
    """Propose the complete change ``m`` through ``playbook_run`` (plan, reviewer, approval, run, audit)
    and say how it went; ``lead`` goes first (a go-ahead says which dry run it answers)."""
    before = len(ctx.approvals)
    result = _call(toolbox, "playbook_run", _args(m), ctx.emit)
    for record in ctx.approvals[before:]:
        record.matched_by = "words"
    lines = [lead] if lead else [_heading(m)]
    record = ctx.approvals[-1] if len(ctx.approvals) > before else None
    if record is not None:
        outcome = f"{record.decision}" + (f" by {record.by}" if record.by else "")
        lines.append(f"**Outcome:** {outcome}" + (f": {record.result}" if record.result else "") + ".")
    if result.content and (result.ok or record is not None):
        lines.append(result.content)  # a failed run's report says which check failed where, and what was undone
    elif not result.ok and record is None:
        lines.append(f"**Not run:** {result.error}")
    if not result.changed:
        lines.append("Nothing was changed.")
    if any("model" in r.reviewed_by for r in ctx.approvals[before:]):
        # the model did not pick the change, but it gave the plan its second opinion: said as it was
        from netops.agent.reviewer import NO_VERDICT

        silent = all(NO_VERDICT in r.review_findings for r in ctx.approvals[before:] if "model" in r.reviewed_by)
        notice = ("matched from your words, not chosen by the model; the model was asked to review the plan and "
                  "gave no verdict" if silent else
                  "matched from your words, not chosen by the model; the model reviewed the plan")
    answer = _answer(question, "\n\n".join(lines), "agent", model, m, ctx, toolbox, notice)
    if ctx.cancel is not None and ctx.cancel.cancelled:  # as when the model's call is cancelled
        from netops.errors import Cancelled

        err = Cancelled(ctx.cancel.reason or "cancelled")
        answer.text = f"**Cancelled:** {err.message}\n\n{answer.text}"
        answer.error, answer.error_exit, answer.cancelled = err.message, err.exit_code, True
    return answer


_PAST_EVENT = re.compile(
    r"^\W*(?:did|has|have|had|was|were|when|how\s+(?:long|often|many\s+times)|since\s+when)\b|"
    r"\b(?:recently|lately|overnight|today|yesterday|ago|last\s+(?:night|hour|day|week)|ever)\b", re.IGNORECASE)
"""A question of what happened ("did r2's session reset?", "when did r1 last reset it?", "has
it restarted today?"), not of what a change would do."""


def _reads_a_value(question: str, m: ChangeMatch, hosts: list[str] | None = None) -> bool:
    """A question about what a playbook changes that asks for the value it has now (the router
    reads it from the device's configuration), whether a peer or an interface is in the state the
    change leaves (shut, disabled, admin down: the session list or the interface table says), or
    whether a session reset (its uptime in the session list says), rather than about the change."""
    from netops.agent.router import effect_state, route

    r = route(question, list(m.hosts))
    if r.kind == "tool" and r.args.get("getter") == "config":
        return True
    if r.kind == "tool" and r.args.get("getter") in ("bgp_neighbors", "interfaces") and effect_state(question):
        return True  # "is neighbor X shut down on r1?": the state the change leaves, read from the device
    if not _PAST_EVENT.search(question):
        return False
    if r.kind != "tool" and hosts:
        r = route(question, hosts)  # "did any bgp peer bounce?": the fleet's sessions
    return r.kind == "tool" and (r.args.get("getter") == "bgp_neighbors" or bool(r.args.get("_reboot")))


def _asks_what_happened(question: str, hosts: list[str]) -> bool:
    """A question whether a device restarted or a session reset ("when did r3 last reload?"), with
    a change word in it that no vetted playbook does: the router reads the uptime that answers it."""
    from netops.agent.router import route

    r = route(question, hosts) if hosts else None
    # (and "show me the change history of r2": what netops changed, from its audit log)
    return r is not None and r.kind == "tool" and bool(r.args.get("_reboot") or r.args.get("_reset")
                                                        or r.args.get("_history") or r.args.get("_route_history"))


def refused(question: str, m: ChangeMatch, hosts: list[str]) -> bool:
    """Do the words ask for a change of a named device that no vetted playbook does ("set mtu 9000 on
    r1 eth-r2", "enable bfd on r1")? Then netops says so itself, with a model as without one. Words
    that ask about one ("what mtu is r2 eth-r3 set to?", "how do I change the mtu on r1?") or whether
    something happened ("did r3 reload?") are questions."""
    from netops.agent.intent import hypothetical

    return m.kind == "unmatched" and not hypothetical(question) and not _asks_what_happened(question, hosts)


def history_asked(question: str, ctx: "ToolContext") -> bool:
    """Does ``question`` ask what netops changed, or how a change it made ended ("what changed on
    r2?", "did the drain work?", "who approved the drain on r3?", "when was r3 drained and by
    whom?")? The router answers it from the audit log; the change matcher, which would read the
    change's name as a hypothetical and show its dry run, is not asked."""
    from netops.agent.router import route

    hosts = _hosts(ctx)
    r = route(question, hosts) if hosts else None
    return r is not None and r.kind == "tool" and r.tool == "change_history"


def _routed_read(question: str, hosts: list[str], ctx: "ToolContext | None" = None) -> bool:
    """Does the router read a device for ``question`` (with ``ctx``, as the offline path routes it:
    devices named by a group too, "is the lab ok after the change?")?"""
    from netops.agent.router import route, route_named

    if not hosts:
        return False
    if route(question, hosts).kind == "tool":
        return True
    if ctx is None:
        return False
    from netops.agent.offline import device_index

    index = device_index(ctx.get_devices())
    return index is not None and route_named(question, hosts, index)[0].kind == "tool"


def _named_change(question: str, m: ChangeMatch) -> bool:
    """Do the words ask for a change of a device they name ("restart r1 and whatever is down",
    "drain r1 then clear whatever bgp is down"), not only of what a state picks on it ("restart
    whatever is down on r2")? Then the change matcher's answer stands."""
    from netops.agent.router import CHANGE_WORDS

    if not m.hosts:
        return False
    if m.code == "multiple-changes":
        return True
    verbs = "|".join(sorted(map(re.escape, CHANGE_WORDS | {"drain", "undrain"})))
    names = "|".join(map(re.escape, m.hosts))
    return bool(re.search(rf"\b(?:{verbs})\s+(?:(?:the|router|device|switch|host|on)\s+)*(?:{names})\b",
                          question, re.IGNORECASE))


def _hosts(ctx: "ToolContext") -> list[str]:
    from netops.agent.offline import inventory_hosts

    return inventory_hosts(ctx.get_devices()) if ctx.devices is not None or ctx.settings.paths.inventory.exists() else []


def picked_by_state(question: str, ctx: "ToolContext") -> bool:
    """Does ``question`` ask for a change of targets its words pick by their state, not by name
    ("restart whatever is down")? The offline router reads those and changes nothing
    (:mod:`netops.agent.fleet_change`)."""
    from netops.agent.router import route

    hosts = _hosts(ctx)
    r = route(question, hosts) if hosts else None
    return r is not None and r.kind == "change" and r.read is not None


def describe_offline(question: str, ctx: "ToolContext", toolbox: "ToolBox",
                     previous: "list[str] | None" = None) -> "Answer | None":
    """Offline: the matched plan, a dry run and the commands (nothing is changed); a
    clarification; or None for everything else (the offline router answers it, and a change
    of targets picked by their state: what is down, no change)."""
    from netops.agent.revert import answer_revert
    from netops.agent.router import _HOW_TO_CHANGE

    if (undo := answer_revert(question, ctx, toolbox, mode="offline", previous=previous or [])) is not None:
        return undo  # "undo the last change on r1": the change, and the vetted playbook that does the opposite
    if history_asked(question, ctx):
        return None  # "did the drain work?", "who approved the drain?": the audit log answers, no dry run
    if (cond := conditional_answer(question, ctx, toolbox, "offline", None)) is not None:
        return cond  # "check r3 and if it's healthy, drain it": r3 read; the drain is asked for in its own words
    m = match_for(question, ctx, toolbox)
    if m is None or m.kind == "none":
        return None
    if m.kind != "change" and not _dry_runnable(m) and not _named_change(question, m) and picked_by_state(question, ctx):
        return None  # (a device the words name is the matcher's: "drain r1 then clear whatever is down")
    if m.kind == "unmatched" and _asks_what_happened(question, _hosts(ctx)):
        return None  # "when did r3 last reload?": whether it happened, which the router reads
    refusal = m.kind == "unmatched" and refused(question, m, _hosts(ctx))  # (read once: it routes the question)
    if m.kind == "unmatched" and not refusal and _routed_read(question, _hosts(ctx), ctx):
        return None  # "what mtu is r2 eth-r3 set to?": a question, which the router reads (as with a model)
    if m.kind == "unmatched" and not refusal and _HOW_TO_CHANGE.match(question):
        return None  # "how do I configure bgp on r1?": the documents answer how; nothing is proposed
    if m.kind in ("clarify", "unmatched"):
        answer = _answer(question, f"{OFFLINE_LABEL}, intent: change.\n\n{m.text()}", "offline", None, m, ctx,
                         toolbox, None)
        answer.refused = refusal
        return answer
    if _dry_runnable(m):
        return _answer(question, f"{OFFLINE_LABEL}.\n\n" + describe_dry_run(m, ctx, toolbox), "offline", None, m,
                       ctx, toolbox, None)
    if m.kind == "question" and m.code == "about" and _reads_a_value(question, m, _hosts(ctx)):
        return None  # "what's the ospf cost on r1's interfaces?", "did r2's session reset?": the router reads it
    if m.kind == "question":
        text = f"{OFFLINE_LABEL}: {m.reason}."
        pb = next((p for p in playbooks_from(catalogue_of(ctx)) if p.name == m.playbook), None) if m.playbook else None
        if pb is not None:
            text += f"\n\nThe vetted playbook {pb.name} ({pb.risk} risk): {pb.description.strip()}"
        if m.playbook and m.hosts:
            text += (f"\n\nTo see what {m.playbook} would do on {', '.join(m.hosts)} without changing anything:"
                     f"\n\n```\n{m.command(dry_run=True)}\n```")
        return _answer(question, text, "offline", None, m, ctx, toolbox, None)
    parts = [f"{OFFLINE_LABEL}, intent: change.", _heading(m),
             "Offline mode runs no change. The dry run below changed nothing."]
    dry = toolbox.call("playbook_plan", _args(m))
    if dry.ok:
        parts.append("```\n" + _plan_body(dry.content) + "\n```")
    else:
        parts.append(f"**Dry run failed:** {dry.error}" + (f"\n\n```\n{dry.content}\n```" if dry.content else ""))
    parts.append("To run it (you will be asked to approve it):\n\n```\n"
                 f"{m.command(dry_run=True)}\n{m.command()}\n```")
    return _answer(question, "\n\n".join(parts), "offline", None, m, ctx, toolbox, None)


def conditional_answer(question: str, ctx: "ToolContext", toolbox: "ToolBox", mode: str,
                       model: str | None) -> "Answer | None":
    """A change asked for on a condition ("if r2 has no session to r3, drain r3"): the condition
    read as a question, and the change not made nor proposed (:mod:`netops.agent.conditional`); None
    for anything else. The same in both modes; the model is not asked."""
    from netops.agent import conditional

    if "playbook_run" not in toolbox.tools or not (hosts := _hosts(ctx)):
        return None
    c = conditional.asked(question, hosts)
    if c is not None and picked_by_state(question, ctx):
        return None  # "reset bgp if it is not up": targets its words pick by their state (fleet_change reads them)
    if c is None or (m := match_for(c.request, ctx, toolbox)) is None or m.kind not in ("change", "clarify"):
        return None  # (a request no vetted playbook does is refused as such, condition or not)
    from netops.assistant import Answer

    text = conditional.answer_text(c, ctx, toolbox, OFFLINE_LABEL if mode == "offline" else "netops")
    return Answer(question=question, text=text, mode=mode, model=model, evidence=list(ctx.evidence),
                  tool_calls=list(toolbox.calls), approvals=list(ctx.approvals),
                  notice=("a change on a condition: the condition was read, no change was proposed"
                          + ("; the model was not asked" if mode != "offline" else "")))


def _dry_runnable(m: ChangeMatch) -> bool:
    """A hypothetical whose words, as a request, would be a complete change."""
    return m.kind == "question" and m.code == "hypothetical" and m.would_be is not None and m.would_be.is_change


def describe_dry_run(m: ChangeMatch, ctx: "ToolContext", toolbox: "ToolBox") -> str:
    """What the change a hypothetical asks about would do: the playbook, its dry run (a read-only
    ``playbook_plan`` call, shown like any tool call) and how to ask for it. Never runs it, never asks
    for approval."""
    w = m.would_be
    assert w is not None and w.is_change
    params = _params_text(w)
    lines = [f"This asks about a change rather than for one: nothing is proposed and nothing was changed. "
             f"The vetted playbook **{w.playbook}** ({w.risk} risk) would do it on {', '.join(w.hosts)}"
             + (f" with {params}" if params else "") + ". netops does not predict how the network would react "
             "(it simulates none); what it can say is what the playbook would send and check: its dry run, below, "
             "and after a run its post-checks."]
    pb = next((p for p in playbooks_from(catalogue_of(ctx)) if p.name == w.playbook), None)
    if pb is not None:
        lines.append(f"{pb.name}: {pb.description.strip()}")
    dry = _call(toolbox, "playbook_plan", _args(w), ctx.emit)
    if dry.ok:
        lines.append("Its dry run (nothing was changed):\n\n```\n" + _plan_body(dry.content) + "\n```")
    else:
        lines.append(f"**Its dry run failed:** {dry.error}" + (f"\n\n```\n{dry.content}\n```" if dry.content else ""))
    ask = pb.phrasing({"host": w.hosts[0], **w.params}) if pb is not None and len(w.hosts) == 1 else None
    lines.append("To make this change, ask for it" + (f' ("{ask}")' if ask else "") + "; you will see the plan "
                 "and be asked to approve it. Or from a shell:\n\n```\n"
                 f"{w.command(dry_run=True)}\n{w.command()}\n```")
    return "\n\n".join(lines)


def _plan_body(content: str) -> str:
    """The plan text of a ``playbook_plan`` result, without the lines addressed to the model."""
    lines = content.splitlines()
    body = [ln for ln in lines[1:] if not ln.startswith("To apply it call playbook_run")]
    return "\n".join(body).strip()
