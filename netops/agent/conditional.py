"""A change asked for on a condition: "if r2 has no session to r3, drain r3", "check r3 and if it's
healthy, drain it", "drain r3 only if r1 still has a route to 203.0.113.3" (route37).

They were answered as questions about the change (its dry run, or "this asks about a change rather
than for one") and the condition was never read. netops does not chain a change to a condition it
reads: a change needs a person's own words and an approval for that change, and a condition read by
netops is neither. So the condition is read, as the same words asked as a question would be (the
offline router, a read-only getter, audited), what was read is said, and the person is told to ask
for the change in its own words if the condition is what they wanted. Nothing is proposed and
nothing is changed, with a model as without one (the model is not asked: it could propose the change
in the same turn).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# the condition's lead: "if", "only if", "unless", "provided (that)", "as long as"
# ("even if", "even though": no condition, the request stands whatever it says)
# ... and a condition of time that leads the words ("once r3 is drained, undrain r1", "after r2 is undrained, drain
# r3": the change matcher took both routers as the change's and gave the condition's as the example to ask for; review37)
_TIME_LEAD = re.compile(r"^\W*(?:once|after|when|as\s+soon\s+as)\b", re.IGNORECASE)
_IF = re.compile(r"\b(?:only\s+if|(?<!\beven\s)if|unless|provided(?:\s+that)?|as\s+long\s+as)\b|"
                 r"^\W*(?:once|after|when|as\s+soon\s+as)\b", re.IGNORECASE)
# "if so", "if needed", "if possible": no condition of its own (a courtesy, or the answer before it)
_NO_CONDITION = re.compile(r"^\W*(?:so|not|needed|necessary|required|possible|applicable|you\s+can|you\s+want|"
                           r"that'?s?\s+(?:ok|okay|fine)|ok|okay|yes|no|any)\W*$", re.IGNORECASE)
# where the condition ends and the request starts: "..., drain r3", "... then drain r3", "...; drain r3"
_THEN = re.compile(r"\s*(?:,|;|\bthen\b|:)\s*(?:(?:and\s+)?then\s+)?", re.IGNORECASE)
_VERB = re.compile(r"\b(?:drain|undrain|shut|no\s+shut|disable|enable|clear|reset|restart|set|add|remove|change|"
                   r"configure|apply|push|revert|undo|roll)\b", re.IGNORECASE)
# a subject right before the verb: "if I drain r3", "if we shut ...": the supposition, not the request
_SUBJECT_BEFORE = re.compile(r"\b(?:i|we|you|they|someone|somebody|anyone|one|netops)\s+(?:\w+\s+)?$", re.IGNORECASE)
# a negation right before the verb: "if r2 isn't drained, don't drain r3" asks that r3 is not drained (adv37:
# the answer told the person to ask for "drain r3")
_NOT_BEFORE = re.compile(r"\b(?:don'?t|do\s+not|never|not|no\s+need\s+to|doesn'?t|shouldn'?t|won'?t)\s+$", re.IGNORECASE)
_WOULD = re.compile(r"\b(?:would|will|could|should|might)\b", re.IGNORECASE)
_QUESTION = re.compile(r"^\W*(?:what|how|why|would|should|could|when|where|who|which|does|do|can|will|might)\b",
                       re.IGNORECASE)
_LEAD = re.compile(r"^\W*(?:and|so|ok(?:ay)?|please|pls|then)\b\W*", re.IGNORECASE)
_AND_END = re.compile(r"\W*\b(?:and|then|,)\W*$", re.IGNORECASE)


@dataclass(frozen=True)
class Conditional:
    condition: str
    """The condition as a question of the device ("r2 has no session to r3", "check r3")."""
    request: str
    """The change asked for, a pronoun read as the device it stands for ("drain r3")."""
    own: bool = False
    """The change is one the person says they will make ("before I drain r3, is anything down?"): the
    question around it is what is asked, and nothing is chained to it either (lead, stop 37)."""
    made: bool = False
    """... one they say they have made ("after I drained r3, is anything down?"), not one to come."""


# a change the person says they will make, around a question: "before I drain r3, is anything down?",
# "pre-checks before I drain r3: anything down?", "once we've undrained r3, is r2 ok?", "after I shut
# eth-r1 on r2 what should I watch?". The verb right after the subject is the change's ("before I go
# home, drain r3" is a request: "go" is none)
_OWN = re.compile(r"(?:\b(?:before|after|once|until|till|while|when(?:ever)?|as\s+soon\s+as)\s+|"
                  # "I drained r3, is anything down?", "we've just undrained r1: bgp ok?" (lead): said done, first
                  r"^\W*(?=(?:i|we)(?:'ve|\s+have)?\s+(?:just\s+|already\s+)?\w+ed\b[^,:;?]*[,:;]))(?:i|we)"
                  r"(?:'ve|'ll|'m|'re|\s+(?:have|had|will|am|are|do|did|start|finish|begin))?\s+"
                  r"(?:just\s+|already\s+|finished\s+|done\s+|started\s+|begun\s+)?(?P<verb>\w+)\b[^,:;?]*", re.IGNORECASE)
_OWN_VERBS = re.compile(r"^(?:un)?drain(?:s|ed|ing)?$|^shut(?:s|ting)?$|^disabl\w*$|^enabl\w*$|^clear(?:s|ed|ing)?$|"
                        r"^reset(?:s|ting)?$|^restart\w*$|^reboot\w*$|^reload\w*$|^bounc\w*$|^set(?:s|ting)?$|"
                        r"^chang\w*$|^configur\w*$|^appl(?:y|ies|ied|ying)$|^push\w*$|^roll\w*$|^revert\w*$",
                        re.IGNORECASE)
_PAST_TO_BASE = {"drained": "drain", "draining": "drain", "undrained": "undrain", "undraining": "undrain",
                 "shutting": "shut", "disabled": "disable", "disabling": "disable", "enabled": "enable",
                 "enabling": "enable", "cleared": "clear", "clearing": "clear", "resetting": "reset",
                 "restarted": "restart", "restarting": "restart", "rebooted": "reboot", "rebooting": "reboot",
                 "reloaded": "reload", "reloading": "reload", "bounced": "bounce", "bouncing": "bounce"}


def own_change(question: str, hosts: list[str]) -> Conditional | None:
    """A question asked around a change the person says they will make ("before I drain r3, is
    anything down?"): the question without that clause, and the change as a request, or None. The
    question must be left with a device or a subject to read; a clause alone is no question."""
    q = " ".join(question.split())
    m = _OWN.search(q)
    if m is None or not _OWN_VERBS.match(m.group("verb")):
        return None
    verb = m.group("verb")
    clause = q[m.start("verb"):m.end()].strip()
    request = _PAST_TO_BASE.get(verb.lower(), verb.lower()) + clause[len(verb):]
    rest = (q[:m.start()] + " " + q[m.end():]).strip()
    rest = re.sub(r"^\W+|\b(?:pre-?checks?|post-?checks?|checks?|sanity\s+checks?)\b\W*(?=\w)", "", rest,
                  count=1, flags=re.IGNORECASE).strip(" ,;:-")
    if len(_WORDS.findall(rest)) < 2 or _request(rest):
        return None  # "drain r3 before I go home" (no verb of change after "I"); "shut it once I drain r3": a request
    from netops.agent.router import route

    changed = next(iter(_named(request, hosts)), None)
    rest = _resolve(rest, changed)  # "before I drain r3, what's its bgp summary?": its = r3's
    if route(rest, hosts).kind != "tool":
        return None  # nothing a device read answers ("... what could go wrong?"): the change path or the model, as before
    # "after I drained r3", "when we shut eth-r1": said done; "once we've drained r3" is still to come
    made = bool(re.search(r"ed$|^shut$", verb, re.IGNORECASE)) and not re.search(
        # ("after I have drained r3, ..." is still to come; "we've just undrained r1: ..." said first is done)
        r"\b(?:once|until|till|before|as\s+soon\s+as)\b|'ll|\bwill\b|\b(?:after|when|while)\b.*(?:'ve|\bhave\b)",
        q[m.start():m.start("verb")], re.IGNORECASE)
    return Conditional(rest, _resolve(request, changed), own=True, made=made and verb.lower() != "shut")


_WORDS = re.compile(r"[\w'-]+")


def _hosts(ctx: object) -> list[str]:
    from netops.agent.offline import inventory_hosts

    return inventory_hosts(ctx.get_devices())  # type: ignore[attr-defined]


def _request(text: str) -> bool:
    from netops.agent.router import _CLAUSE_REQUEST

    return bool(_CLAUSE_REQUEST.match(_LEAD.sub("", text)))


def _named(text: str, hosts: list[str]) -> list[str]:
    from netops.agent.router import entities

    return entities(text, hosts)["hosts"]


def _resolve(text: str, host: str | None) -> str:
    """A pronoun read as the device it stands for ("it's healthy" -> "r3 is healthy")."""
    if host is None:
        return text
    text = re.sub(r"\bit(?:'s|\s+is)\b", f"{host} is", text, flags=re.IGNORECASE)
    return re.sub(r"\b(?:it|its|this\s+router|that\s+router|the\s+router)\b", host, text, flags=re.IGNORECASE)


def _split(after: str, own: str) -> tuple[int, int] | None:
    """Where the condition after "if" ends and the request starts (end of the condition, start of the
    request): at a comma, "then" or a semicolon before a request; with none, at the request's verb
    ("if it's all established drain r2"), never one with its subject before it ("if I drain r3"), a negation
    before it ("don't drain r3"), or in what the words quote or relay (``own``: ``after`` with those blanked)."""
    said = _THEN.search(own)
    if said is not None and _request(own[said.end():]):
        return said.start(), said.end()
    verb = next((v for v in _VERB.finditer(own) if v.start() > 0 and _request(own[v.start():])
                 and not _SUBJECT_BEFORE.search(own[:v.start()]) and not _NOT_BEFORE.search(own[:v.start()])),
                None)
    return (verb.start(), verb.start()) if verb is not None else None


def asked(question: str, hosts: list[str]) -> Conditional | None:
    """The condition and the change of a request made on a condition, or None (no condition, no
    request, or only a courtesy: "drain r3 if possible", "... if so, drain it" after a question)."""
    if (own := own_change(question, hosts)) is not None:
        return own
    from netops.agent.intent import own_words

    q = " ".join(question.split())
    m = _IF.search(q)
    if m is None or "\n" in question or _QUESTION.match(q):
        return None  # "what happens if I drain r3?", "would r2 be ok if ...": about a change, not for one
    # the request is found in the person's own words only: what they quote, paste or relay ("if the description
    # on r1 says drain r3, do it") is the condition's text, never the change asked for (adv37); same length as q
    own = own_words(q)

    def stripped(a: int, b: int) -> tuple[str, str]:  # q[a:b] stripped, and the same span of own
        lead = len(q[a:b]) - len(q[a:b].lstrip())
        text = q[a:b].strip()
        return text, own[a + lead:a + lead + len(text)]

    (before, own_before), (after, own_after) = stripped(0, m.start()), stripped(m.end(), len(q))
    cut = _split(after, own_after)
    if _TIME_LEAD.match(m.group(0)) and (cut is None or cut[0] == cut[1] or not _STATEMENT.match(after[:cut[0]].strip())):
        return None  # a time said as a state, then a comma ("once r3 is drained, ..."); not "after the drain of r3, ..."
    if cut is not None:  # "if X, drain r3", "check r3 and if X then drain it", "if X drain r3"
        condition, request = after[:cut[0]], after[cut[1]:]
        if _NO_CONDITION.match(condition):
            return None  # "did r2 reboot? if so, drain r3": the question before it, and a request (the change path's)
        lead = _AND_END.sub("", before).strip()
        if lead and not _request(_AND_END.sub("", own_before).strip()):  # "check r3 and if it's healthy, drain it": the check is the read
            condition = f"{lead} and {condition}" if condition else lead
        elif lead:
            return None  # a request before and after ("drain r1 and if ok, drain r2"): the change path's
    elif before and _request(own_before):  # "drain r3 if r2 has a session to r1"
        condition, request = after.rstrip(" ?.!"), before
    else:
        return None
    condition, request = condition.strip(" ,;?.!"), _LEAD.sub("", request).strip(" ,;?.!")
    if not condition or _NO_CONDITION.match(condition) or _WOULD.search(request):
        return None  # "if we shut X, would traffic fail over?": a question about the change
    asked_of = next(iter(_named(condition, hosts) or _named(request, hosts)), None)
    changed = next(iter(_named(request, hosts) or _named(condition, hosts)), None)
    return Conditional(_resolve(condition, asked_of), _resolve(request, changed))


_STATEMENT = re.compile(r"^(?P<subject>.+?)\s+(?P<verb>is|are|has|have|isn'?t|aren'?t|hasn'?t|haven'?t)\s+(?P<rest>.+)$",
                        re.IGNORECASE)


def _as_question(condition: str) -> str | None:
    """A condition said as a statement asked as a question ("r2 is drained" -> "is r2 drained?")."""
    m = _STATEMENT.match(condition)
    if m is None:
        return None
    verb = m.group("verb").lower().replace("n't", "").replace("nt", "").rstrip("'")
    neg = " not" if "n" in m.group("verb").lower()[len(verb):] else ""
    return f"{verb} {m.group('subject')}{neg} {m.group('rest')}?"


NOT_CHAINED = ("**netops does not make a change on a condition it reads:** a change needs your own words and your "
               "approval of that change, and nothing was proposed or changed. If what was read is what you were "
               "waiting for, ask for the change in its own words (\"{request}\"); you will see its plan and be "
               "asked to approve it.")


MADE = ("**netops made no change and proposed none:** the change you say you made (\"{request}\") was not checked "
        "here; what netops itself changed is in its audit log (\"what did I change tonight?\", `netops audit list "
        "--kind apply`).")


NOT_PROPOSED = ("**netops made no change and proposed none:** the change you mention is yours to ask for in its own "
                "words when you are ready (\"{request}\"); you will see its plan and be asked to approve it.")


def answer_text(c: Conditional, ctx: object, toolbox: object, label: str) -> str:
    """The answer: the condition read as a question (its own offline answer, getters and all), then
    that the change is not chained to it and how to ask for it."""
    from netops.agent.offline import answer_offline
    from netops.agent.router import route

    asked_as = c.condition
    inverted = _as_question(c.condition)  # "r2 is drained" -> "is r2 drained?": the router's question form first
    if inverted is not None and route(inverted, _hosts(ctx)).kind == "tool":
        asked_as = inverted
    read = answer_offline(asked_as, ctx, toolbox)  # type: ignore[arg-type]
    body = read.text.split("\n\n", 1)[1] if read.text.startswith("offline answer") and "\n\n" in read.text \
        else read.text
    if c.own and c.made:  # "after I drained r3, is anything down?": not "yours to ask for when you are ready"
        return "\n\n".join([f"{label}: a question asked after a change you say you made.",
                             f"**Read now** (\"{c.condition}\"):\n\n{body}", MADE.format(request=c.request)])
    if c.own:  # "before I drain r3, is anything down?": the question is answered; the change stays theirs
        return "\n\n".join([f"{label}: a question asked around a change you will make.",
                             f"**Read now** (\"{c.condition}\"):\n\n{body}", NOT_PROPOSED.format(request=c.request)])
    if read.tool_calls or read.evidence:
        said = f"**The condition, read now** (\"{c.condition}\"):\n\n{body}"
    else:
        said = (f"**The condition** (\"{c.condition}\") is not something netops can read from a device: "
                f"{read.text.split(chr(10) * 2)[0].split(': ', 1)[-1].strip().rstrip('.')}.")
    return "\n\n".join([f"{label}: a change asked for on a condition.", said, NOT_CHAINED.format(request=c.request)])
