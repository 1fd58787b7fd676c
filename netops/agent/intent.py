"""Is a proposed change what the person's own words asked for? The rule every change obeys.

netops is "read-only unless a vetted playbook is approved by a person whose own words asked for
that change". In code (:func:`netops.agent.change_tools.playbook_run` applies it, for the model's
calls and the worded path alike):

1. A change may run only when its *action*, its *targets* and its *parameter values* all follow
   from the person's question (:func:`check_intent`), not from anything read since (device
   output, documents), the model's own ideas, or an earlier turn. A follow-up such as "yes",
   "do it" or "go ahead" asks for nothing when it answers the model's suggestion. Right after
   netops's own dry run of one vetted change the person asked about ("what happens if I drain
   r2?"), a plain go-ahead is their words for that change: their what-if named it and netops
   showed exactly what it would send (:mod:`netops.agent.consent`; approval as always). Any other
   go-ahead asks for nothing, and netops says what it would need.
2. A change that does not is refused **before anyone is asked**: no approval request is made, so
   neither a person at a prompt nor a policy can approve it. It is recorded (decision
   ``blocked``, by ``intent``; an audit ``denial`` with the reasons) and the answer says in one
   line how to ask for it in one's own words (:func:`netops.agent.change_tools.ask_for`).
3. A change that does is put to the approver. A reviewer warning means only a person at an
   interactive prompt may approve it (``needs_person``; a policy's yes, ``--yes``, is refused);
   with no warning a policy (:class:`~netops.playbook.approval.PolicyApprover`) may approve it too.

The check is deliberately literal: a host must be named, the playbook's action word (or a
synonym, or a phrase from its manifest) must be said, and every parameter value must appear in
the question (or be resolved from a router it names).
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from typing import Any

# Action words in playbook names -> words a person uses for them.
ACTION_SYNONYMS: dict[str, tuple[str, ...]] = {
    "drain": ("drain", "isolate", "out-of-service", "into-maintenance", "traffic-off", "cost-out"),
    "undrain": ("undrain", "un-drain", "unisolate", "back-in-service", "cost-in"),
    "shutdown": ("shut", "shutdown", "disable", "admin-down", "take-down"),
    "enable": ("enable", "unshut", "no-shut", "re-enable", "bring-back"),
    # "restart"/"bounce" a session is the same request as "reset" it (test_fleet_change.py)
    "clear": ("clear", "reset", "restart", "bounce", "refresh", "soft-clear", "soft-reset"),
    "add": ("add", "create", "install", "need-new"),
    "remove": ("remove", "delete", "withdraw"),
    "description": ("description", "describe", "label", "rename"),
    "cost": ("cost", "metric"),
}
_WORDS = re.compile(r"[a-z0-9][a-z0-9-]*")
# Requests said in several words, perhaps with an object between them ("bring neighbor X on r1
# back", "take r3 out of rotation") -> one word. A negation before the phrase's first word negates it.
_CLAUSE = r"(?:(?![.;!?](?:\s|$)).)"  # any character that does not end a sentence
_SERVICE = r"(?:service|rotation|production)"
_NOT_PEER = rf"(?:(?!\b(?:peers?|neighbou?rs?|sessions?|peering)\b){_CLAUSE})"
# A router said by name ("r3", "edge-07") or as "it"/"them": what "cost out" and "put back in" act on.
_HOSTLIKE = r"(?:it|them|[a-z][a-z0-9_-]*\d)\b(?!\s+(?:interface|link|port)s?\b)"
# A router by name, then "back" and at most "now"/"again"/"to normal" to the end of its clause
_ROUTER_BACK = (r"(?:the\s+router\s+)?[a-z][a-z0-9_-]*\d\s+back(?:\s+(?:to\s+normal|again|now|please))*"
                r"\s*(?:$|[.;!?,]|\s+(?:and|then|after|once|when|for)\b)")
_PHRASES = (
    # "bring neighbor X on r1 back" (a peer); "bring r3 back" (the router alone) is the router, below
    (re.compile(rf"\bbring\b(?!\s+{_ROUTER_BACK}){_CLAUSE}{{0,80}}?\bback\b", re.IGNORECASE), "bring-back"),
    # "put r3 back", "bring r3 back" after a drain: the router itself, by name, and nothing else
    # (router-undrain's precheck refuses a router that is not drained); "bring r3 back online" or
    # "... back up" may follow an outage, not a drain, and stays unmatched
    (re.compile(rf"\b(?:put|putting|bring|bringing)\s+{_ROUTER_BACK}", re.IGNORECASE), "back-in-service"),
    (re.compile(rf"\b(?:take|taking|pull|pulling|move|moving|bring|bringing|get|getting|put|putting)\b{_CLAUSE}{{0,60}}?"
                rf"\bout\s+of\s+{_SERVICE}\b", re.IGNORECASE), "out-of-service"),
    (re.compile(rf"\b(?:needs?\s+to|has\s+to|have\s+to|must|should|to)\s+(?:come|go)\s+out\s+of\s+{_SERVICE}\b",
                re.IGNORECASE), "out-of-service"),
    (re.compile(rf"\b(?:want|wants|need|needs|like|should\s+be|must\s+be|get)\b{_CLAUSE}{{0,60}}?"
                rf"\b(?:taken|pulled|moved|brought|put)\s+out\s+of\s+{_SERVICE}\b", re.IGNORECASE), "out-of-service"),
    # "put r2 into maintenance" (a peer or session put into maintenance is no router drain)
    (re.compile(rf"\b(?:put|putting|place|placing|move|moving|set|setting|take|taking)\b{_NOT_PEER}{{0,60}}?"
                r"\bin(?:to)?\s+maintenance\b", re.IGNORECASE), "into-maintenance"),
    # "start maintenance on r3", "begin the maintenance of r3" (as "end maintenance on r3" undrains it)
    (re.compile(r"\b(?:start|starting|begin|beginning|enter|entering)\s+(?:the\s+)?maintenance(?:\s+mode)?\s+"
                rf"(?:on|of|for)\s+(?:the\s+)?(?:router\s+)?{_HOSTLIKE}", re.IGNORECASE), "into-maintenance"),
    (re.compile(rf"\b(?:take|taking|bring|bringing|get|getting|move|moving|pull|pulling)\b{_NOT_PEER}{{0,60}}?"
                r"\bout\s+of\s+maintenance\b", re.IGNORECASE), "back-in-service"),
    # "end maintenance on r3", "finish the maintenance of r3": the router itself, by name, after it
    (re.compile(r"\b(?:end|ending|finish|finishing|complete|completing|conclude|concluding|exit|exiting)\s+(?:the\s+)?"
                rf"maintenance\s+(?:on|of|for)\s+(?:the\s+)?(?:router\s+)?{_HOSTLIKE}", re.IGNORECASE), "back-in-service"),
    (re.compile(rf"\b(?:can|could|should|must|may|to)\s+(?:go|come)\s+back\s+(?:in|into|to)\s+{_SERVICE}\b",
                re.IGNORECASE), "back-in-service"),
    (re.compile(r"\brestor(?:e|ing)\s+(?:the\s+|all\s+)?traffic\s+(?:to|on|onto|through|via)\b", re.IGNORECASE),
     "back-in-service"),
    # "turn peer X back on" brings it back; "take down the session to X" shuts it
    (re.compile(rf"\bturn(?:ing)?\b{_CLAUSE}{{0,80}}?\bback\s+on\b", re.IGNORECASE), "bring-back"),
    (re.compile(rf"\b(?:take|taking)\s+(?:down\b|{_CLAUSE}{{0,60}}?\bdown\b)", re.IGNORECASE), "take-down"),
    (re.compile(r"\b(?:move|moving|shift|shifting|get|getting|steer|steering|divert|diverting)\s+(?:the\s+|all\s+)?"
                r"traffic\s+(?:off|away)\b", re.IGNORECASE), "traffic-off"),
    (re.compile(rf"\b(?:put|putting|bring|bringing|get|getting|move|moving|take|taking|return|returning)\b"
                rf"{_CLAUSE}{{0,60}}?\bback\s+(?:in|into|to)\s+{_SERVICE}\b", re.IGNORECASE), "back-in-service"),
    (re.compile(rf"\breturn(?:ing)?\b{_CLAUSE}{{0,60}}?\bto\s+{_SERVICE}\b", re.IGNORECASE), "back-in-service"),
    # "put r3 back in", "cost it back in": the object is the router itself (or "it"), nothing else
    (re.compile(rf"\b(?:put|putting|cost|costing)\s+(?:back\s+in\s+{_HOSTLIKE}|{_HOSTLIKE}\s+back\s+in)(?!to\b|\s*-)",
                re.IGNORECASE), "back-in-service"),
    # "cost out r2", "cost r2 out", "cost it out"; "cost in r1", "cost r1 back in"
    (re.compile(rf"\bcost(?:s|ing|ed)?\s+(?:out\s+(?:the\s+)?(?:router\s+)?{_HOSTLIKE}|{_HOSTLIKE}\s+out)\b",
                re.IGNORECASE), "cost-out"),
    (re.compile(rf"\bcost(?:s|ing|ed)?\s+(?:in\s+(?:the\s+)?(?:router\s+)?{_HOSTLIKE}|{_HOSTLIKE}\s+(?:back\s+)?in)"
                r"(?!to\b|\s*-)\b", re.IGNORECASE), "cost-in"),
    # "admin down peer X", "set peer X admin down"; "X is admin down" tells a state
    (re.compile(rf"(?:^\s*(?:please\s+)?|\bplease\s+|\b(?:set|put|make|take|bring|turn|mark)\b{_CLAUSE}{{0,60}}?)"
                r"\badmin(?:istratively)?[\s-]+(?:down|shut(?:down)?)\b", re.IGNORECASE), "admin-down"),
    (re.compile(r"\b(?:need|want|like)\s+(?:a|an|one)\s+(?:new\s+|extra\s+)?static\s+route\b", re.IGNORECASE),
     "need-new"),
)
# A question about a change is not a request for it ("what happens if I drain r1", "don't drain r1").
HYPOTHETICAL = {"if", "would", "whether", "should", "happens", "happen", "explain", "why", "when", "unless",
                 "how", "suppose", "supposing", "hypothetically", "imagine"}
_NEGATION = re.compile(r"\b(?:not|don'?t|do\s+not|never|without|no)\b(?:\W+\w+){0,3}?\W+(\w[\w-]*)", re.IGNORECASE)
# An "if" clause that ends before the request ("if not, drain it", "if r3 isn't drained, then drain it")
_CONDITION = re.compile(r"\b(?:if|unless|when)\b[^,.;:!?]*?(?:,|\bthen\b)", re.IGNORECASE)
_NEGATORS = {"not", "don't", "dont", "never", "no", "without", "cannot", "can't", "won't", "shouldn't", "stop",
             "didn't", "didnt", "wouldn't", "mustn't", "refrain"}
_TOKENS = re.compile(r"[a-z0-9][a-z0-9'-]*")
# "I don't want r3 drained": a negated wish negates every action of the rest of its sentence.
_UNWANTED = re.compile(r"\b(?:not|don'?t|doesn'?t|didn'?t|won'?t|never|no)\s+(?:\w+\s+)?"
                       r"(?:want|wanna|need|like|wish|let|allow|have)\b((?:(?![.;!?](?:\s|$)).)*)", re.IGNORECASE)
# "cancel the drain of r3", "hold off on draining r3", "r3 drain can wait": a change called off is
# negated up to the end of its clause (a comma, "and", "but", "then" or the sentence's end).
_TO_CLAUSE_END = r"((?:(?![.;!?,](?:\s|$)|\s(?:and|but|then)\s).)*)"
_CALLED_OFF = re.compile(r"\b(?:cancel\w*|abort\w*|undo(?:ing)?|revert\w*|reverse|postpone\w*|defer\w*|delay\w*"
                         r"|skip\w*|forget|scrap\w*|call(?:ing)?\s+off|roll(?:ing)?\s*back|hold(?:ing)?\s+off"
                         r"|put(?:ting)?\s+off)\b" + _TO_CLAUSE_END, re.IGNORECASE)
_CAN_WAIT = re.compile(r"(?:^|[.;!?,]\s)" + _TO_CLAUSE_END + r"\b(?:can|could|should|will|must)\s+wait\b",
                       re.IGNORECASE)
# "drain r3 is not what I want", "draining r3 would be a bad idea": a change named, then said to
# be unwanted, is negated from the start of its clause.
_NOT_WANTED = (r"(?:(?:is|are|was|would\s+be)(?:n'?t|\s+not)|'s\s+not)\s+(?:what\s+(?:i|we)\s+(?:want|need|asked\s+for)"
               r"|wanted|needed|necessary|required|a\s+good\s+idea)\b"
               r"|(?:is|are|would\s+be|'s)\s+(?:a\s+bad\s+idea|unnecessary|unwanted|not\s+needed)\b")
_UNWANTED_AFTER = re.compile(r"(?:^|[.;!?,]\s)" + _TO_CLAUSE_END + r"(?:\s|(?='))(?:" + _NOT_WANTED + ")", re.IGNORECASE)
# "drain r1? no, keep it": a request taken back straight after its question mark.
_RETRACTED = re.compile(r"\?\s*(?:(?:actually|wait|hmm+|oh|well|sorry|on\s+second\s+thoughts?)\W+)*"
                        r"(?:no|nope|don'?t|do\s+not|never\s*mind|keep\s+it|cancel"
                        r"|(?:that|this|it)\s*(?:" + _NOT_WANTED + r"))\b", re.IGNORECASE)

# "drain r1 - forget it", "drain r1, actually never mind": a request taken back right after it, without
# a question mark; only a retraction that ends its clause ("never mind the alarms" takes nothing back)
_TAKEN_BACK = re.compile(r"(?:^|(?<=[\s.,;:!-]))(?:(?:actually|wait|hmm+|oh|well|sorry|no|on\s+second\s+thoughts?)\W+)*"
                         r"(?:never\s*mind|forget\s+(?:it|that|this)|cancel\s+(?:it|that|this)|scratch\s+(?:it|that|this)"
                         r"|disregard\s+(?:it|that|this)|don'?t\s+bother)(?=\s*(?:[.,;:!)]|$))", re.IGNORECASE)


# Vendor command forms, said as requests: "no neighbor X shutdown" / "no shut" (IOS, FRR) undoes a
# shutdown and is no negation; "no ip route P N" removes a static route, "ip route P N" adds one.
# Only where a command starts: the text's start, after a prompt or separator, "please"/"then"/"and",
# or a device name ("r1 no shut 198.51.100.2"); "there is no shutdown planned" stays a negation.
_CMD_START = r"(^|[:;,#>\n(]\s*|\b(?:please|pls|then|and|just|now)\s+|\b[a-z][a-z0-9_-]*\d\s+)"
_VENDOR = (
    (re.compile(_CMD_START + r"no\s+((?:bgp\s+)?(?:neighbou?rs?|peers?)\s+\S+\s+)?shut(?:\s*down)?\b", re.IGNORECASE),
     r"\1unshut \2"),
    (re.compile(_CMD_START + r"no\s+ip\s+route\s+(?=\d)", re.IGNORECASE), r"\1remove static route "),
    (re.compile(_CMD_START + r"ip\s+route\s+(?=\d)", re.IGNORECASE), r"\1add static route "),
    # RFC 8326 GRACEFUL_SHUTDOWN keeps the session up: a term, not the action "shutdown"; a verb
    # right before it starts or ends it ("enable graceful shutdown" enables no neighbour)
    (re.compile(r"\b(?:graceful[\s_-]*shut(?:\s*down)?|g-?shut)\b", re.IGNORECASE), "graceful-shutdown"),
    (re.compile(r"\b(?:enable|enabling|activate|turn\s+on|begin|start|apply|configure|set)\s+(?:the\s+)?(?:bgp\s+)?"
                r"(?=graceful-shutdown\b)", re.IGNORECASE), "start "),
    (re.compile(r"\b(?:disable|disabling|deactivate|turn\s+off|stop|end|remove|unset)\s+(?:the\s+)?(?:bgp\s+)?"
                r"(?=graceful-shutdown\b)", re.IGNORECASE), "end "),
)


def vendor_forms(text: str) -> str:
    """``text`` with vendor command forms and terms rewritten in plain request words (see
    :data:`_VENDOR`); what is read for action words, negations and phrases."""
    out = text or ""
    for pattern, repl in _VENDOR:
        out = pattern.sub(repl, out)
    return out


@dataclass
class IntentCheck:
    """``bound``: action, targets and parameters all follow from the question."""

    bound: bool
    reasons: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return "; ".join(self.reasons)


_ACTION_WORDS = frozenset(w for syn in ACTION_SYNONYMS.values() for w in syn)


def action_base(word: str) -> str | None:
    """The action word ``word`` is a form of ("drained" -> "drain", "removing" -> "remove",
    "shutting" -> "shut", "withdrawn" -> "withdraw"), or None."""
    if word in _ACTION_WORDS:
        return word
    for suffix in ("ing", "ed", "n"):  # verb forms only: "metrics" is not a request to "metric"
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            stem = word[:-len(suffix)]
            for base in (stem, stem + "e", stem[:-1] if stem[-1:] == stem[-2:-1] else ""):
                if base in _ACTION_WORDS:
                    return base
    return None


# Words before a verb form that make it a request ("I want r3 drained", "r3 should be drained",
# "r3 needs draining") or ask what it would do ("what would draining r3 do", which HYPOTHETICAL then
# makes a question); without one it tells of a change ("r3 was drained", "I drained r3").
_ASKS_FOR = re.compile(r"\b(?:want|wants|wanna|need|needs|like|please|pls|should|must|shall|go\s+ahead|start|begin"
                       r"|proceed|let'?s|get|make\s+sure|to\s+be|if|would|how|suppose|supposing|whether|impact"
                       r"|effects?)\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.;!?](?:\s|$)")


def said_words(question: str) -> set[str]:
    """The words of ``question`` (lower case, hyphens kept), the action word of each verb form said
    after words that ask for it ("I want r3 drained" says "drain"; "r3 was drained" does not), and
    the phrases of :data:`_PHRASES`."""
    q = vendor_forms(question)
    words = set(_WORDS.findall(q.lower()))
    start = 0
    for end in [m.start() for m in _SENTENCE_END.finditer(q)] + [len(q)]:
        sentence, start = q[start:end], end
        asks = _ASKS_FOR.search(sentence)
        if asks is None:
            continue
        words.update(b for w in _WORDS.findall(sentence[asks.end():].lower()) if (b := action_base(w)))
    words.update(phrases_said(q))
    return words


def phrases_said(question: str) -> set[str]:
    """The one-word forms of the :data:`_PHRASES` that ``question`` says ("take r3 out of rotation")."""
    q = vendor_forms(question)
    return {word for pattern, word in _PHRASES if pattern.search(q)}


def negated_actions(question: str, actions: Any) -> set[str]:
    """The words of ``actions`` that ``question`` says not to do: said within four words after a
    negation ("don't drain r1"; a negated "bring" negates the phrase "bring ... back"), after a
    negated wish ("I don't want r3 drained"), in a change called off ("cancel the drain of r3",
    "r3 drain can wait"), or before a question mark that a "no", "don't" or "keep it" follows
    ("drain r1? no") or a retraction that ends its clause ("drain r1 - forget it")."""
    q = vendor_forms((question or "").replace("\u2019", "'"))
    # a condition is not a negation: "is r3 drained, and if not, drain it", "if r3 isn't drained, drain it"
    q = _CONDITION.sub(" ", q)
    wanted = set(actions)
    tokens = _TOKENS.findall(q.lower())
    out = {m.group(1).lower() for m in _NEGATION.finditer(q)}
    for i, tok in enumerate(tokens):
        start = max(0, i - 4)
        if any(t in _NEGATORS or (t == "do" and j + 1 < i and tokens[j + 1] == "not")
               for j, t in enumerate(tokens[start:i], start=start)):
            out.add(tok)
    out.update(b for w in list(out) if (b := action_base(w)))
    for pattern, phrase in _PHRASES:
        for m in pattern.finditer(q):
            first = _TOKENS.findall(m.group(0).lower())[:1]
            if first and (first[0] in out or _negated_before(q, m.start())):
                out.add(phrase)
    for pattern in (_UNWANTED, _CALLED_OFF, _CAN_WAIT, _UNWANTED_AFTER):
        for m in pattern.finditer(q):
            out.update(_any_form(m.group(1)))
    for m in (*_RETRACTED.finditer(q), *_TAKEN_BACK.finditer(q)):
        out.update(_any_form(q[:m.start()]))
    return out & wanted


def _any_form(text: str) -> set[str]:
    """Every word of ``text``, the action word of each verb form, and its phrases (for negation:
    "I don't want r3 drained" negates "drain" with no word that asks for it)."""
    words = set(_WORDS.findall(text.lower()))
    return words | {b for w in words if (b := action_base(w))} | phrases_said(text)


_PHRASE_TOKENS = re.compile(r"[a-z0-9][a-z0-9./:]*")
_PHRASE_GAP = 4
"""Words that may stand between a phrase's words ("peer 198.51.100.2 on r1 into maintenance")."""


