"""The telecom/network acronym glossary and query expansion.

``knowledge/glossary.md`` holds one acronym per bullet::

    - **RR**: Route Reflector
    - **DR**: Designated Router; Disaster Recovery — OSPF elects one per broadcast segment

Expansions follow the colon, several separated by ``;``; anything after `` — `` (an em dash,
or `` -- ``) is a note for people and is not used for expansion.

Matching rule used by :func:`expand_query` (and why): an acronym matches only as a whole word
(letters, digits and hyphens count as word characters, so ``NSSAI`` does not match inside
``S-NSSAI``). Acronyms with three letters or fewer (``AS``, ``DR``, ``RR``, ``MED``, ``UE``,
``gNB``) match only when the query writes at least two of their letters in capitals ("AS",
"gNB", "eNB" match; "as", "As", "med", "Dr" do not), because in lower or sentence case they
are ordinary English words. Longer acronyms (``OSPF``, ``EVPN``, ``eBGP``) match in any case.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from netops.errors import NotFoundError

__all__ = ["load_glossary", "parse_glossary", "expand_query", "acronyms_in"]

_ENTRY = re.compile(r"^\s*[-*]\s+\*\*(?P<key>[^*]+)\*\*\s*[:\u2013\u2014-]\s*(?P<rest>.+?)\s*$")
_NOTE = re.compile(r"\s+(?:\u2014|--)\s+")


def parse_glossary(text: str) -> dict[str, list[str]]:
    """Parse glossary Markdown into ``{ACRONYM (upper-cased): [expansions]}``.

    Later duplicates of an acronym add their expansions to the first.
    """
    out: dict[str, list[str]] = {}
    for line in text.splitlines():
        m = _ENTRY.match(line)
        if not m:
            continue
        key = m.group("key").strip().upper()
        rest = _NOTE.split(m.group("rest"), maxsplit=1)[0]
        expansions = [e.strip().rstrip(".") for e in rest.split(";") if e.strip()]
        bucket = out.setdefault(key, [])
        for e in expansions:
            if e not in bucket:
                bucket.append(e)
    return out


def load_glossary(path: Path) -> dict[str, list[str]]:
    """Read a glossary file (see module docstring). Raises NotFoundError if it is missing."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise NotFoundError(f"glossary {path} not found", hint="check NETOPS_KNOWLEDGE_DIR") from exc
    return parse_glossary(text)


def _short(key: str) -> bool:
    return len(re.sub(r"[^A-Za-z]", "", key)) <= 3


@lru_cache(maxsize=4096)
def _pattern(text: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){re.escape(text)}(?![\w-])", re.IGNORECASE)


def _absent(text: str, lowered: str) -> bool:
    """Cheap proof that ``text`` cannot match (a search looks at every glossary entry, and most
    are absent). Only for ASCII: Unicode case-insensitive matching has pairs ``lower`` misses."""
    return text.isascii() and lowered.isascii() and text.lower() not in lowered


def _has_key(key: str, query: str, lowered: str | None = None) -> bool:
    if _absent(key, query.lower() if lowered is None else lowered):
        return False
    for m in _pattern(key).finditer(query):
        if not _short(key) or sum(c.isupper() for c in m.group(0)) >= 2:
            return True
    return False


def acronyms_in(query: str, glossary: dict[str, list[str]]) -> list[str]:
    """Glossary keys that occur in ``query`` as whole words (rule above), in glossary order."""
    lowered = query.lower()
    return [key for key in glossary if _has_key(key, query, lowered)]


def expand_query(query: str, glossary: dict[str, list[str]], *, reverse: bool = True) -> str:
    """Append expansions of the acronyms in ``query`` (and, with ``reverse``, the acronyms of
    expansion phrases it spells out): ``"RR clients"`` -> ``"RR clients (Route Reflector)"``.

    Expansions already present in the query are not repeated; the query is returned unchanged
    when nothing matches.
    """
    extra: list[str] = []
    lowered = query.lower()
    for key in acronyms_in(query, glossary):
        for exp in glossary[key]:
            if exp.lower() not in lowered and exp not in extra:
                extra.append(exp)
    if reverse:
        for key, expansions in glossary.items():
            if any(len(e) > 4 and not _absent(e, lowered) and _pattern(e).search(query) for e in expansions):
                if not _has_key(key, query, lowered) and key not in extra:
                    extra.append(key)
    if not extra:
        return query
    return f"{query} ({'; '.join(extra)})"
