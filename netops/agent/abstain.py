"""Is retrieval good enough to answer from? If not, say so instead of letting a model invent.

Search always returns *something* (fused ranks are relative), so the decision uses absolute
signals:

- **coverage**: the share of the question's words found together in one retrieved passage,
  each word weighted by how rare it is in the whole index (``vxlan`` in a BGP/OSPF index weighs
  a lot, ``default`` very little);
- **unknown words**: question words that occur nowhere in the index at all;
- **similarity** (when the index has an embedder): cosine between the question and the closest
  retrieved passage. When it is available it decides (words alone cannot tell "MPLS label
  length" from the glossary line that merely names MPLS); coverage and unknown words decide for
  a lexical-only index.

The thresholds were set on bench/grounding.py's question set (answerable and unanswerable
questions over the default knowledge base); see bench/README.md.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from netops.agent import facts

MIN_SIMILARITY = 0.55
"""Cosine (normalised MiniLM) between the question and its closest passage below which the passage
is about something else (compared with the passage trimmed to the sentences nearest the question).
On the tuning half of bench/questions/grounding.jsonl answerable questions scored 0.63-0.83,
unanswerable ones 0.30-0.51."""
MIN_SIMILARITY_ALL_WORDS = 0.45
"""... and below this when one passage holds every (weighted) word of the question and the index
knows them all: a short question ("what is the hold timer?", 0.53 against RFC 4271 §4.2) embeds far
from a long passage that answers it. On bench/questions/grounding.jsonl no unanswerable question
(tuning or held out) has all its words in one passage (at most 90% of them, at similarity 0.43),
and every answerable one that does already passed 0.55: its figures do not move."""
MIN_SENTENCE_SIMILARITY = 0.6
"""... or at least this between the question and one sentence of its three closest passages, when
every word of the question is known to the documents and two say what it is about
(:func:`_sentence_similarity`). On bench/questions/teamdocs.jsonl "why would a bundle member show as
suspended?" is 0.35 from its passage and 0.63 from the sentence that answers it; the near-misses whose
every word the documents know had no sentence above 0.58 ("how do we cost out a link in the core (not
the ring)?"). With unknown words allowed it lifted as many near-misses as answers (2 and 2)."""
MIN_COVERAGE_WITH_SIMILARITY = 0.35
"""With an embedder, below this weighted coverage the best passage shares too few of the question's
words, whatever the cosine. 0.3 until abstain35; since :func:`term` lets "rules"/"rule" and
"calculated"/"calculate" meet, coverage runs higher for the same passage: on the tuning sets
(rfc, passages, shortrfc, teamdocs) every question newly covered at 0.30-0.35 was unanswerable
(3: "How is RTP jitter calculated by the receiver?" 0.33), no answerable one was there."""
MIN_COVERAGE = 0.5
"""Lexical-only index: below this weighted coverage in the best passage the documents do not
answer the question ..."""
MIN_COVERAGE_WITH_UNKNOWN = 0.7
"""... and a question with a word the index has never seen needs this much."""

def term(word: str) -> str:
    """A word as the verdict compares it: :func:`facts.stem` and a silent final e dropped, so
    "escalated" meets a runbook's "Escalate", "loses" "lose", "bundled" "bundle" and "times" "time"
    (the stem alone keeps them apart)."""
    w = facts.stem(word)
    return w[:-1] if w.endswith("e") and len(w) >= 4 and w[-2] not in "aeiou" else w


def words(text: str) -> set[str]:
    """The content words of ``text`` (:func:`facts.content_words`) as :func:`term` spells them."""
    return {term(w) for w in facts.content_words(text)}


GENERIC = frozenset(term(w) for w in """
lowest highest minimum maximum min max default value values mean meaning means happen happens
difference differ work works purpose role kind type number many much long often large small big
allowed suggested recommended typical typically describe define definition explain called name
named exactly exist exists need needs happen used usual normal possible main different thing
""".split())
"""Words that shape a question without saying what it is about: they weigh little."""

