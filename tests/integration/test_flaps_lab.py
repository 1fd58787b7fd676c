"""On the real FRR lab (trialfix36): a link that went down and came back between two reads. netops
keeps no history, so "is anything flapping?" must answer from the routers' own counters (zebra's
link ups/downs, bgpd's dropped connections). Before: the sweep showed every interface up and the
shortest BGP uptime, and nothing said that r1's eth-r3 had gone down at all."""

from __future__ import annotations

import re
import time

import pytest

pytestmark = [pytest.mark.lab, pytest.mark.timeout(300)]


@pytest.fixture
def lab_settings(lab_clean, lab_password_env, tmp_path):
    return lab_clean.settings.model_copy(update={
        "home": tmp_path / "home", "model_review": False,
        "kb": lab_clean.settings.kb.model_copy(update={"embedder": "none"})})


def _downs(lab, router, interface):
    i = lab.vtysh_json(router, f"show interface {interface} json")[interface]
    return min(i["linkUps"], i["linkDowns"])


def test_a_link_flapped_between_two_reads_is_counted(lab_clean, lab_settings):
    from netops.session import Session

    lab = lab_clean.lab
    before = _downs(lab, "r1", "eth-r3")
    for _ in range(2):  # down and back up, twice, before anything is read
        lab.set_link("r1", "r3", False)
        time.sleep(1.5)
        lab.set_link("r1", "r3", True)
        time.sleep(1.5)
    after = _downs(lab, "r1", "eth-r3")
    assert after >= before + 2, (before, after)  # as zebra counts it
    with Session(lab_settings, actor="alice", surface="ask") as session:
        answer = session.assistant().ask("is anything flapping?", offline=True)
    lead = answer.text.split("\n\n")[1]
    assert lead.startswith("**Went down since the counters started:** "), answer.text
    m = re.search(r"r1 eth-r3 went down (\d+) times, last \d{4}/\d\d/\d\d \d\d:\d\d:\d\d", lead)
    assert m and int(m.group(1)) == after, lead
    # the far end saw its carrier go too (unless other tests flapped more links: the five most are named)
    assert "r3 eth-r1 went down" in lead or " more. " in lead, lead