def _phrase_words(text: str) -> list[str]:
    return _PHRASE_TOKENS.findall(text.lower().replace("-", " ").replace("_", " "))


def phrase_said(text: str, phrase: str) -> bool:
    """Does ``text`` say every word of ``phrase`` (a playbook manifest's ``phrases``), in order,
    within one sentence, with at most a few words between them? Hyphens count as spaces ("bgp-health"
    says "bgp health") and a plural "s" is allowed ("prefix limits")."""
    want = _phrase_words(phrase)
    if not want:
        return False
    start = 0
    q = vendor_forms(text)
    for end in [m.start() for m in _SENTENCE_END.finditer(q)] + [len(q)]:
        tokens, start = _phrase_words(q[start:end]), end
        for i, tok in enumerate(tokens):
            if tok not in (want[0], want[0] + "s"):
                continue
            j, ok = i, True
            for w in want[1:]:
                nxt = next((k for k in range(j + 1, min(len(tokens), j + 2 + _PHRASE_GAP))
                            if tokens[k] in (w, w + "s")), None)
                if nxt is None:
                    ok = False
                    break
                j = nxt
            if ok:
                return True
    return False


# Verbs that ask a playbook named by a manifest phrase to act. A phrase is a noun ("prefix limit",
# "peer maintenance"): words that only name it ("show the prefix limit ...", "r2 hit the prefix
# limit at 800") ask for no change.
_PHRASE_VERBS = frozenset("""
raise bump increase lower reduce decrease double set change apply configure start begin end finish stop complete conclude turn-up
turn establish provision add create update adjust run do perform execute initiate kick bring put make
drain undrain shut shutdown disable enable clear remove delete bounce deploy
""".split()) | _ACTION_WORDS
# A sentence that starts by asking to read ("show ...", "check ...") asks for no change.
_READ_FIRST = re.compile(r"^\W*(?:(?:please|pls|can\s+you|could\s+you|would\s+you|just)\s+)*"
                         r"(?:show|list|display|check|verify|look|see|tell|print|view|find|monitor|watch|inspect"
                         r"|review|audit|read|compare|explain)\b", re.IGNORECASE)