FRAME = frozenset(term(w) for w in """
say says said tell tells mention mentions mentioned recommend recommends suggest suggests advise advises
cover covers written write anything something info information guidance advice know
""".split())
"""The frame around a knowledge question ("what does ... say about", "tell me about", "what do we know
about"): it asks for the documents' words, it is not a subject they must share."""
SOURCE_KINDS = frozenset(term(w) for w in """
runbook runbooks rfc rfcs spec specs specification specifications documentation doc docs manual manuals
wiki kb ietf team team's
""".split())
"""Words that only name the kind of source to answer from ("our runbook", "the RFC", "the spec")."""
_THE_STANDARD = (r"\b(?:the|our|your|an?|ietf)\s+standards?\b(?=\s*(?:[?,.;:!]|$|(?:says?|said|mentions?|tells?|"
                 r"recommends?|suggests?|defines?|describes?|requires?)\b))")
""""the standard(s)" as a source: in the frame ("what does the standard say"), not as a thing ("a
standard community", "the standard port")."""
_SOURCE_PHRASES = re.compile(r"\bknowledge[- ]base\b|" + _THE_STANDARD, re.IGNORECASE)


@dataclass
class Coverage:
    """The verdict on one retrieval, with the evidence for it."""

    covered: bool
    coverage: float
    """Best weighted share of the question's words in one passage (0..1)."""
    similarity: float | None = None
    unknown_terms: list[str] = field(default_factory=list)
    """Question words that occur nowhere in the index."""
    missing_terms: list[str] = field(default_factory=list)
    """Question words the best passage lacks."""
    reason: str = ""
    shares: list[float] = field(default_factory=list)
    """Weighted coverage of each passage, in the order given."""

    def to_dict(self) -> dict[str, Any]:
        return {"covered": self.covered, "coverage": round(self.coverage, 3),
                "similarity": None if self.similarity is None else round(self.similarity, 3),
                "unknown_terms": self.unknown_terms, "missing_terms": self.missing_terms, "reason": self.reason}


def subject(question: str) -> str:
    """``question`` without its frame and the kind of source it names (:data:`FRAME`,
    :data:`SOURCE_KINDS`): "what does our runbook say about BGP timers?" is about BGP timers, and
    is searched and judged as such (searched whole, "runbook" and "spec" find every runbook's
    symptoms and the "Spec reference" lines first; "standard" finds an RFC's IANA section). A
    question of nothing else ("which runbooks are there?") stays as it is."""
    def drop(m: re.Match) -> str:
        if re.match(r"\s*\d", m.string[m.end():]):  # "RFC 4271" names a document: kept
            return m.group(0)
        return " " if term(m.group(0).lower()) in FRAME | SOURCE_KINDS else m.group(0)

    out = re.sub(r"[A-Za-z][A-Za-z'\-]*", drop, _SOURCE_PHRASES.sub(" ", question))
    out = " ".join(out.split())
    return out if facts.content_words(out) else question


_KINDS = {"runbook": re.compile(r"\brunbooks?\b", re.IGNORECASE),
          "rfc": re.compile(r"\b(?:rfcs?|specs?|specifications?|ietf)\b(?!\s*\d)|" + _THE_STANDARD, re.IGNORECASE)}


def named_kind(question: str) -> str | None:
    """The one kind of source ``question`` asks to be answered from: ``runbook`` ("what does our
    runbook say ..."), ``rfc`` ("according to the RFC", "the spec", "the standard"), or None."""
    found = [kind for kind, pattern in _KINDS.items() if pattern.search(question)]
    return found[0] if len(found) == 1 else None


def _of_kind(chunk: Any, kind: str) -> bool:
    if kind == "runbook":
        return bool(_KINDS["runbook"].search(f"{chunk.title} {chunk.source}"))
    return str(chunk.doc_id).upper().startswith("RFC ")


