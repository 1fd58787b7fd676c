"""A model sentence under netops's device findings that states a value nothing netops read shows
is left out and said, as a contradicted one is (model19's "what remains": SmolLM2 on the lab wrote
"The answer is: 12 months." under findings saying "up 8m00s", and "... r2's IP address 204.8.").
Scripted model, recorded FRR output."""

from __future__ import annotations

import pytest

from netops.agent.grounding import invented_values
from netops.testing.ollama_server import say

SHOWN = ("r3: OSPF neighbour 10.0.0.2 via eth0: Full, up 8m00s; BGP 192.0.2.1 AS65002 Established, "
         "up 1d02h; hold time 90; uptime 00:08:00")


@pytest.mark.parametrize("sentence, invented", [
    ("The answer is: 12 months.", ["12 months"]),
    ("R1 does not reach r3, as it has a route to r2's IP address 204.8.", ["204.8"]),
    ("The route to 192.0.2.0/24 is missing.", ["192.0.2.0/24"]),
    ("The peer AS 65003 is up.", ["AS 65003"]),
    ("It has been up for 10 years.", ["10 years"]),
    # the same values as read, in other words
    ("It has been up for 8 minutes [1].", []), ("Up about 26 hours.", []), ("It has been up for 8.5 minutes.", []),
    ("The peer AS 65002 is up.", []), ("Hold time is 90 seconds.", []), ("10.0.0.2 is Full.", []),
    ("r3 has 2 neighbours.", []),   # a count is the model's own sum: not judged
])
def test_values_nothing_read_shows(sentence, invented):
    assert invented_values(sentence, SHOWN) == invented


def test_an_invented_value_under_the_findings_is_left_out_and_said(scripted, make_assistant):
    said = "The BGP session on r1 has been up for 12 months."
    scripted.push(say(said))
    answer = make_assistant().ask("how long has the bgp session on r1 been up?")
    assert said not in answer.text, answer.text
    assert "left out" in answer.text and "12 months" in answer.text.split("left out", 1)[1], answer.text
    assert said in answer.to_dict()["check"]["sentences"][0]["text"]  # --json keeps it, with its check


def test_a_true_value_in_other_words_is_kept(scripted, make_assistant, fake_transport):
    import json

    doc = json.loads(fake_transport.outputs["r1"]["show_bgp_summary_json"])
    scripted.push(say("r1 is in AS " + str(doc["ipv4Unicast"]["as"]) + "."))
    answer = make_assistant().ask("how long has the bgp session on r1 been up?")
    assert "left out" not in answer.text, answer.text
