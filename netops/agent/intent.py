"""Is a proposed change what the person's own words asked for?

Non-interactive approval (``--yes`` with a policy, :class:`~netops.playbook.approval.PolicyApprover`)
may cover a change only when its *action*, its *targets* and its *parameter values* all follow
from the person's question, not from anything read since (device output, documents, the model's
own ideas). Everything else needs a person to say yes at an interactive prompt. The check is
deliberately literal: a host must be named, the playbook's action word (or a synonym) must be
said, and every parameter value must appear in the question.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from typing import Any

# Action words in playbook names -> words a person uses for them.
ACTION_SYNONYMS: dict[str, tuple[str, ...]] = {
    "drain": ("drain", "isolate"),
    "undrain": ("undrain", "un-drain", "unisolate"),
    "shutdown": ("shut", "shutdown", "disable"),
    "enable": ("enable", "unshut", "no-shut", "re-enable", "bring-back"),
    "clear": ("clear", "reset", "refresh", "soft-clear"),
    "add": ("add", "create", "install"),
    "remove": ("remove", "delete", "withdraw"),
    "description": ("description", "describe", "label", "rename"),
    "cost": ("cost", "metric"),
}
_WORDS = re.compile(r"[a-z0-9][a-z0-9-]*")
# Two-word requests with an object between them ("bring neighbor X on r1 back") -> one word.
_PHRASES = ((re.compile(r"\bbring\b(?:(?![.;!?](?:\s|$)).){0,80}?\bback\b", re.IGNORECASE), "bring-back"),)
# A question about a change is not a request for it ("what happens if I drain r1", "don't drain r1").
_HYPOTHETICAL = {"if", "would", "whether", "should", "happens", "happen", "explain", "why", "when", "unless",
                 "how", "suppose", "supposing", "hypothetically", "imagine"}
_NEGATION = re.compile(r"\b(?:not|don'?t|do\s+not|never|without|no)\b(?:\W+\w+){0,3}?\W+(\w[\w-]*)", re.IGNORECASE)
_NEGATORS = {"not", "don't", "dont", "never", "no", "without", "cannot", "can't", "won't", "shouldn't", "stop"}
_TOKENS = re.compile(r"[a-z0-9][a-z0-9'-]*")
# "drain r1? no, keep it": a request taken back straight after its question mark.
_RETRACTED = re.compile(r"\?\s*(?:no|nope|don'?t|do\s+not|never\s*mind|keep\s+it|cancel)\b", re.IGNORECASE)


@dataclass
class IntentCheck:
    """``bound``: action, targets and parameters all follow from the question."""

    bound: bool
    reasons: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return "; ".join(self.reasons)


def said_words(question: str) -> set[str]:
    """The words of ``question`` (lower case, hyphens kept) plus the phrases of :data:`_PHRASES`."""
    words = set(_WORDS.findall((question or "").lower()))
    words.update(word for pattern, word in _PHRASES if pattern.search(question or ""))
    return words


def negated_actions(question: str, actions: Any) -> set[str]:
    """The words of ``actions`` that ``question`` says not to do: said within four words after a
    negation ("don't drain r1"; a negated "bring" negates the phrase "bring ... back"), or said
    before a question mark that a "no", "don't" or "keep it" follows ("drain r1? no")."""
    q = (question or "").replace("\u2019", "'")
    wanted = set(actions)
    tokens = _TOKENS.findall(q.lower())
    out = {m.group(1).lower() for m in _NEGATION.finditer(q)}
    for i, tok in enumerate(tokens):
        start = max(0, i - 4)
        if any(t in _NEGATORS or (t == "do" and j + 1 < i and tokens[j + 1] == "not")
               for j, t in enumerate(tokens[start:i], start=start)):
            out.add(tok)
    for pattern, phrase in _PHRASES:
        if phrase.split("-")[0] in out and pattern.search(q):
            out.add(phrase)
    for m in _RETRACTED.finditer(q):
        out.update(said_words(q[:m.start()]))
    return out & wanted


def _in_question(value: Any, question: str) -> bool:
    text = str(value).strip()
    if not text:
        return True
    q = question.lower()
    try:
        net = ipaddress.ip_network(text, strict=False)
        found = re.findall(r"[0-9a-fA-F:.]+(?:/\d+)?", question)
        for tok in found:
            try:
                if ipaddress.ip_network(tok.strip(".:"), strict=False) == net:
                    return True
            except ValueError:
                continue
        return False
    except ValueError:
        pass
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return re.search(rf"(?<![\d.]){re.escape(text)}(?!\d|\.\d)", q) is not None  # "to 200." ends a sentence
    return text.lower() in q


_QUESTION_START = {"is", "are", "was", "were", "what", "why", "how", "which", "who", "does", "did", "do",
                   "will", "shall", "may", "might", "has", "have", "can", "could", "would"}
_POLITE = re.compile(r"^(?:please\s+)?(?:can|could|would|will)\s+you\b", re.IGNORECASE)


def _asks_about(question: str) -> bool:
    """"is it safe to drain r1?" asks about a change; "can you drain r1?" asks for one."""
    first = _WORDS.findall(question.lower())[:1]
    return bool(first) and first[0] in _QUESTION_START and not _POLITE.match(question.strip())


def check_intent(question: str, plan: Any, *, hosts: list[str]) -> IntentCheck:
    """Does ``plan`` (``.playbook``, ``.hosts``, ``.params``) follow from ``question``?"""
    from netops.agent.router import entities

    reasons: list[str] = []
    q = question or ""
    words = said_words(q)
    named = set(entities(q, hosts)["hosts"]) if q else set()
    targets = list(getattr(plan, "hosts", []) or [])
    not_named = [h for h in targets if h not in named]
    if not targets or not_named:
        reasons.append(f"the question does not name {', '.join(not_named) or 'the targets'}")
    name = str(getattr(plan, "playbook", ""))
    actions = [t for t in name.lower().split("-") if t in ACTION_SYNONYMS]
    if not actions:
        reasons.append(f"{name} has no action word netops can match to a question")
    negated = negated_actions(q, words)
    for action in actions:
        said = words & set(ACTION_SYNONYMS[action])
        if not said:
            reasons.append(f"the question does not ask to {action} ({name})")
        elif said <= negated:
            reasons.append(f"the question says not to {action}")
    if words & _HYPOTHETICAL or _asks_about(q):
        reasons.append("the question asks about a change rather than for one")
    for key, value in dict(getattr(plan, "params", {}) or {}).items():
        if not _in_question(value, q):
            reasons.append(f"parameter {key}={value!r} is not in the question")
    return IntentCheck(not reasons, reasons)