def preferred(question: str) -> Callable[[Any], bool] | None:
    """For a question that names the kind of source to answer from (:func:`named_kind`), which
    retrieved passages (chunks) go first: those of that kind that share a word with the question's
    :func:`subject` (a runbook passage about something else is not an answer). None otherwise."""
    kind = named_kind(question)
    if kind is None:
        return None
    about = set(question_terms(question))

    def first(chunk: Any) -> bool:
        return _of_kind(chunk, kind) and bool(words(f"{chunk.section_title} {chunk.text}") & about)

    return first


def question_terms(question: str) -> list[str]:
    """The content words (stemmed) of the question's :func:`subject`."""
    return list(dict.fromkeys(words(subject(question))))


def _weights(terms: list[str], total: int, df: dict[str, int]) -> dict[str, float]:
    out = {}
    for t in terms:
        idf = math.log((total + 1) / (df.get(t, 0) + 1)) + 1.0
        out[t] = idf * (0.25 if t in GENERIC else 1.0)
    return out


def assess(question: str, passages: Sequence[str], *,
           counts: Callable[[list[str]], tuple[int, dict[str, int]]] | None,
           embed: Callable[[str], Sequence[float]] | None = None, focus: Sequence[str] | None = None,
           expand: Callable[[str], str] | None = None) -> Coverage:
    """Decide whether ``passages`` (best first, each with its heading) can answer ``question``.

    ``counts(terms) -> (chunks, {term: chunks containing it})`` gives document frequencies (the
    knowledge base's :meth:`~netops.rag.lexical.LexicalIndex.term_counts`); ``embed`` adds the
    similarity signal, computed on ``focus`` (the part of each passage closest to the question)
    when given, since a whole section dilutes the sentence that answers. ``expand`` (the knowledge
    base's glossary expansion, :meth:`~netops.rag.kb.KnowledgeBase.expand`) gives the question's
    acronyms spelled out for the similarity too: "DR election" embeds far from "Electing the
    Designated Router" (0.34-0.48, judged not covered, trial21), "DR election (Designated Router)"
    does not.
    """
    shares: list[float] = []
    cov = _assess(question, passages, counts, embed, shares, focus or passages, expand)
    cov.shares = shares
    return cov


