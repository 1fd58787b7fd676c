"""One number per source in the chat: the answer's [n], the tool card's evidence line and the
evidence list under the answer. The card showed the turn's number (what the model read), the
text and the list the source's place in the list, so a passage the model found itself was [2]
on its card and [1] in the answer. The real chat headless, the scripted model, RFC 4271."""

from __future__ import annotations

import re

import pytest

from netops.testing.ollama_server import say, tool_call
from tests.tui.conftest import SIZE, finished, type_and_send, wait_until
from tests.unit.agent.conftest import (  # noqa: F401 - fixtures
    agent_settings, devices, fake_transport, kb, make_session, rfc4271_index, scripted,
)
from tests.unit.agent.test_assistant_grounded import README_Q
from tests.unit.agent.test_turn_numbering import HOLD_RULE, cites, shown

pytestmark = pytest.mark.asyncio


async def test_a_cited_passage_has_one_number_on_its_card_in_the_text_and_in_the_list(scripted, make_session,
                                                                                    agent_settings):
    from netops.tui.app import ChatApp
    from netops.tui.widgets.citations import CitationLink
    from netops.tui.widgets.toolcard import ToolCard

    scripted.push(tool_call("kb_search", query="hold time"),
                  cites(HOLD_RULE, "The Hold Time MUST be either zero or at least three seconds [{n}].", 1))
    app = ChatApp(agent_settings, session=make_session(agent_settings))
    async with app.run_test(size=SIZE) as pilot:
        await type_and_send(pilot, README_Q)
        (view,) = await wait_until(pilot, lambda: finished(app), timeout=60, what="the answer")
        await wait_until(pilot, lambda: list(view.query(CitationLink)), timeout=10, what="the evidence list")
        n = shown(scripted.requests[1].tool_results()[0])[HOLD_RULE]   # what the model read
        (card,) = [c for c in view.query(ToolCard) if c.tool == "kb_search"]
        body = str(card._body.render())
        # the card: in its evidence line and over the passage (as its heading, the model's wrapping gone)
        assert f"[{n}] {HOLD_RULE}" in body.splitlines()[1], body
        assert f"\n[{n}] {HOLD_RULE}\n" in body and "<data" not in body, body
        assert [int(m) for m in re.findall(r"\[(\d+)\]", view.answer.text)] == [n], view.answer.text  # the text
        links = {link.evidence.label: link.number for link in view.query(CitationLink)}
        assert links[HOLD_RULE] == n, links                                  # the evidence list
        assert len(set(links.values())) == len(links)


async def test_the_card_of_a_read_made_before_the_model_spoke_shows_its_number(scripted, make_session,
                                                                               agent_settings):
    """r1's BGP state is read first and given to the model as [1]: its card said no number."""
    from netops.tui.app import ChatApp
    from netops.tui.widgets.citations import CitationLink
    from netops.tui.widgets.toolcard import ToolCard

    scripted.push(say("r1 peers with 198.51.100.2 [1]."))
    app = ChatApp(agent_settings, session=make_session(agent_settings))
    async with app.run_test(size=SIZE) as pilot:
        await type_and_send(pilot, "bgp neighbours on r1")
        (view,) = await wait_until(pilot, lambda: finished(app), timeout=60, what="the answer")
        label = view.answer.grounding.sources[0].label
        (card,) = [c for c in view.query(ToolCard) if c.tool == "get_state"]
        assert f"[1] {label}" in str(card._body.render())
        links = {link.evidence.label: link.number for link in view.query(CitationLink)}
        assert links[label] == 1 and "[1]" in view.answer.text
