"""Reciprocal-rank fusion."""

from __future__ import annotations

import pytest

from netops.rag.fusion import RRF_K, rrf


def test_items_in_both_lists_beat_items_in_one():
    fused = rrf([["a", "b", "c"], ["c", "a", "d"]])
    assert [f.key for f in fused] == ["a", "c", "b", "d"]
    a = fused[0]
    assert a.ranks == (1, 2)
    assert a.score == pytest.approx(1 / (RRF_K + 1) + 1 / (RRF_K + 2))
    assert fused[-1].ranks == (None, 3)


def test_ties_keep_first_appearance_and_duplicates_count_once():
    fused = rrf([["x", "x", "y"], ["y", "x"]])
    assert [f.key for f in fused] == ["x", "y"]  # both 1/61 + 1/62: x appeared first
    assert fused[0].ranks == (1, 2)


def test_empty_lists_and_weights():
    assert rrf([[], []]) == []
    fused = rrf([["a"], ["b"]], weights=[1.0, 2.0])
    assert [f.key for f in fused] == ["b", "a"]
    with pytest.raises(ValueError):
        rrf([["a"]], weights=[1.0, 1.0])