# A verb's base form after these tells of a change ("the limit was set to 800"), asks for none.
_TELLS = {"was", "were", "is", "are", "been", "has", "had", "have", "got", "already"}


def _phrase_verb(word: str) -> str | None:
    """The verb of :data:`_PHRASE_VERBS` that ``word`` is an -ed/-ing/-n form of, or None."""
    for suffix in ("ing", "ed", "d", "n"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            stem = word[:-len(suffix)]
            for base in (stem, stem + "e", stem[:-1] if stem[-1:] == stem[-2:-1] else ""):
                if base in _PHRASE_VERBS:
                    return base
    return None


def change_asked(text: str) -> bool:
    """Do ``text``'s words ask for a change (a verb of :data:`_PHRASE_VERBS` said as a request, not
    negated), rather than only name one? For a state-changing playbook named by a phrase."""
    q = vendor_forms((text or "").replace("\u2019", "'"))
    found: set[str] = set()
    start = 0
    for end in [m.start() for m in _SENTENCE_END.finditer(q)] + [len(q)]:
        sentence, start = q[start:end], end
        if _READ_FIRST.match(sentence):
            continue
        tokens = _TOKENS.findall(sentence.lower())
        for i, tok in enumerate(tokens):
            if tok in _PHRASE_VERBS and not (i and tokens[i - 1] in _TELLS):
                found.add(tok)
        asks = _ASKS_FOR.search(sentence)
        if asks is not None:  # "I want the limit raised", "needs to be increased"
            found.update(b for w in _TOKENS.findall(sentence[asks.end():].lower()) if (b := _phrase_verb(w)))
    return bool(found - negated_actions(q, found))


def phrase_negated(question: str, phrase: str) -> bool:
    """Is ``phrase`` said as something not to do ("don't raise the prefix limit")?"""
    return bool(negated_actions(question, set(_phrase_words(phrase))))


def _negated_before(q: str, pos: int) -> bool:
    """Does a negation stand within four words before ``pos``?"""
    before = _TOKENS.findall(q[:pos].lower())[-4:]
    return any(t in _NEGATORS for t in before) or "do not" in " ".join(before)


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
_IMPERATIVE_DO = re.compile(r"^(?:please\s+)?do\s+(?:a|an|the|some|this|that)\b", re.IGNORECASE)  # "do a soft clear"


# Where a clause ends: a sentence end, a line break, a dash between spaces, a comma.
_CLAUSE_BREAK = re.compile(r"[.;!?](?:\s+|$)|\n|\s[-\u2013\u2014]{1,2}\s|,\s")


def asks_about(question: str) -> bool:
    """Is ``question`` worded as a question ("is it safe to drain r1?"), not a request ("can you
    drain r1?", "do a soft clear of ...")? Its first clause or, when it ends with a question mark,
    its last ("clear ip bgp 198.51.100.2 soft -- what does that do?", "drain r2. is that right?")."""
    text = question.strip()
    clauses = [c.strip() for c in _CLAUSE_BREAK.split(text) if c.strip()]
    tails = [text] + ([clauses[-1]] if text.endswith("?") and len(clauses) > 1 else [])
    for clause in tails:
        first = _WORDS.findall(clause.lower())[:1]
        if (first and first[0] in _QUESTION_START and not _POLITE.match(clause)
                and not _IMPERATIVE_DO.match(clause)):
            return True
    return False


# "r3 should be drained now" asks for a change; "should I drain r3?" and "it should be safe" do not.
_SHOULD_BE_DONE = re.compile(r"\b(?:should|must)\s+be\s+[a-z-]+(?:ed|en)\b(?!\s+(?:if|when|before|after)\b)",
                             re.IGNORECASE)


# "drain r3 or not?", "drain r3 yes or no?": whether to do it is the question.
_EITHER_WAY = re.compile(r"\bor\s+(?:not|no)\b", re.IGNORECASE)


# Courtesies that end a request ("drain r2 when you get a chance", "... if possible"): no condition.
_COURTESY = re.compile(r"\b(?:when(?:ever)?\s+you\s+(?:get|have|find)\s+(?:a|the)\s+(?:chance|moment|minute|sec|second|min|mo)"
                       r"|when(?:ever)?\s+you\s+(?:can|are\s+free|'re\s+free)|if\s+(?:you\s+can|possible|you\s+don'?t\s+mind"
                       r"|you\s+would|you\s+have\s+(?:a\s+moment|time))|when\s+convenient|at\s+your\s+(?:earliest\s+)?convenience)"
                       r"(?=\s*(?:[.,;!]|$|please\b|pls\b|thanks?\b|thx\b|ty\b|cheers\b))", re.IGNORECASE)


def hypothetical(question: str) -> bool:
    """Do the words ask *about* a change (what happens if, should I, how do I, or not, a question)
    rather than for one? Quoted text counts: a description is read as the person wrote it. A
    courtesy at the end of a clause ("when you get a chance", "if possible") is no condition."""
    q = _COURTESY.sub(" ", question or "")
    words = said_words(q)
    if "should" in words and "?" not in q and _SHOULD_BE_DONE.search(q):
        words = words - {"should"}
    return bool(words & HYPOTHETICAL) or asks_about(q) or bool(_EITHER_WAY.search(q))


_FENCE = re.compile(r"```.*?(?:```|\Z)", re.DOTALL)
_QUOTE_LINE = re.compile(r"^[ \t]*>.*$", re.MULTILINE)
_QUOTED = re.compile(r'"[^"\n]+"|\u201c[^\u201d\n]+\u201d|\u2018[^\u2019\n]+\u2019|(?<![\w\'])\'[^\'\n]+\'(?![\w\'])')
_PASTED = re.compile(r"\b(?:says?|said|shows?|showed|shown|reads?|contains?|wrote|writes|prints?|printed|output|"
                     r"logs?|logged|syslog|message|text|line|entry|following)\s*:[ \t]*"
                     r"((?:(?![.;!?](?:\s|$))[^\n])*)", re.IGNORECASE)


# A request relayed from someone or something else, to the end of its sentence (or a ", so ..." the
# person adds): "the ticket says drain r1", "the NOC wants us to drain r1", "my manager asked me to
# ...", "email from noc: please drain r1". Said in the person's own words, it binds; relayed, it is data.
_SOURCE = (r"(?:ticket|case|email|e-mail|mail|message|msg|chat|slack|teams|page|pager|alert|alarm|runbook|wiki|note|"
           r"customer|client|noc|soc|vendor|tac|manager|boss|lead|colleague|team|someone|somebody|he|she|they|user|"
           # a device's or a document's text (adv37: "the bgp description says drain r3" was proposed as asked)
           r"description|descr|banner|motd|remark|comment|log|syslog|output|config|configuration|document|doc|rfc|"
           r"record|reason|intent)")
_RELAYED = re.compile(rf"\b{_SOURCE}(?:\s+(?:on|of|for|in)\s+(?:the\s+)?[\w.:/'-]+){{0,2}}\s+(?:says?|said|reads|mentions|wrote|writes|asks?|asked|wants?|wanted|told\s+(?:me|us)|tells\s+"
                      rf"(?:me|us)|requests?|requested|suggests?|suggested|needs?|recommends?)\b(?:\s+(?:me|us|that|to|"
                      rf"we|you))*(?:\s+to)?\s*:?[ \t]*((?:(?![.;!?](?:\s|$)|,\s*(?:so|and|then|please)\b)[^\n])*)"
                      rf"|\b{_SOURCE}\s+from\s+(?:the\s+)?[\w.@-]+\s*:[ \t]*((?:(?![.;!?](?:\s|$))[^\n])*)",
                      re.IGNORECASE)


# A pasted syslog line, from its tag or time stamp to the end of the line or a " -- " after it:
# "%BGP-5-ADJCHANGE: neighbor ... Down", "Nov 30 02:14:07 r1 bgpd[812]: ...", "bgpd[812]: ...".
# A time stamp counts only where a line starts ("window 2026-12-02 22:00:00: drain r3" is a request).
_LOG_LINE = re.compile(r"(?:%[A-Z][A-Z0-9_]*(?:-\d)?-[A-Z0-9_]+:|%[A-Z][A-Z0-9_]+:"
                       r"|^[ \t]*(?:[A-Z][a-z]{2}\s+\d{1,2}\s+\d\d:\d\d:\d\d\b|\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d\S*)"
                       r"|\b[a-z][\w-]*\[\d+\]:)(?:(?!\s[-\u2013\u2014]{1,2}\s)[^\n])*", re.MULTILINE)


def own_words(question: str) -> str:
    """``question`` with what it quotes or relays blanked (same length): quoted strings, Markdown quote
    lines (``> ...``), fenced code, pasted syslog lines (:data:`_LOG_LINE`), and what follows "says:", "shows:", "reads:", "log:" to the end
    of that sentence. An instruction pasted from a device or a document ("the log shows: drain
    r1. what does it mean?") is data the person asks about, not their request; so is a request relayed
    from someone else ("the ticket says drain r1", "the NOC wants us to drain r1")."""
    def blank(m: re.Match[str]) -> str:
        return re.sub(r"[^\n]", " ", m.group(0))

    def blank_tail(m: re.Match[str]) -> str:
        return m.group(0)[:m.start(1) - m.start(0)] + " " * len(m.group(1))

    def blank_relayed(m: re.Match[str]) -> str:
        g = 1 if m.group(1) is not None else 2
        return m.group(0)[:m.start(g) - m.start(0)] + " " * len(m.group(g))

    from netops.agent.pasted import blanked

    out = blanked(_FENCE.sub(blank, question or ""))  # pasted configuration: data, never the request
    out = _QUOTE_LINE.sub(blank, out)
    out = _QUOTED.sub(blank, out)
    out = _LOG_LINE.sub(blank, out)
    out = _RELAYED.sub(blank_relayed, out)
    return _PASTED.sub(blank_tail, out)


def check_intent(question: str, plan: Any, *, hosts: list[str], consented: bool = False) -> IntentCheck:
    """Does ``plan`` (``.playbook``, ``.hosts``, ``.params``) follow from ``question``? ``consented``:
    ``question`` is the person's what-if that netops dry-ran and they then said to go ahead with
    (:mod:`netops.agent.consent`): its asking *about* the change is answered, the rest still holds."""
    from netops.agent.router import entities

    reasons: list[str] = []
    q = question or ""
    own = own_words(q)  # what the person quotes or pastes asks for nothing
    words = said_words(own)
    from netops.agent.change_intent import targets_named

    named = set(entities(own, hosts)["hosts"]) if own.strip() else set()
    excluded = set(targets_named(own, hosts).excluded) if own.strip() else set()  # "drain r3, not r2"
    targets = list(getattr(plan, "hosts", []) or [])
    not_named = [h for h in targets if h not in named or h in excluded]
    if not targets or not_named:
        reasons.append(f"the question does not name {', '.join(not_named) or 'the targets'}")
    name = str(getattr(plan, "playbook", ""))
    actions = [t for t in name.lower().split("-") if t in ACTION_SYNONYMS]
    phrases = [p for p in (getattr(plan, "phrases", None) or ()) if isinstance(p, str)]
    said_phrases = [p for p in phrases if phrase_said(own, p)]  # the manifest's "how people ask for it"
    negated = negated_actions(q, words)
    refused = [p for p in (getattr(plan, "not_for", None) or ()) if isinstance(p, str) and phrase_said(own, p)]
    if refused:
        reasons.append(f"{name} does not {refused[0]}")
    if said_phrases:
        if all(phrase_negated(q, p) for p in said_phrases):
            reasons.append(f"the question says not to do {name} ({said_phrases[0]})")
        elif not getattr(plan, "read_only", False) and not change_asked(own):
            reasons.append(f"the question names {said_phrases[0]!r} but asks for no change to it ({name})")
    elif not actions:
        reasons.append(f"the question does not say {' or '.join(repr(p) for p in phrases)} ({name})" if phrases
                       else f"{name} has no action word netops can match to a question")
    aside = _named_aside(own, targets, hosts, actions, said_phrases)
    if aside:
        reasons.append(f"the question names {', '.join(aside)} only in a clause that reads or tells of it, "
                       f"not as what to change ({name})")
    for action in actions if not said_phrases else ():
        said = words & set(ACTION_SYNONYMS[action])
        if not said:
            reasons.append(f"the question does not ask to {action} ({name})")
        elif said <= negated:
            reasons.append(f"the question says not to {action}")
    if hypothetical(q) and not consented:
        reasons.append("the question asks about a change rather than for one")
    derived = dict(getattr(plan, "derived", None) or {})
    for key, value in dict(getattr(plan, "params", {}) or {}).items():
        if _in_question(value, q):
            continue
        why = _derived_from_named(key, value, derived.get(key), named, targets)
        if why:
            reasons.append(f"parameter {key}={value!r} is not in the question" + (f" ({why})" if why != "-" else ""))
    return IntentCheck(not reasons, reasons)


# Clauses of a request: "drain r3 and check r2", "drain r3 once r2 is back", "before you drain r3, show me r2".
_REQUEST_CLAUSE = re.compile(r"[.;!?,](?:\s|$)|\s(?:and|then|once|before|after|when|while|until|but|so)\s", re.IGNORECASE)
# Words that make a clause with no action word read or tell of the hosts it names.
_ASIDE_WORDS = frozenset({"check", "show", "look", "see", "tell", "verify", "confirm", "watch", "monitor", "is", "are",
                          "was", "were", "has", "have", "had", "looks", "display", "list", "compare", "read", "ping",
                          "trace", "traceroute", "inspect", "keep", "leave", "stay", "stays", "remain", "remains"})


def _named_aside(own: str, targets: list[str], hosts: list[str], actions: list[str], phrases: list[str]) -> list[str]:
    """The ``targets`` the question names only in clauses that read or tell of them, while the
    action is said in another clause about other hosts ("drain r3 and check r2": r2). A host
    listed bare ("drain r2 and r3") or named where the action is said is not one of them."""
    from netops.agent.router import entities

    synonyms = {w for a in actions for w in ACTION_SYNONYMS[a]}
    acting: set[str] = set()
    aside: set[str] = set()
    bare: set[str] = set()
    for clause in _REQUEST_CLAUSE.split(own or ""):
        named = set(entities(clause, hosts)["hosts"]) if clause.strip() else set()
        if not named:
            continue
        if said_words(clause) & synonyms or any(phrase_said(clause, p) for p in phrases):
            acting |= named
        elif set(_TOKENS.findall(clause.lower())) & _ASIDE_WORDS:
            aside |= named
        else:
            bare |= named
    if not acting:
        return []
    return [h for h in targets if h in aside and h not in acting and h not in bare]


def _derived_from_named(key: str, value: Any, d: Any, named: set[str], targets: list[str]) -> str:
    """Empty when ``value`` is the address netops resolved, on the one target, for a router the person
    named as the other end ("shut down the session from r1 to r2": r2's address on r1); else why not
    ("-": nothing was resolved for it)."""
    if not isinstance(d, dict):
        return "-"
    host, on = d.get("host"), d.get("on")
    if str(d.get("address")) != str(value):
        return f"it was resolved as {d.get('address')}"
    if host not in named:
        return f"resolved from {host}, which the question does not name"
    if host in targets or targets != [on]:
        return f"resolved from {host} on {on}, not on the one target's other end"
    return ""
