"""``bench/state_phrasings.py`` for the tests: loaded once, under one module name, shared by every test
that asks the offline path through its :class:`Harness` or runs one of its phrasing sets (20 test files
each loaded their own copy with ``importlib``). ``bench`` is the module; ``data(name)`` a set's path."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "unit" / "agent" / "data"


def _load():
    name = "bench_state_phrasings"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, REPO / "bench" / "state_phrasings.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # before running it: its dataclasses look their module up by name
        spec.loader.exec_module(module)
    return sys.modules[name]


bench = _load()


def data(name: str) -> Path:
    """The phrasing set ``name`` (``"trial35"`` -> ``data/state_phrasings_trial35.yaml``)."""
    return DATA / f"state_phrasings_{name}.yaml"
