"""An answer's evidence: one selectable line per citation (Enter or a click opens the viewer)."""

from __future__ import annotations

from typing import Any

from rich.markup import escape
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static


class CitationLink(Static, can_focus=True):
    """One citation; selecting it posts :class:`CitationLink.Selected`."""

    DEFAULT_CSS = """
    CitationLink { padding: 0 1; color: $text-accent; height: auto; }
    CitationLink:hover { background: $boost; text-style: underline; }
    CitationLink:focus { background: $accent 30%; text-style: bold; }
    """
    BINDINGS = [Binding("enter,space", "open", "Open evidence", show=False)]

    class Selected(Message):
        def __init__(self, link: "CitationLink") -> None:
            super().__init__()
            self.link = link

        @property
        def evidence(self) -> Any:
            return self.link.evidence

    def __init__(self, number: int, evidence: Any, answer: Any = None) -> None:
        from netops.agent.evidence import kind_name

        icon = kind_name(getattr(evidence, "kind", "spec"))  # "device", "spec", "netops audit log"
        super().__init__(f"[{number}] {escape(evidence.label)}  [dim]({icon})[/dim]")
        self.number = number
        self.evidence = evidence
        self.answer = answer

    def action_open(self) -> None:
        self.post_message(self.Selected(self))

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.action_open()


class CitationList(Vertical):
    """``evidence:`` and the numbered citations, or a plain statement that there are none."""

    DEFAULT_CSS = """
    CitationList { height: auto; margin: 0 0 0 1; }
    CitationList > .citations-head { color: $text-muted; padding: 0 1; }
    CitationList.-none > .citations-head { color: $warning; }
    """

    def __init__(self, evidence: list[Any], answer: Any = None) -> None:
        # -none (a warning's colour) only when nothing backs it: a change's record does
        backed = evidence or getattr(answer, "approvals", None) or getattr(answer, "change", None) is not None
        super().__init__(classes="" if backed else "-none")
        self.evidence = list(evidence)
        self.answer = answer

    def compose(self) -> ComposeResult:
        if not self.evidence:
            approvals = list(getattr(self.answer, "approvals", None) or [])
            if approvals:  # the run's own record is the account, not a passage to cite
                # post-checks verified it only when the change stayed (not rolled back or stopped)
                ran = any(a.decision == "approved" and getattr(a, "verified", None) is not False for a in approvals)
                yield Static("no cited sources: the outcome above is netops's own record of the change"
                             + (" (its post-checks are the verification)" if ran else ""), classes="citations-head")
                return
            if getattr(self.answer, "change", None) is not None:  # a plan or a question back, nothing run
                yield Static("no cited sources: the text above is netops's own reading of your request against "
                             "its vetted playbooks; nothing was changed", classes="citations-head")
                return
            yield Static("no evidence: this answer cites nothing; treat it as unverified", classes="citations-head")
            return
        from netops.agent.numbering import numbered

        yield Static(f"evidence ({len(self.evidence)}):", classes="citations-head")
        # the numbers the answer's text and its tool cards use (the library's), not list places
        for n, ev in numbered(self.evidence, getattr(self.answer, "numbers", None)):
            yield CitationLink(n, ev, self.answer)
