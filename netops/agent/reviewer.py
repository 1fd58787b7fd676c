"""Second opinion on a proposed change, shown beside the plan before anyone approves it.

Deterministic rules always run (right host? does the named neighbour exist? risk, blast
radius); with a model reachable a separate model call with its own prompt adds findings.
The reviewer can warn or block. It can never approve: approval belongs to the approver.
"""

from __future__ import annotations

import ipaddress
import json
import re
from dataclasses import dataclass, field
from typing import Any, Literal

from netops.agent.router import entities

Level = Literal["ok", "warn", "block"]
_ORDER = {"ok": 0, "warn": 1, "block": 2}


@dataclass
class Verdict:
    level: Level = "ok"
    findings: list[str] = field(default_factory=list)
    by: list[str] = field(default_factory=list)

    def raise_to(self, level: Level, finding: str) -> None:
        if _ORDER[level] > _ORDER[self.level]:
            self.level = level
        self.findings.append(finding)

    def merge(self, other: "Verdict") -> "Verdict":
        out = Verdict(self.level, [*self.findings], [*self.by, *other.by])
        for f in other.findings:
            out.findings.append(f)
        if _ORDER[other.level] > _ORDER[out.level]:
            out.level = other.level
        return out

    def summary(self) -> str:
        head = {"ok": "reviewer: no objection", "warn": "reviewer: WARNING", "block": "reviewer: BLOCKED"}[self.level]
        return head + ("" if not self.findings else " - " + "; ".join(self.findings))


def _ips(value: Any) -> list[str]:
    out = []
    for v in value.values() if isinstance(value, dict) else [value]:
        try:
            out.append(str(ipaddress.ip_address(str(v))))
        except ValueError:
            continue
    return out


def review_rules(plan: Any, intent: str, *, hosts: list[str], devices: Any = None,
                 observations: dict[str, Any] | None = None) -> Verdict:
    """Deterministic checks of ``plan`` (``.playbook``, ``.hosts``, ``.params``, ``.risk``)."""
    v = Verdict(by=["rules"])
    observations = dict(observations or {})
    plan_hosts = list(getattr(plan, "hosts", []) or [])
    params = dict(getattr(plan, "params", {}) or {})
    ents = entities(intent, hosts)
    named = ents["hosts"]
    if named and not set(plan_hosts) <= set(named):
        v.raise_to("block", f"plan targets {', '.join(plan_hosts)} but the request names {', '.join(named)}")
    if len(plan_hosts) > 1:
        v.raise_to("warn", f"touches {len(plan_hosts)} devices at once")
    risk = str(getattr(plan, "risk", "") or "")
    if risk in ("high", "critical"):
        v.raise_to("warn", f"{risk}-risk playbook")
    asked = {a.split("/")[0] for a in ents["addresses"]}
    param_ips = _ips(params)
    if asked and param_ips and not asked & set(param_ips):
        v.raise_to("block", f"parameters name {', '.join(param_ips)} but the request names {', '.join(sorted(asked))}")
    # A neighbour parameter must be a configured BGP neighbour on every target.
    for ip in param_ips:
        if not re.search(r"bgp|neighbo|peer|session", f"{getattr(plan, 'playbook', '')} {json.dumps(params)}", re.I):
            break
        for h in plan_hosts:
            state = observations.get(f"{h}:bgp_neighbors")
            if state is None and devices is not None:
                try:
                    r = devices.get([h], "bgp_neighbors")[h]
                    state = r.data if r.ok else None
                except Exception:
                    state = None
            if state is None:
                v.raise_to("warn", f"could not confirm that {ip} is a BGP neighbour of {h}")
            elif state.by_peer(ip) is None:
                v.raise_to("block", f"{ip} is not a BGP neighbour of {h}")
    return v


NO_VERDICT = ("model: no verdict (the model reviewer answered in prose, not the JSON asked for), so the plan "
              "was not reviewed by the model, as with no model reviewer")
"""The one line for a model reviewer that gave no verdict (:func:`review_with_model`)."""