def _assess(question: str, passages: Sequence[str], counts: Any, embed: Any, shares: list[float],
            focus: Sequence[str], expand: Any = None) -> Coverage:
    terms = question_terms(question)
    if not passages:
        return Coverage(False, 0.0, reason="no passage matched")
    if not terms:
        return Coverage(True, 1.0, reason="the question has no content words to check")
    total, df = _counts(subject(question), terms, counts) if counts is not None else (0, {})
    weights = _weights(terms, total, df)
    unknown = [t for t in terms if counts is not None and df.get(t, 0) == 0 and t not in GENERIC]
    named = _identifiers(subject(question), unknown, counts) if unknown else []
    spelled = _spelled_out(subject(question), terms, expand)
    best, best_missing = 0.0, terms
    for text in passages:
        held = words(text)
        found = [t for t in terms if t in held or any(alt <= held for alt in spelled.get(t, ()))]
        share = sum(weights[t] for t in found) / sum(weights.values())
        shares.append(share)
        if share > best:
            best, best_missing = share, [t for t in terms if t not in found]
    if named:
        # the question names a thing (a model, an optic, a release) the documents never mention: what
        # they say about its neighbour ("AS-7000 supports 32 port-channels") does not answer it
        return Coverage(False, best, None, unknown, best_missing,
                        f"{', '.join(named)} occur{'s' if len(named) == 1 else ''} nowhere in the documents")
    similarity = None
    if embed is not None:
        try:
            from netops.agent.answer_check import _cos

            about = subject(question)  # the frame and source kind are not what it is about
            asked = [about]
            if expand is not None and (spelled := expand(about)) != about:
                asked.append(spelled)  # its acronyms spelled out (the glossary's): "DR (Designated Router)"
            vectors = [embed(a) for a in asked]
            similarity = max(_cos(q, embed(p[:1200])) for p in focus[:3] for q in vectors)
        except Exception:  # no embedding, no similarity signal; coverage still decides
            similarity = None
    if similarity is not None:
        # With an embedder, meaning decides; words only catch a passage that shares almost none.
        # every word of the question in one passage, the index knowing them all, and at least two
        # that say what it is about (one word alone, "routing", is in almost any passage)
        subject_words = len([t for t in terms if t not in GENERIC])
        all_words = best >= 0.99 and counts is not None and not unknown and subject_words >= 2
        bar = MIN_SIMILARITY_ALL_WORDS if all_words else MIN_SIMILARITY
        if similarity < bar and counts is not None and not unknown and subject_words >= 2 \
                and best >= MIN_COVERAGE_WITH_SIMILARITY:
            # the passage judged at its best sentence: a short paraphrase ("why would a bundle member
            # show as suspended?") embeds far from a whole passage and close to the one sentence that
            # answers it ("Members of different speeds are suspended, not bundled"); only when every
            # word of the question is known to the documents (a word they never use is a thing they
            # do not cover), and at least two say what it is about ("routing" is in some sentence)
            try:
                said = _sentence_similarity(vectors, focus[:3], embed)
            except Exception:  # no sentence signal: the passage's stands
                said = 0.0
            if said >= MIN_SENTENCE_SIMILARITY:
                similarity = bar = said
        if similarity < bar and counts is not None and not unknown and (phrase := named_verbatim(question, focus[:3])):
            # the question's whole subject, two words or more, word for word in a passage ("what does
            # bad peer as mean?": RFC 4271 names the Bad Peer AS subcode and when it is sent; a short
            # term embeds far from the passage, 0.33, trial36)
            return Coverage(True, best, similarity, unknown, best_missing, f"a passage names '{phrase}' word for word")
        if similarity < bar:
            return Coverage(False, best, similarity, unknown, best_missing,
                            f"the closest passage is about something else (similarity {similarity:.2f})")
        if best < MIN_COVERAGE_WITH_SIMILARITY:
            return Coverage(False, best, similarity, unknown, best_missing,
                            f"the best passage has only {best:.0%} of the question's (weighted) words")
        return Coverage(True, best, similarity, unknown, best_missing, "")
    if best < MIN_COVERAGE:
        return Coverage(False, best, similarity, unknown, best_missing,
                        f"the best passage has only {best:.0%} of the question's (weighted) words")
    if unknown and best < MIN_COVERAGE_WITH_UNKNOWN:
        return Coverage(False, best, similarity, unknown, best_missing,
                        f"{', '.join(unknown)} occur{'s' if len(unknown) == 1 else ''} nowhere in the documents")
    return Coverage(True, best, similarity, unknown, best_missing, "")


_WORD = re.compile(r"[a-z0-9][a-z0-9'\-]*")


def named_verbatim(question: str, passages: Sequence[str]) -> str | None:
    """The question's subject as it wrote it (from its first to its last word that says what it is
    about: not a frame, source kind or generic word), when that is two to four words holding every
    such word and one of ``passages`` has them in the same order with nothing between; else None.
    "what does bad peer as mean?" -> "bad peer" (RFC 4271's "Bad Peer AS")."""
    tokens = _WORD.findall(subject(question).lower())
    about = [i for i, t in enumerate(tokens) if (w := words(t)) and not w <= GENERIC | FRAME | SOURCE_KINDS]
    if len(about) < 2 or about[-1] - about[0] > 3:
        return None
    span = tokens[about[0]:about[-1] + 1]
    pattern = re.compile(r"(?<![\w-])" + r"[\s\-]+".join(map(re.escape, span)) + r"(?![\w-])", re.IGNORECASE)
    return " ".join(span) if any(pattern.search(p) for p in passages) else None


