"""Shared helpers for the bench scripts (imported as ``_common`` when run as ``python bench/x.py``).

Nothing here is part of netops; it only drives the public library API and prints figures.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import statistics
import sys
import time
from dataclasses import asdict, dataclass, is_dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
CACHE = BENCH / ".cache"
QUESTIONS = BENCH / "questions" / "rfc.jsonl"
RFC_DIR = Path("/usr/share/doc/RFC")
RFC_SUBDIRS = ("standard", "draft-standard")
GOLD = re.compile(r"^RFC (?P<n>[1-9]\d*) §(?P<sec>\S+)$")

# Offline and quiet, exactly as the tests run the stack.
for _k, _v in {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "ORT_DISABLE_TELEMETRY": "1",
    "ANONYMIZED_TELEMETRY": "False",
    "TOKENIZERS_PARALLELISM": "false",
}.items():
    os.environ.setdefault(_k, _v)

if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


@dataclass(frozen=True)
class Question:
    question: str
    expected: str
    rfc: int


def load_questions(path: Path = QUESTIONS) -> list[Question]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        m = GOLD.match(item["expected"])
        if not m:
            raise SystemExit(f"bad gold {item['expected']!r} in {path}")
        out.append(Question(item["question"], item["expected"], int(m["n"])))
    return out


def rfc_file(number: int) -> Path | None:
    for sub in RFC_SUBDIRS:
        for name in (f"rfc{number}.txt.gz", f"rfc{number}.txt"):
            p = RFC_DIR / sub / name
            if p.is_file():
                return p
    return None


def all_rfc_files() -> list[Path]:
    """Every RFC text in Debian's doc-rfc-std tree, standard before draft-standard, by number."""
    out = []
    for sub in RFC_SUBDIRS:
        found = {}
        for p in (RFC_DIR / sub).glob("rfc*.txt*"):
            m = re.fullmatch(r"rfc(\d+)\.txt(\.gz)?", p.name)
            if m:
                found.setdefault(int(m[1]), p)
        out += [found[n] for n in sorted(found)]
    return out


def read_rfc(path: Path) -> str:
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    return data.decode("utf-8", "replace")


def settings_for(home: Path):
    """A fresh :class:`Settings` whose state lives in ``home`` (never the user's ~)."""
    os.environ["NETOPS_HOME"] = str(home)
    from netops.settings import load_settings

    return load_settings(home=home)


def make_minilm():
    from netops.rag.embedders import MiniLMEmbedder

    return MiniLMEmbedder()


def open_kb(settings, embedder):
    from netops.rag.kb import KnowledgeBase

    return KnowledgeBase(settings, embedder=embedder)


def close(obj) -> None:
    fn = getattr(obj, "close", None)
    if callable(fn):
        fn()


def hit_matches(hit, expected: str) -> bool:
    """The eval's rule: gold equals the doc_id, the citation, or the citation minus ``(Title)``."""
    chunk = hit.chunk
    citation = chunk.citation
    bare = re.sub(r"\s*\([^()]*\)\s*$", "", citation)
    short = f"{chunk.doc_id} §{chunk.section}" if chunk.section else chunk.doc_id
    return expected in (chunk.doc_id, citation, bare, short)


def source_fingerprint(*extra: str) -> str:
    """Hash of the rag package sources: a cache built by other code is not reused."""
    h = hashlib.sha256()
    for p in sorted((REPO / "netops" / "rag").rglob("*.py")):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    for e in extra:
        h.update(e.encode())
    return h.hexdigest()[:16]


def files_fingerprint(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(p.name.encode())
        h.update(hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()[:16]


def pct(values: list[float], q: float) -> float:
    """Percentile by nearest rank (q in 0..100)."""
    if not values:
        return float("nan")
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(round(q / 100 * len(s) + 0.5)) - 1))
    return s[k]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


class Timer:
    def __enter__(self):
        self.t0 = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.t0


def to_jsonable(obj):
    if is_dataclass(obj):
        return asdict(obj)
    raise TypeError(type(obj).__name__)


def emit_json(doc: dict) -> None:
    json.dump(doc, sys.stdout, indent=2, default=to_jsonable)
    sys.stdout.write("\n")


def log(msg: str) -> None:
    """Progress goes to stderr so ``--json`` keeps stdout to one document."""
    print(msg, file=sys.stderr, flush=True)


def fmt_table(headers: list[str], rows: list[list]) -> str:
    cells = [headers] + [[f"{c:.3f}" if isinstance(c, float) else str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)) for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
