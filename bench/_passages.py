"""A short-passage TUNING corpus made from RFC sections (the RFC text itself, unmodified).

The check corpus in ``bench/corpora/shortpassages/`` (3GPP-style: one short Markdown file per
clause under a generic heading such as ``# TS 23.501 clause 5.6.1``) must never be tuned on.
This module builds a corpus of the same *shape* from the RFCs that ``questions/rfc.jsonl`` (the
tuning set) uses, so ranking changes can be tuned for short passages too:

* every section of those RFCs becomes one Markdown file ``rfc4271-6.5.md`` whose only heading
  is the generic ``# RFC 4271 clause 6.5`` (no section title: like the check corpus, the
  heading carries a number, not a summary) followed by the section's paragraphs, verbatim;
* a section longer than :data:`MAX_CHARS` is cut at paragraph boundaries into several files
  (``rfc4271-9.1.2-p2.md``), so every passage stays short;
* each tuning question's gold ``RFC 4271 §6.5`` becomes the ids of that section's files.

Built into a directory under ``bench/.cache`` (never committed: the RFCs are installed
locally, and the build takes well under a second).
"""

from __future__ import annotations

import re
from pathlib import Path

import _common as c

MAX_CHARS = 1500


def _slug(section: str) -> str:
    return re.sub(r"[^A-Za-z0-9.]+", "_", section).strip("_")


def build(questions: list[c.Question], dest: Path, max_chars: int = MAX_CHARS) -> dict[str, tuple[str, ...]]:
    """Write the corpus into ``dest``; return gold label -> doc ids of its passage files.
    ``max_chars`` 500 gives passages about as short as the check corpus's (set ``shortrfc``)."""
    from netops.rag.chunking import rfc_sections

    dest.mkdir(parents=True, exist_ok=True)
    for old in dest.glob("*.md"):
        old.unlink()
    gold: dict[str, list[str]] = {}
    for number in sorted({q.rfc for q in questions}):
        path = c.rfc_file(number)
        if path is None:
            raise SystemExit(f"RFC {number} is not installed (apt-get install doc-rfc-std)")
        for sec in rfc_sections(c.read_rfc(path)):
            paras = [b.text.strip("\n") for b in sec.blocks if b.text.strip()]
            if not paras or not sec.number:
                continue
            parts: list[list[str]] = [[]]
            for p in paras:
                if parts[-1] and sum(len(x) for x in parts[-1]) + len(p) > max_chars:
                    parts.append([])
                parts[-1].append(p)
            for n, part in enumerate(parts, 1):
                stem = f"rfc{number}-{_slug(sec.number)}" + (f"-p{n}" if n > 1 else "")
                body = "\n\n".join(part)
                (dest / f"{stem}.md").write_text(f"# RFC {number} clause {sec.number}\n\n{body}\n",
                                                 encoding="utf-8")
                gold.setdefault(f"RFC {number} §{sec.number}", []).append(stem)
    return {k: tuple(v) for k, v in gold.items()}
