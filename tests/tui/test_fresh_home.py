"""A first chat on a fresh NETOPS_HOME, as an engineer tries it before any lab or inventory
exists: no model is reachable and there are no devices (real terminal, tmux)."""

from __future__ import annotations

import re

from tests.tui.terminal import TmuxChat, needs_tmux

pytestmark = needs_tmux


def _flat(pane: str) -> str:
    """The screen's text with its line wrapping undone (words joined by one space)."""
    return re.sub(r"\s+", " ", pane)


def _answered(chat: TmuxChat, question: str) -> str:
    chat.type(question)
    chat.keys("Enter")
    asked = f"you {question}"  # the question in the conversation, not in the box

    def done(pane: str) -> str | None:
        tail = _flat(pane).split(asked)[-1] if asked in _flat(pane) else ""
        # the evidence list is the answer's last part ("evidence (n):" or "... cites nothing")
        return tail if "cites nothing" in tail or "evidence (" in tail else None

    return chat.wait(done, timeout=60, what=f"the answer to {question!r}")


def test_a_device_question_with_no_inventory_names_the_missing_inventory(tmp_path):
    """'what is the state of bgp on r9?' and 'drain r3 for maintenance' on a fresh home (no
    inventory at all): the first was answered with three RFC passages about OSPF routing tables
    and multicast addresses, the second with 'no known intent matched ... needs a language model'
    (seen by hand in tmux). Each now says the device is not in the inventory and where the
    inventory was looked for, and asks for no model."""
    with TmuxChat(tmp_path, size=(160, 40)) as chat:
        chat.started()
        chat.wait(lambda p: "no model reachable" in p or "offline" in p, timeout=30, what="the offline notice")
        inventory = str(tmp_path / "netops-home" / "inventory.yaml")
        for question, device in (("what is the state of bgp on r9?", "r9"), ("drain r3 for maintenance", "r3")):
            tail = _answered(chat, question)
            assert f"no device named '{device}'" in tail, tail
            assert f"no device inventory at {inventory}" in tail and "netops lab up" in tail, tail
            assert "RFC" not in tail and "language model and none is reachable" not in tail, tail
        chat.keys("C-q")
        assert chat.exit_code() == 0


def test_with_a_model_an_unknown_device_with_no_inventory_names_the_missing_inventory(tmp_path):
    """The same with a model reachable: the answer said only "No device named 'r9': netops knows
    no devices" (seen by hand with SmolLM2), not where the inventory was looked for."""
    from netops.testing.ollama_server import ScriptedOllama

    with ScriptedOllama() as srv, TmuxChat(tmp_path, size=(160, 40), env={"NETOPS_OLLAMA_URL": srv.url}) as chat:
        chat.started()
        tail = _answered(chat, "what is the state of bgp on r9?")
        assert "No device named 'r9'" in tail, tail
        inventory = str(tmp_path / "netops-home" / "inventory.yaml")
        assert f"no device inventory at {inventory}" in tail and "netops lab up" in tail, tail
        assert not srv.requests, "the model was asked"
