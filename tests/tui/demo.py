"""Fixed content for the snapshot tests and the README screenshot: a finished exchange with a
tool card and citations, a plan for the approval modal, a passage for the evidence viewer.
Built from the library's own types and rendered by the real widgets."""

from __future__ import annotations

from typing import Any

from netops.tui.app import ChatApp

CID = "3f9c2a1b7d4e"
QUESTION = "Is r1's BGP session to 198.51.100.2 up, and what hold time does RFC 4271 allow?"
ANSWER = """r1 has **one BGP neighbour**, and it is up:

| peer | AS | state | prefixes |
|---|---|---|---|
| 198.51.100.2 | 65002 | Established | 3 |

RFC 4271 says the hold time is either **zero** (no keepalives) or **at least three seconds** [2];
the lab runs `timers bgp 3 9`, so 9 s is within the rule.
"""


def evidence() -> list[Any]:
    from netops.agent.evidence import Evidence

    return [Evidence("device", "r1: show bgp summary json, 14:02:11", host="r1", command="show bgp summary json",
                     at="2026-12-01T14:02:11+00:00"),
            Evidence("spec", "RFC 4271 §4.2 (OPEN Message Format)")]


def tool_record() -> Any:
    from netops.agent.tools import ToolCallRecord

    return ToolCallRecord(tool="get_state", args={"hosts": ["r1"], "getter": "bgp_neighbors"}, ok=True,
                          elapsed=0.21, evidence=["r1: show bgp summary json, 14:02:11"],
                          summary="r1: 1 neighbour, Established")


def answer() -> Any:
    from netops.assistant import Answer

    return Answer(question=QUESTION, text=ANSWER, mode="agent", model="qwen2.5:7b-instruct", evidence=evidence(),
                  tool_calls=[tool_record()], conversation_id=CID)


def plan() -> tuple[Any, Any]:
    from netops.agent.reviewer import Verdict
    from netops.playbook.checks import CheckResult
    from netops.playbook.runner import HostPlan, Plan

    hp = HostPlan(host="r1", platform="frr",
                  commands=["router bgp 65001", " neighbor 198.51.100.2 shutdown"],
                  prechecks=[CheckResult("BGP is running (learn the local AS)", "r1", "show bgp summary json", True),
                             CheckResult("neighbor is configured and not already shut down", "r1",
                                         "show bgp neighbors 198.51.100.2 json", True)],
                  diff="--- running-config\n+++ predicted\n@@ -12,4 +12,5 @@\n router bgp 65001\n"
                       "  neighbor 198.51.100.2 remote-as 65002\n+ neighbor 198.51.100.2 shutdown\n"
                       "- neighbor 198.51.100.2 timers connect 1\n")
    p = Plan(playbook="bgp-neighbor-shutdown", version="1", hash="sha256:0", risk="medium", read_only=False,
             mode="config", description="Administratively shut down one BGP neighbor for maintenance.",
             params={"neighbor": "198.51.100.2"}, targets="r1", hosts=["r1"], host_plans={"r1": hp},
             reviewer="netops-core", created_at="2026-12-01T14:03:00+00:00")
    return p, Verdict("warn", ["r1 has no other BGP neighbour: traffic has no alternative path"], ["rules"])


class DemoChat(ChatApp):
    """The chat showing one finished exchange (no session is opened)."""

    def _load_conversation(self, cid: str | None) -> None:  # type: ignore[override]
        """Nothing stored to load: the exchange is mounted by on_mount."""

    def _probe_model(self) -> None:  # type: ignore[override]
        """The demo shows the agent's mode; no endpoint is asked."""

    async def on_mount(self) -> None:  # type: ignore[override]
        from netops.tui.widgets.answer import AnswerView
        from netops.tui.widgets.message import UserMessage

        self.conversation_id = CID
        view = AnswerView(head="")
        await self._append(UserMessage(QUESTION), view)
        view.set_mode("agent", "qwen2.5:7b-instruct")
        card = await view.tool_started("get_state", {"hosts": ["r1"], "getter": "bgp_neighbors"}, "c1")
        card.finish(tool_record())
        await view.finish(answer())
        self._status()
        self.conversation.scroll_home(animate=False)
