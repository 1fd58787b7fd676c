"""Answers without a model: the intent router picks one read-only tool or a retrieval answer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from netops.agent.prompts import NO_MODEL
from netops.agent.router import route
from netops.agent.tools import ToolBox, ToolContext

if TYPE_CHECKING:
    from netops.assistant import Answer

LABEL = "offline answer (no language model used)"
CONFIG_CHARS = 3000
"""At most this much of a configuration goes into an offline answer; the rest is counted."""


def inventory_hosts(devices: Any) -> list[str]:
    """The inventory's host names, or none when there is no (readable) inventory."""
    try:
        return [h.name for h in devices.inventory]
    except Exception:  # no inventory yet: only spec questions can be routed
        return []


def inventory_groups(devices: Any) -> dict[str, list[str]]:
    """Each inventory group (direct or inherited) -> its hosts, in inventory order."""
    out: dict[str, list[str]] = {}
    try:
        for h in devices.inventory:
            for g in h.all_groups:
                out.setdefault(g, []).append(h.name)
    except Exception:  # no inventory: no groups
        return {}
    return out


def _no_hosts_note(settings: Any, hosts: list[str], reason: str | None) -> str | None:
    """Why a question that looked for a device found none: a missing or broken inventory must
    not silently turn "bgp neighbours on r1" into an RFC search."""
    if hosts or not reason:
        return None
    path = settings.paths.inventory
    if not path.exists():
        return f"no device inventory at {path} (netops lab up, or set NETOPS_INVENTORY)"
    return f"no hosts from the inventory {path} (netops devices list says why)"


def _summarise(getter: str, data: Any, extra: dict[str, Any]) -> str:
    """One or more Markdown lines for one host's typed state."""
    if getter == "bgp_neighbors":
        rows = [f"- {n.peer} AS{n.remote_as}: {n.state}"
                + (" (admin down: shut by configuration)" if n.admin_down else "")
                + (f", {n.prefixes_received} prefixes" if n.prefixes_received is not None else "")
                + ("" if (n.vrf, n.afi_safi) == ("default", "ipv4-unicast") else f" ({n.afi_safi}, VRF {n.vrf})")
                + (f" (BGP instance {n.instance})" if n.instance else "")
                for n in data.neighbors]
        return "\n".join(rows) or f"- {data.note or 'no BGP neighbours configured'}"
    if getter == "ospf_neighbors":
        rows = [f"- {n.neighbor_id} via {n.interface or '?'} ({n.address or '?'}): {n.state}" for n in data.neighbors]
        return "\n".join(rows) or f"- {data.note or 'no OSPF neighbours'}"
    if getter == "interfaces":
        ifs = data.interfaces
        if extra.get("_names"):
            ifs = [i for i in ifs if i.name in extra["_names"]]
        if extra.get("_filter") == "down":
            ifs = [i for i in ifs if not i.oper_up]
            if not ifs:
                return "- no interfaces are down"
        elif extra.get("_filter") == "up":
            ifs = [i for i in ifs if i.oper_up]
        lines = [f"- {i.name}: admin {'up' if i.admin_up else 'down'}, oper {'up' if i.oper_up else 'down'}"
                 + (f" ({', '.join(i.addresses)})" if i.addresses else "") for i in ifs] or ["- no interfaces"]
        return "\n".join([*lines, *([f"- note: {data.note}"] if data.note else [])])
    if getter == "route":
        if not data.found:
            return f"- {data.query}: no route"
        hops = ", ".join(f"{h.address or ''}{' via ' + h.interface if h.interface else ''}".strip() for h in data.next_hops)
        return f"- {data.query}: yes, {data.prefix} via {data.protocol}" + (f" -> {hops}" if hops else "")
    if getter == "facts":
        return f"- {data.hostname}: {data.vendor} {data.platform} {data.os_version or ''}".rstrip() + (
            f", up {int(data.uptime_seconds)} s" if data.uptime_seconds else "")
    if getter == "config":
        text, what = data.text.strip(), "running configuration"
        if section := extra.get("_section"):
            from netops.devices.config_sections import config_section

            part = config_section(text, section)
            if part is None:
                return f"- no {section} lines in the {what}"
            text, what = part, f"{section} lines of the {what}"
        cut = text[:CONFIG_CHARS].rsplit("\n", 1)[0] if len(text) > CONFIG_CHARS else text
        more = text.count("\n") - cut.count("\n")
        return (f"The {what}" + (" (redacted)" if getattr(data, "redacted", False) else "") + ":\n\n```\n"
                + cut + "\n```" + (f"\n\n({more} more lines: `netops state <host> config` shows all)" if more else ""))
    if getter in ("bgp_advertised", "bgp_received"):
        from netops.devices.peer_routes import describe

        return describe(data, only=extra.get("_prefixes"))
    return f"- {data}"


