"""A number in a configuration or a list is bound to the line that says it: SmolLM2 answered
"The ospf cost on r1's interfaces is 0 [1]" over r1's config ("ip ospf cost 10", "area 0") and
the check called it supported, because a config has no sentence ends and was one big sentence."""

from __future__ import annotations

from pathlib import Path

from netops.agent.answer_check import CONTRADICTED, SUPPORTED, UNSUPPORTED, check_answer
from netops.agent.evidence import Evidence
from netops.agent.offline import _summarise
from netops.devices.models import RunningConfig
from tests.unit.agent.test_answer_check_adversarial import Src

CONFIG = (Path(__file__).parents[2] / "fixtures/devices/frr/r1/show_running_config.txt").read_text()


def _config_source(section):
    text = "Running configuration of r1:\n" + _summarise("config", RunningConfig(text=CONFIG), {"_section": section})
    return Src(1, "r1: show running-config, 07:00:00", text, "device",
               Evidence("device", "r1: show running-config", host="r1", command="show running-config"))


def _status(text, src, question):
    (s,) = check_answer(text, [src], question=question).sentences
    return s.status


def test_a_number_from_another_config_line_does_not_back_the_claim():
    q = "what's the ospf cost on r1's interfaces?"
    assert _status("The ospf cost on r1's interfaces is 0 [1].", _config_source("ospf"), q) in (UNSUPPORTED,
                                                                                               CONTRADICTED)
    assert _status("The ospf cost on r1's interfaces is 10 [1].", _config_source("ospf"), q) == SUPPORTED


def test_bgp_timers_from_the_config_line():
    q = "what bgp timers does r1 use?"
    assert _status("r1 uses BGP timers 3 and 9 [1].", _config_source("bgp"), q) == SUPPORTED
    assert _status("r1 uses BGP timers 30 and 90 [1].", _config_source("bgp"), q) != SUPPORTED


def test_a_list_line_binds_its_own_count():
    src = Src(1, "r2: show bgp summary json, 07:00:00", "BGP neighbours (peers) of r2:\n"
              "- 198.51.100.1 AS65001: Established, 3 prefixes\n- 198.51.100.6 AS65003: Established, 7 prefixes",
              "device", Evidence("device", "r2: show bgp summary json", host="r2", command="show bgp summary json"))
    q = "how many prefixes does r2 get from 198.51.100.1?"
    assert _status("r2 receives 3 prefixes from 198.51.100.1 [1].", src, q) == SUPPORTED
    assert _status("r2 receives 7 prefixes from 198.51.100.1 [1].", src, q) != SUPPORTED
