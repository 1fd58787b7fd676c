"""The checkable parts of a sentence: numbers with units, normative words, names, content words.

Shared by the answer check (:mod:`netops.agent.answer_check`) and the abstention test
(:mod:`netops.agent.abstain`). Everything here is plain text processing, no model: it has to be
fast enough to run on every answer and predictable enough to explain ("10 is not in [1]").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

STOPWORDS = frozenset("""
a about above after again against all also an and any are as at be because been before being below
between both but by can could did do does doing down during each either else etc for from further had
has have having here how however i if in into is it its itself just least let like made make many me
more most much must my neither no nor not now of off on once only or other our out over own per
please same shall she should since so some such than that the their them then there these they this
those through thus to too under until up upon use used uses using very via was we were what when where
whether which while who whom why will with within without would yes yet you your
may see answer source sources according question document documents text passage given whose
""".split())
"""Words that say nothing checkable (normative words are handled on their own)."""

NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
    "thousand": 1000, "once": 1, "twice": 2, "single": 1, "double": 2,
    "half": 0.5, "third": 1 / 3, "quarter": 0.25,
}

UNITS = {
    "second": "s", "seconds": "s", "sec": "s", "secs": "s", "s": "s",
    "millisecond": "ms", "milliseconds": "ms", "ms": "ms",
    "minute": "min", "minutes": "min", "min": "min", "mins": "min",
    "hour": "h", "hours": "h", "day": "d", "days": "d",
    "octet": "octet", "octets": "octet", "byte": "octet", "bytes": "octet",
    "bit": "bit", "bits": "bit", "kbps": "kbps", "mbps": "Mbps", "gbps": "Gbps", "tbps": "Tbps", "bps": "bps",
    "percent": "%", "%": "%", "hop": "hop", "hops": "hop",
    # transport and radio figures (trial34: "20%" was taken as the "20" of "about 20 km of fibre",
    # and "1.5 us" had no unit, so a sentence with the wrong unit was checked supported)
    "microsecond": "us", "microseconds": "us", "us": "us", "usec": "us",
    "\u00b5s": "us", "\u03bcs": "us", "\u00b5sec": "us", "\u03bcsec": "us",
    "nanosecond": "ns", "nanoseconds": "ns", "ns": "ns",
    "km": "km", "kilometre": "km", "kilometres": "km", "kilometer": "km", "kilometers": "km",
    "dbm": "dBm", "db": "dB",
}

# RFC 2119 keywords, longest first so "MUST NOT" wins over "MUST".
_NORMATIVE = [
    (r"must\s+not|shall\s+not", "MUST NOT"), (r"should\s+not|not\s+recommended", "SHOULD NOT"),
    (r"must|shall|required", "MUST"), (r"should|recommended", "SHOULD"), (r"may|optional", "MAY"),
]
_NORM_RE = re.compile(r"\b(" + "|".join(p for p, _ in _NORMATIVE) + r")\b", re.IGNORECASE)
CONFLICTS = {
    "MUST": {"MUST NOT", "MAY", "SHOULD NOT"}, "MUST NOT": {"MUST", "MAY", "SHOULD"},
    "SHOULD": {"MUST NOT", "SHOULD NOT"}, "SHOULD NOT": {"MUST", "SHOULD"}, "MAY": {"MUST NOT"},
}

_IP = re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}(?:/\d{1,2})?\b|\b[0-9a-fA-F]{1,4}(?::[0-9a-fA-F]{0,4}){2,7}(?:/\d{1,3})?\b")
_REF = re.compile(r"\bRFC\s*\d+|§\s*\d+(?:\.\d+)*|\bsection\s+\d+(?:\.\d+)*|\bTS\s*\d+\.\d+|\[\d+(?:\s*,\s*\d+)*\]",
                  re.IGNORECASE)
_THOUSANDS = re.compile(r"\b(\d{1,3}(?:,\d{3})+)\b")
# a word may start with the micro sign (U+00B5) or Greek mu (U+03BC): "100 µs" is 100 us (a token
# of its own letters made it "100 s", and an answer saying "100 seconds" was checked supported)
_TOKEN = re.compile(r"[A-Za-z\u00b5\u03bc][A-Za-z0-9_\-]*|\d+(?:\.\d+)?|%")
_ACRONYM = re.compile(r"\b(?:[A-Z][A-Z0-9]{1,}(?:-[A-Z0-9]+)*|[a-z]+[A-Z]\w*|[a-z]+\d+[a-z0-9/]*)\b")


_NOT_NAMES = frozenset({"ok", "id", "ii", "must", "shall", "should", "may", "not", "required", "recommended",
                        "optional", "note", "yes", "no"})


@dataclass(frozen=True)
class Quantity:
    """A number as written, its value, and the unit family after it (``s``, ``octet``) if any."""

    text: str
    value: float
    unit: str | None = None


def stem(word: str) -> str:
    """A light suffix stripper: enough to match ``timers``/``timer`` and ``rejected``/``reject``."""
    w = word.lower()
    for suffix, repl in (("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3 and not w.endswith("ss"):
            return w[: len(w) - len(suffix)] + repl
    return w


def strip_refs(text: str) -> str:
    """Text without citation markers and document/section references (``RFC 4271``, ``§4.2``)."""
    return _REF.sub(" ", text)


def references(text: str) -> list[str]:
    """Document and section references named in ``text`` (``RFC 4271``, ``§4.2``), normalised."""
    out = []
    for m in _REF.finditer(text):
        ref = m.group(0)
        if ref.startswith("["):
            continue
        out.append(re.sub(r"\s+", " ", ref.upper().replace("SECTION ", "§")).replace("§ ", "§"))
    return out


def _negative(text: str, at: int) -> bool:
    """A minus sign (or U+2212) right before the number at ``at``, after a space, an opening
    bracket or the start of the text."""
    return at >= 1 and text[at - 1] in "-\u2212" and (at == 1 or text[at - 2] in " \t\n([:=,")


def quantities(text: str) -> list[Quantity]:
    """Numbers written as digits or words, each with the unit that follows it."""
    clean = _THOUSANDS.sub(lambda m: m.group(1).replace(",", ""), _IP.sub(" ", strip_refs(text)))
    found = list(_TOKEN.finditer(clean))
    tokens = [m.group(0) for m in found]
    out: list[Quantity] = []
    for i, tok in enumerate(tokens):
        low = tok.lower()
        value: float | None = None
        if re.fullmatch(r"\d+(?:\.\d+)?", tok):
            value = float(tok)
            if _negative(clean, found[i].start()):  # "-3 dBm" is not "3 dBm"; "8-64" is a range
                value, tok = -value, "-" + tok
        elif low in NUMBER_WORDS and low not in ("once", "single", "double"):
            nxt = tokens[i + 1].lower() if i + 1 < len(tokens) else ""
            if low == "one" and nxt in ("of", "another"):
                continue  # "one of the ..." is not a quantity
            value = float(NUMBER_WORDS[low])
        if value is None:
            continue
        unit = None
        for nxt in tokens[i + 1:i + 3]:
            u = UNITS.get(nxt.lower())
            if u:
                unit = u
                break
            if nxt.lower() not in ("or", "to", "and", "-", "octet", "unsigned"):
                break
        out.append(Quantity(tok, value, unit))
    return out


def normative(text: str) -> set[str]:
    """RFC 2119 levels used in ``text``. Lower-case ``may`` is ordinary English and not counted."""
    found = set()
    for m in _NORM_RE.finditer(text):
        word = m.group(0)
        for pattern, level in _NORMATIVE:
            if re.fullmatch(pattern, word, re.IGNORECASE):
                if level == "MAY" and not word.isupper():
                    break
                found.add(level)
                break
    return found


def names(text: str) -> set[str]:
    """Acronyms, protocol message names, identifiers and addresses (``BGP``, ``KEEPALIVE``, ``r1``)."""
    clean = strip_refs(text)
    out = {m.group(0).lower() for m in _IP.finditer(clean)}
    out |= {m.group(0).lower() for m in _ACRONYM.finditer(_IP.sub(" ", clean))}
    return {n for n in out if n not in _NOT_NAMES}


def content_words(text: str) -> set[str]:
    """Stemmed words that carry meaning (no stopwords, numbers or normative words)."""
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z][a-z])", " ", strip_refs(text))  # ConnectRetryTime
    words = re.findall(r"[A-Za-z][A-Za-z0-9\-]*[A-Za-z0-9]", spaced)  # IPv6, GTP-U
    out = set()
    for w in words:
        low = w.lower()
        if low in STOPWORDS or low in NUMBER_WORDS or len(low) < 3 or low in UNITS:
            continue
        if low in ("required", "recommended", "optional"):
            continue
        out.add(stem(low))
    return out


def has_value(text: str, q: Quantity) -> tuple[bool, bool]:
    """(the number occurs, it occurs with the same unit or none) in ``text``."""
    return matches(quantities(text), q)


def matches(found: list[Quantity], q: Quantity) -> tuple[bool, bool]:
    same = [x for x in found if abs(x.value - q.value) < 1e-9]
    if not same:
        return False, False
    return True, q.unit is None or any(x.unit in (q.unit, None) for x in same)


NEGATIONS = frozenset({"not", "no", "never", "cannot", "neither", "nor"})
_NEG = re.compile(r"\b(?:not|no|never|cannot|neither|nor)\b|n't\b", re.IGNORECASE)


def negated(text: str, about: set[str] | None = None) -> bool:
    """Does ``text`` say something is not so? With ``about`` (stemmed content words): only a
    negation followed within a few words by one of them counts ("must not be *assigned*"), not
    one in a side clause ("if a system does not receive ...")."""
    if about is None:
        return bool(_NEG.search(text))
    for m in _NEG.finditer(text):
        after = re.findall(r"[A-Za-z][A-Za-z0-9\-]*", text[m.end():])[:4]
        if any(stem(w.lower()) in about for w in after):
            return True
    return False


ART = re.compile(r"^[ \t]*(?:[\d+\-|~= \t]*[+|][\d+\-|~= \t]*|\|.*\|[ \t]*|(?:\d[ \t]+){7,}\d[ \t]*)$", re.MULTILINE)
"""Lines of RFC packet diagrams (``+-+-+``, ``| Version |``, bit rulers): no facts, only digits."""


def strip_art(text: str) -> str:
    return ART.sub("", text)


ANTONYMS = {a: b for x, y in [
    ("larger", "smaller"), ("largest", "smallest"), ("maximum", "minimum"), ("higher", "lower"),
    ("highest", "lowest"), ("increase", "decrease"), ("before", "after"), ("open", "closed"),
    ("enabled", "disabled"), ("first", "last"), ("inbound", "outbound"), ("ebgp", "ibgp"),
    ("more", "fewer"), ("longer", "shorter"), ("mandatory", "optional"), ("sender", "receiver"),
] for a, b in ((x, y), (y, x))}
"""Word pairs where the claim saying one and its source the other is a contradiction."""