# a reply in prose that objects ("Do not apply this", "I would block it", "this is risky"): still a warning
# ("object" alone is no objection: the reviewer prompt asks about "the host and object the person asked about",
# and SmolLM2 repeats it)
_OBJECTION = re.compile(r"\b(?:block\w*|reject\w*|refus\w*|den(?:y|ied)|unsafe|danger\w*|risky|harm\w*|wrong|"
                        r"incorrect|mistake\w*|warn\w*|abort\w*|objection\w*|(?:i|we|would)\s+object\b|"
                        r"(?:do|should|must|would)\s*(?:not|n't)\s+"
                        r"(?:apply|run|proceed|approve|do|make)|don't\s+(?:apply|run|proceed|approve))\b", re.IGNORECASE)


# the reviewer prompt's own words, repeated back: "ok" | "warn" | "block", "the host and object"
_PROMPT_ECHO = re.compile(r"[\"']?ok[\"']?\s*\|\s*[\"']?warn[\"']?\s*\|\s*[\"']?block[\"']?", re.IGNORECASE)


def _quote(text: str, limit: int = 160) -> str:
    from netops.model.base import printable

    flat = " ".join(printable(text).split())
    return flat if len(flat) <= limit else flat[:limit].rsplit(" ", 1)[0] + " ..."


def review_with_model(chat_model: Any, plan_text: str, intent: str, evidence: str, *,
                      deadline: float | None = None) -> Verdict:
    """Ask a model for a second opinion (its own prompt, no tools). Failures become a warning, and
    so does a model still talking after ``deadline`` seconds (its stream is closed there)."""
    import time

    from langchain_core.messages import HumanMessage, SystemMessage

    from netops.agent.evidence import wrap_data
    from netops.agent.prompts import REVIEWER

    v = Verdict(by=["model"])
    messages = [SystemMessage(REVIEWER), HumanMessage(
        f"Request: {intent}\n\nPlan:\n{wrap_data('plan', plan_text)}\n\nEvidence:\n{wrap_data('evidence', evidence)}")]
    try:
        if deadline is None:
            text = str(chat_model.invoke(messages).content).strip()
        else:
            from netops.model.abort import abortable

            started, parts = time.monotonic(), []
            # a reviewer that sends nothing has its connection shut at the deadline
            with abortable(deadline=deadline) as scope:
                stream = chat_model.stream(messages)
                try:
                    for chunk in stream:
                        parts.append(str(chunk.content))
                        if time.monotonic() - started > deadline:
                            break
                except Exception:
                    if not scope.aborted:
                        raise
                finally:
                    stream.close()  # ends the HTTP response of a model still trickling
            if scope.aborted or time.monotonic() - started > deadline:
                v.raise_to("warn", f"model review stopped at the {deadline:g}-second deadline (no second opinion)")
                return v
            text = "".join(parts).strip()
    except Exception as exc:  # the second opinion is advisory; its failure must not approve anything
        v.raise_to("warn", f"model review unavailable ({type(exc).__name__})")
        return v
    m = re.search(r"\{.*\}", text, re.DOTALL)
    try:
        data = json.loads(m.group(0)) if m else {}
    except ValueError:
        m, data = None, {}
    if not isinstance(data, dict):
        m, data = None, {}
    if not m:
        # Prose instead of the JSON verdict asked for (SmolLM2, every time): no second opinion, as
        # with no model reviewer, and said so; a warning here meant --yes could never apply anything
        # with such a model. Prose that reads as an objection still warns (the person reads it).
        if _OBJECTION.search(_PROMPT_ECHO.sub(" ", text)):
            v.raise_to("warn", "model: the model reviewer gave no JSON verdict and its reply reads as an "
                               f"objection: {_quote(text)}")
        else:
            v.raise_to("ok", NO_VERDICT)
        return v
    level = str(data.get("verdict", "warn")).lower()
    from netops.model.base import printable

    findings = [printable(str(f)) for f in data.get("findings", []) if f][:5]
    if level not in ("ok", "warn", "block"):  # e.g. "approve": the reviewer cannot approve
        level = "warn"
        findings.append(f"reviewer answered {data.get('verdict')!r}, treated as a warning")
    if not findings and level != "ok":
        findings.append(f"the model reviewer {'blocked' if level == 'block' else 'warned'} without giving a reason")
    for f in findings:
        v.raise_to(level if level != "ok" else "ok", f"model: {f}")  # type: ignore[arg-type]
    if level != "ok" and _ORDER[level] > _ORDER[v.level]:
        v.level = level  # type: ignore[assignment]
    return v
