"""The evidence viewer says what it shows. A getter's result (netops' parse of the device's
output, as JSON) was titled 'Device output' like the text a device printed (seen in a user
trial). The chat runs in tmux over recorded FRR output (the fake transport) and the scripted
model; the viewer is opened with the keyboard."""

from __future__ import annotations

import re
from pathlib import Path

from netops.testing.ollama_server import ScriptedOllama, say, tool_call
from tests.tui.terminal import TmuxChat, focused_citation as _focused, needs_tmux, small_kb

pytestmark = needs_tmux

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "devices" / "frr"

INVENTORY = """\
defaults: {username: netops, password_env: LAB_PW}
groups: {lab: {platform: frr}}
hosts:
  r1: {hostname: 127.0.1.1, groups: [lab]}
"""

# the real chat and session; only the devices' transport replays recorded output
_CHAT = f"""
from pathlib import Path
from netops.devices.service import DeviceService
from netops.session import Session
from netops.settings import load_settings
from netops.testing.transport import FakeTransport
from netops.tui.app import ChatApp

settings = load_settings()
devices = DeviceService(settings, transport_factory=FakeTransport.from_dir(Path({str(FIXTURES)!r})))
ChatApp(settings, session=Session(settings, actor=settings.user, surface="chat", devices=devices)).run()
"""


def _on(chat: TmuxChat, citation: str | None = None) -> bool:
    """The focus is on a citation (``citation`` in its label, or any other than the raw `show`),
    with no viewer open."""
    focused, text = _focused(chat)
    return "Esc close" not in text and bool(focused) and (
        citation in focused if citation else "show bgp summary, " not in focused)


def _title(pane: str) -> str:
    found = re.search(r"(\w[\w ()]*): r1: show ", pane)
    return found.group(1).strip() if found else ""


def test_the_viewer_names_a_parsed_result_and_device_output_apart(tmp_path):
    small_kb(tmp_path)
    (tmp_path / "inventory.yaml").write_text(INVENTORY)
    script = tmp_path / "chat.py"
    script.write_text(_CHAT)
    turns = [tool_call("get_state", hosts=["r1"], getter="ospf_neighbors"),
             tool_call("show", hosts=["r1"], command="show bgp summary"),
             say("r1 has OSPF neighbours and BGP peers [1].")]
    with ScriptedOllama(turns) as srv, \
            TmuxChat(tmp_path, size=(100, 30), program=(str(script),),
                     env={"NETOPS_OLLAMA_URL": srv.url, "NETOPS_INVENTORY": str(tmp_path / "inventory.yaml"),
                          "LAB_PW": "lab-secret"}) as chat:
        chat.started()
        chat.type("what neighbours does r1 have, OSPF and BGP?")
        chat.keys("Enter")
        # the question's BGP part is read first (evidence-first), then the model's two calls
        chat.wait(lambda p: re.search(r"evidence \(\d\):", p) and "show bgp summary, " in p
                  and "…" not in p.splitlines()[0], timeout=60, what="the cited answer, the turn over")
        chat.keys("BTab")  # back from the box: the last citation, the raw `show`
        chat.wait(lambda _: _on(chat, "show bgp summary, "), what="the last citation focused")
        chat.keys("Enter")
        pane = chat.wait(lambda p: "Esc close" in p and "looking it up" not in p and _title(p) != "Device evidence" and p,
                          what="the viewer, titled by its lookup")
        assert _title(pane) == "Device output", pane
        assert "Neighbor" in pane  # FRR's own text table
        chat.keys("Escape")
        chat.wait(lambda _: _on(chat, "show bgp summary, "), what="the viewer closed, the focus back on that citation")
        chat.keys("BTab")  # the one before it is a getter's
        chat.wait(lambda _: _on(chat), what="the citation before it focused")
        chat.keys("Enter")
        pane = chat.wait(lambda p: "Esc close" in p and "looking it up" not in p and _title(p) != "Device evidence" and p,
                          what="the viewer, titled by its lookup")
        assert _title(pane) == "Parsed result (JSON)", pane
        assert re.search(r"getter: (ospf|bgp)_neighbors", pane), pane
        # the parse as a person reads JSON: one key a line, not one line of the whole result
        assert re.search(r'^\s*\W*\s*"neighbors": \[', pane, re.M), pane
