"""A question about a device (or name) the inventory does not hold is answered with one line, and
`netops ask` exits 4 (not found), as `netops state r9 facts` and `netops show r9 ...` do: a script
asking "is r9 up?" must not read exit 0 as "r9 answered" (it exited 0, offline and with a model;
the user trial of 2026-12-03). A question about known devices still exits 0, and a list with one
unknown name beside known ones is answered for the known ones, exit 0 with the unknown one named."""

from __future__ import annotations

import pytest

from netops.testing.ollama_server import say

UNKNOWN = ["is r9 up?", "is pod1 healthy?", "show bgp neighbors on r9"]


@pytest.mark.parametrize("question", UNKNOWN)
def test_offline_an_unknown_name_exits_not_found(make_assistant, question):
    answer = make_assistant().ask(question, offline=True)
    assert answer.not_found and answer.exit_code == 4, (answer.text, answer.exit_code)
    assert not answer.error and not answer.tool_calls
    assert answer.to_dict()["not_found"] is True


@pytest.mark.parametrize("question", UNKNOWN)
def test_with_a_model_an_unknown_name_exits_not_found(scripted, make_assistant, question):
    scripted.push(say("r9 is up."))
    answer = make_assistant().ask(question)
    assert answer.not_found and answer.exit_code == 4, (answer.text, answer.exit_code)
    assert not scripted.requests


@pytest.mark.parametrize("question", ["bgp neighbours on r1", "what is broken on r2, r7?"])
def test_known_devices_and_partly_known_lists_exit_zero(make_assistant, question):
    answer = make_assistant().ask(question, offline=True)
    assert not answer.not_found and answer.exit_code == 0, (answer.text, answer.exit_code)