def _sentence_similarity(vectors: list, passages: Sequence[str], embed: Callable) -> float:
    """The best cosine between the question (``vectors``) and one sentence of ``passages``: a
    table row or a list item counts as a sentence; one of fewer than three content words does not
    (a heading, "Check first")."""
    from netops.agent.answer_check import _cos, split_sentences

    best = 0.0
    for text in passages:
        body = text.split(": ", 1)[1] if ": " in text[:80] else text  # the citation prefix
        for a, b in split_sentences(body):
            sentence = body[a:b].strip()
            if len(facts.content_words(sentence)) < 3:
                continue
            vec = embed(sentence[:400])
            best = max(best, *(_cos(q, vec) for q in vectors))
    return best


_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-]*[A-Za-z0-9]")


def _surfaces(question: str) -> dict[str, list[str]]:
    """Each content term of ``question`` (stemmed) with the words it was written as, digits kept:
    "escalated" for ``escalat``, "10G-LR" for ``g-lr``."""
    out: dict[str, list[str]] = {}
    for token in _TOKEN.findall(question):
        for t in words(token):
            out.setdefault(t, [])
            if token.lower() not in out[t]:
                out[t].append(token.lower())
    return out


def _counts(question: str, terms: list[str], counts: Callable) -> tuple[int, dict[str, int]]:
    """Document frequencies of ``terms``; a term the index does not know by its stem is asked again
    as the question wrote it: the index stems its own way (``escalat`` is not its ``escalate``) and
    keeps the digits of "10G-LR", which the stem loses. Either way found, it is known."""
    total, df = counts(terms)
    df = dict(df)
    surfaces = _surfaces(question)
    retry = {form: t for t in terms if not df.get(t) for form in surfaces.get(t, ()) if form != t}
    if retry:
        _, again = counts(list(retry))
        for form, n in again.items():
            df[retry[form]] = max(df.get(retry[form], 0), n)
    return total, df


_ADDRESS = re.compile(r"\b[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,}(?:/\d+)?|\b\d+(?:\.\d+){1,3}(?:/\d+)?")
"""An IPv6 or IPv4 address or prefix ("fec0::/10", "10.0.0.0/8"): a value, not the name of a thing."""


def _identifiers(question: str, unknown: list[str], counts: Callable) -> list[str]:
    """The ``unknown`` terms the question wrote with a digit and a letter in them (AS-9000, 100G-ZR,
    RX-400): the name of a thing, which the documents either name or do not answer about. Not an address
    ("fec0::/10" is a value the text may spell in binary), not a known name with plain words hyphened
    on (:func:`_known_core`: "IPv4-only"), nor one the documents write with a hyphen ("RIPv2": RIP-2)."""
    surfaces = _surfaces(_ADDRESS.sub(" ", question))
    out = []
    for t in unknown:
        for form in surfaces.get(t, ())[:1]:
            if not (any(ch.isdigit() for ch in form) and any(ch.isalpha() for ch in form)):
                continue  # a bare number ("a hold time of 240") is a value the text need not print
            if (m := re.fullmatch(r"([a-z]+?)v?-?(\d+)", form)) and any(counts([f"{m[1]}-{m[2]}"])[1].values()):
                continue  # "RIPv2" the documents write "RIP-2"
            if not _known_core(form, counts):
                out.append(form)
    return out


def _known_core(form: str, counts: Callable) -> bool:
    """Whether ``form`` ("ipv4-only") is a known name with plain words hyphened on: end parts of
    letters only that are stopwords or known to the documents come off while what remains still
    has a letter and a digit, and what remains is known ("ipv4"). "as-9000" keeps its "as" (9000
    alone names nothing) and "10g-er" its "er" (unknown): both stay unknown."""
    parts = form.split("-")

    def plain(x: str) -> bool:
        return x.isalpha() and (x in facts.STOPWORDS or bool(counts([x])[1].get(x)))

    def named(ps: list[str]) -> bool:
        rest = "".join(ps)
        return any(ch.isalpha() for ch in rest) and any(ch.isdigit() for ch in rest)

    while len(parts) > 1 and plain(parts[-1]) and named(parts[:-1]):
        parts = parts[:-1]
    while len(parts) > 1 and plain(parts[0]) and named(parts[1:]):
        parts = parts[1:]
    core = "-".join(parts)
    return core != form and bool(counts([core])[1].get(core))