def _domain(settings: Any) -> frozenset[str]:
    from netops.agent.router import DOMAIN_WORDS, vocabulary
    from netops.rag.glossary import load_glossary

    path = settings.paths.knowledge_dir / "glossary.md"
    try:
        return vocabulary(load_glossary(path)) if path.is_file() else DOMAIN_WORDS
    except Exception:  # a broken team glossary must not break offline answers
        return DOMAIN_WORDS


_MATCHERS: dict[str, Any] = {}


def _matcher(settings: Any) -> Any:
    """The embedding half of the router, built on first need and kept for the process."""
    from netops.rag.embedders import make_embedder

    try:
        embedder = make_embedder(settings)
    except Exception:  # no embedder reachable: the keyword half still works
        return None
    if embedder is None:
        return None
    key = embedder.fingerprint
    if key not in _MATCHERS:
        from netops.agent.router import SemanticMatcher

        _MATCHERS[key] = SemanticMatcher(embedder)
    return _MATCHERS[key]


def _covered(question: str, kb: Any, hits: list[Any]) -> Any:
    """Whether the retrieved passages answer the question (:mod:`netops.agent.abstain`)."""
    from netops.agent.abstain import assess

    if not hits:
        return None
    try:
        embed = kb.embedder.embed_query if getattr(kb, "embedder", None) is not None else None
        counts = getattr(getattr(kb, "lexical", None), "term_counts", None)
        return assess(question, [f"{h.chunk.citation} {h.chunk.title}\n{h.chunk.text}" for h in hits],
                      counts=counts, embed=embed)
    except Exception:  # the answer without the verdict is still the retrieval answer
        return None


def answer_offline(question: str, ctx: ToolContext, toolbox: ToolBox) -> "Answer":
    """Answer without a model: route ``question`` to one read-only tool of ``toolbox`` or to a
    retrieval answer from ``ctx``'s knowledge base. Everything it uses comes in as arguments."""
    from netops.assistant import Answer

    settings = ctx.settings
    answer = Answer(question=question, text="", mode="offline")
    hosts = inventory_hosts(ctx.get_devices()) if ctx.devices is not None or settings.paths.inventory.exists() else []
    r = route(question, hosts, _domain(settings), matcher=lambda: _matcher(settings))
    if r.kind == "spec":
        from netops.rag.answer import retrieval_answer

        ra = retrieval_answer(ctx.get_kb(), question, top_k=3)
        from netops.agent.evidence import spec_evidence

        if not ra.citations and r.reason:
            answer.text = f"{LABEL}: {r.reason}, and the knowledge base has nothing close.\n\n{NO_MODEL}"
            return answer
        answer.text = ra.text
        answer.evidence = [spec_evidence(c) for c in ra.citations]
        covered = _covered(question, ctx.get_kb(), ra.hits)
        if covered is not None and not covered.covered:
            from netops.agent.abstain import NOT_COVERED

            # The passages are still shown (they are what is nearest), under an honest heading.
            answer.text = f"**{NOT_COVERED}** ({covered.reason}).\n\n{ra.text}"
            answer.abstained = True
        answer.notice = "; ".join(x for x in (r.reason, _no_hosts_note(settings, hosts, r.reason), ra.notice)
                                  if x) or None
        return answer
    if r.kind != "tool":
        answer.text = f"{LABEL}: {r.reason}.\n\n{NO_MODEL}"
        return answer
    extra = {k: v for k, v in r.args.items() if k.startswith("_")}
    args = {k: v for k, v in r.args.items() if not k.startswith("_")}
    result = toolbox.call(r.tool or "", args)
    answer.tool_calls = list(toolbox.calls)
    answer.evidence = list(ctx.evidence)
    if r.tool == "diagnose_route":
        answer.text = (f"{LABEL}, intent: route diagnosis.\n\n{result.data.render()}" if result.ok
                       else f"{LABEL}, intent: route diagnosis.\n\nFailed: {result.error}")
        return answer
    if r.tool == "list_devices":
        rows = result.data or []
        body = "\n".join(f"- {d['name']} ({d['platform']})" for d in rows) or "- no devices"
        answer.text = f"{LABEL}, intent: list devices.\n\n{body}"
        return answer
    parts = [f"{LABEL}, intent: {r.intent} on {', '.join(args['hosts'])}."]
    agg = result.data
    if agg is None:
        parts.append(f"Failed: {result.error}")
    else:
        for host, hr in agg.items():
            parts.append(f"**{host}** ({hr.command}):")
            parts.append(_summarise(args["getter"], hr.data, extra) if hr.ok else f"- failed: {hr.error}")
    answer.text = "\n\n".join(parts)
    return answer
