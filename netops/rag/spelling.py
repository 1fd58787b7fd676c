"""British and American spellings of the same word, for the lexical side of a search.

RFCs write "neighbor", "behavior", "signaling"; 3GPP and many team runbooks write "neighbour",
"behaviour", "signalling"; engineers ask in either. The FTS5 index stems with Porter, which keeps
the two spellings apart (``neighbour`` and ``neighbor`` are different terms), so a question in one
spelling never matched a passage in the other by its words. The lexical query therefore also
carries the other spelling of each word that has one. A generated spelling that no document uses
matches nothing and costs nothing, so the rules may over-generate; they must not turn a word into
a different real word.

Rules (both directions): ``-our``/``-or`` for a closed list of stems (``hour``, ``four``, ``your``
must not change); ``-ise``/``-ize`` and ``-isation``/``-ization`` (``-yse``/``-yze``); a doubled
``l`` before ``-ed``/``-ing``/``-er`` after ``a``/``e`` (``signalling``, ``labelled``,
``tunnelling``); ``-tre``/``-ter``, ``-ogue``/``-og``, ``-ence``/``-ense`` and ``programme`` for
closed lists.
"""

from __future__ import annotations

import re

__all__ = ["variants", "expand_spelling"]

_OUR = ("neighbour", "behaviour", "favour", "colour", "honour", "labour", "endeavour", "harbour",
        "rumour", "flavour", "armour", "vapour", "humour", "vigour", "odour", "parlour")
_OR = {stem[:-3] + "or": stem for stem in _OUR}
_TRE = {"centre": "center", "fibre": "fiber", "metre": "meter", "litre": "liter", "calibre": "caliber"}
_OGUE = {"catalogue": "catalog", "dialogue": "dialog", "analogue": "analog"}
_ENCE = {"licence": "license", "defence": "defense", "offence": "offense", "pretence": "pretense"}
_WHOLE = {"programme": "program", "programmes": "programs", "grey": "gray", "aluminium": "aluminum"}

_IS = re.compile(r"^(\w{3,}?)([iy])s(e|es|ed|ing|er|ers|ation|ations|able)$")
_IZ = re.compile(r"^(\w{3,}?)([iy])z(e|es|ed|ing|er|ers|ation|ations|able)$")
# a stem of two syllables or more (signal, label, model, tunnel, cancel; not call, tell, fill)
_LL = re.compile(r"^(\w*[aeiouy]\w*[^aeiou\W][aeo])ll(ed|ing|er|ers)$")
_L = re.compile(r"^(\w*[aeiouy]\w*[^aeiou\W][aeo])l(ed|ing|er|ers)$")
# -ise words that are not -ize words anywhere (their -ize form would be a misspelling, harmless
# but pointless to search)
_NOT_IZE = frozenset("""advertise advise arise chastise circumcise comprise compromise concise demise
despise devise disguise enterprise excise exercise expertise franchise improvise merchandise
otherwise precise premise promise revise rise supervise surmise surprise televise treatise wise
noise poise raise praise paradise cruise bruise""".split())


def _swap_table(word: str) -> list[str]:
    out = []
    for table in (_TRE, _OGUE, _ENCE, _WHOLE):
        for a, b in table.items():
            for x, y in ((a, b), (b, a)):
                if word == x or (word.startswith(x) and word[len(x):] in ("s", "d", "es")):
                    out.append(y + word[len(x):])
    return out


def variants(word: str) -> list[str]:
    """The other spellings of ``word`` (lower case), or ``[]`` when it has none."""
    w = word.lower()
    found: list[str] = []
    for stem in _OUR:
        if w.startswith(stem):
            found.append(stem[:-3] + "or" + w[len(stem):])
    for us, uk in _OR.items():
        if w.startswith(us) and not w.startswith(uk):
            found.append(uk + w[len(us):])
    m = _IS.match(w)
    if m and not any(w.startswith(x[:-1]) for x in _NOT_IZE if len(w) - len(x) <= 3):
        found.append(f"{m.group(1)}{m.group(2)}z{m.group(3)}")
    m = _IZ.match(w)
    if m:
        found.append(f"{m.group(1)}{m.group(2)}s{m.group(3)}")
    m = _LL.match(w)
    if m:
        found.append(f"{m.group(1)}l{m.group(2)}")
    else:
        m = _L.match(w)
        if m:
            found.append(f"{m.group(1)}ll{m.group(2)}")
    found += _swap_table(w)
    return [f for f in dict.fromkeys(found) if f != w]


_WORD = re.compile(r"[A-Za-z]+")


def expand_spelling(query: str) -> str:
    """``query`` with the other spelling of each of its words appended (each once); unchanged
    when none has one."""
    words = {w.lower() for w in _WORD.findall(query)}
    extra = [v for w in sorted(words) for v in variants(w) if v not in words]
    extra = list(dict.fromkeys(extra))
    return f"{query} {' '.join(extra)}" if extra else query