def _spelled_out(question: str, terms: list[str], expand: Any) -> dict[str, list[set[str]]]:
    """For each of ``terms`` that the glossary spells out (``expand``: an acronym's expansions, a
    word's other spelling), the content words of each spelling: a passage that says "Backup
    Designated Router" holds the question's "BDR" (RFCs spell their terms out; "what is the BDR
    for?" was 0% covered, "not covered", with RFC 2328 §7.4 first), one that says "neighbor" its
    "neighbour"."""
    if expand is None:
        return {}
    out: dict[str, list[set[str]]] = {}
    for token in dict.fromkeys(re.findall(r"[A-Za-z][A-Za-z0-9\-]*[A-Za-z0-9]", question)):
        t = term(token.lower())
        if t not in terms or t in out:
            continue
        try:
            said = expand(token)
        except Exception:  # no glossary: the word as written
            continue
        added = said[len(token):] if said.startswith(token) else ""
        # "BDR (Backup Designated Router)": each expansion, all its words; "neighbour neighbor": each word
        alts = [words(a) for m in re.finditer(r"\(([^()]*)\)", added) for a in m.group(1).split(";")]
        alts += [{w} for w in words(re.sub(r"\([^()]*\)", " ", added))]
        if alts := [a for a in alts if a and t not in a]:
            out[t] = alts
    return out


NOT_COVERED = "Your documents do not cover this"


def absent(question: str, kb: Any, coverage: Coverage | None) -> tuple[Coverage | None, str | None]:
    """``coverage`` judged again for the documents ``question`` names that ``kb`` does not hold:
    all of them missing, it is not covered, saying which and how to add them (whatever else is
    nearest answers another question); some missing, a notice saying so. (coverage, notice)."""
    from netops.rag.fusion import absent_documents, named_documents

    if not absent_documents(question, ()) or not hasattr(kb, "list"):
        return coverage, None  # names no document by number: the registry is not read
    held = {rec.doc_id for rec in kb.list()}
    names = absent_documents(question, held)
    if not names:
        return coverage, None
    rfcs = [n.split()[1] for n in names if n.startswith("RFC ")]
    how = "; ".join(x for x in (f"add {'it' if len(rfcs) == 1 else 'them'} with `netops kb pull rfc {' '.join(rfcs)}`"
                                if rfcs else "",
                                f"add {'its' if len(names) - len(rfcs) == 1 else 'their'} text with `netops kb add FILE`"
                                if len(rfcs) < len(names) else "") if x)
    said = f"{', '.join(names)} {'is' if len(names) == 1 else 'are'} not in the knowledge base; {how}"
    if named_documents(question, held):
        return coverage, said  # another document it names is here: answered from that one
    base = coverage or Coverage(False, 0.0)
    return Coverage(False, base.coverage, base.similarity, base.unknown_terms, base.missing_terms, said,
                    base.shares), None


def abstention_text(coverage: Coverage, nearest: Sequence[tuple[str, str]]) -> str:
    """The answer when the documents do not cover the question: say so, show the nearest passages."""
    from netops.rag.answer import snippet

    lines = [f"**{NOT_COVERED}**, so I will not guess ({coverage.reason})."]
    if nearest:
        lines.append("The nearest passages in your documents:")
        for i, (label, text) in enumerate(nearest, 1):
            lines.append(f"{i}. {label}: {snippet(text, 240)}")
    lines.append("Add a document that covers it (`netops kb add PATH` or `netops kb pull rfc N`) and ask again.")
    return "\n\n".join(lines)
