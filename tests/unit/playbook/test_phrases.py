"""A playbook's ``phrases``: how people ask for it in words, for a playbook whose name carries no
action word ("bgp-health", "ixp-peer-prefix-limit"). They are part of the vetted content (they
decide which change a sentence proposes), validated by the schema and checked by the linter."""

from __future__ import annotations

from pathlib import Path

import pytest

from netops.errors import PlaybookInvalid
from netops.playbook.lint import lint_playbook
from netops.playbook.spec import load_playbook

REPO = Path(__file__).resolve().parents[3]


def _with_phrases(pb_dir: Path, name: str, block: str) -> Path:
    f = pb_dir / name / "playbook.yaml"
    text = "\n".join(ln for ln in f.read_text().splitlines() if not ln.startswith("phrases:"))
    f.write_text(text + "\n" + block + "\n")
    return pb_dir / name


def test_phrases_load_and_change_the_hash(pb_dir):
    before = load_playbook(pb_dir / "bgp-neighbor-shutdown")
    path = _with_phrases(pb_dir, "bgp-neighbor-shutdown", 'phrases: ["take down peering", "session maintenance"]')
    after = load_playbook(path)
    assert after.spec.phrases == ["take down peering", "session maintenance"]
    assert after.hash != before.hash  # phrases are vetted content
    assert lint_playbook(path).ok, lint_playbook(path).problems


@pytest.mark.parametrize("block", ['phrases: ["Bgp Health"]', 'phrases: ["bgp; health"]', 'phrases: [""]',
                                   'phrases: ["one two three four five six seven"]', "phrases: bgp health"])
def test_a_phrase_that_is_not_plain_lower_case_words_is_invalid(pb_dir, block):
    path = _with_phrases(pb_dir, "bgp-neighbor-shutdown", block)
    with pytest.raises(PlaybookInvalid, match="phrases"):
        load_playbook(path)


@pytest.mark.parametrize("phrase", ["show the bgp", "what is", "check peer", "bgp neighbor"])
def test_lint_refuses_a_phrase_with_no_specific_word(pb_dir, phrase):
    """'show the bgp' would turn every BGP question into this playbook."""
    path = _with_phrases(pb_dir, "bgp-neighbor-shutdown", f'phrases: ["{phrase}"]')
    report = lint_playbook(path)
    assert not report.ok and any("phrase" in p for p in report.problems), report.problems


def test_lint_refuses_a_duplicate_phrase(pb_dir):
    path = _with_phrases(pb_dir, "bgp-neighbor-shutdown", 'phrases: ["peer maintenance", "peer  maintenance"]')
    report = lint_playbook(path)
    assert not report.ok and any("twice" in p for p in report.problems), report.problems


@pytest.mark.parametrize("base,name", [
    (REPO / "playbooks", "bgp-health"),
    (REPO / "plugins" / "netops-peering" / "netops_peering" / "playbooks", "ixp-peer-maintenance"),
    (REPO / "plugins" / "netops-peering" / "netops_peering" / "playbooks", "ixp-peer-prefix-limit"),
    (REPO / "plugins" / "netops-peering" / "netops_peering" / "playbooks", "ixp-peer-turn-up"),
])
def test_playbooks_without_an_action_word_ship_phrases(base, name):
    """Their names carry no action word, so without phrases no sentence could ever match them."""
    pb = load_playbook(base / name)
    assert pb.spec.phrases
    assert lint_playbook(base / name).ok


def test_not_for_is_shaped_and_linted_like_phrases(pb_dir):
    path = _with_phrases(pb_dir, "bgp-neighbor-shutdown", 'phrases: ["take down peering"]\nnot_for: ["the peer"]')
    report = lint_playbook(path)
    assert not report.ok and any("not_for" in p and "specific" in p for p in report.problems), report.problems
    path = _with_phrases(pb_dir, "bgp-neighbor-shutdown", 'not_for: ["Lower Limit"]')
    with pytest.raises(PlaybookInvalid, match="not_for.*lower-case"):
        load_playbook(path)
