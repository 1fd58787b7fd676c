"""Stored conversations: list, full-text search, resume (Enter) and delete (Delete)."""

from __future__ import annotations

from time import monotonic
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Static

from rich.text import Text

from netops.store.history import MATCH_CLOSE, MATCH_OPEN
from netops.tui.widgets.footer import KeyFooter


def _match_text(match: str | None) -> Text:
    """The matching message's excerpt, its matched words in bold (a message's own brackets stay
    text: nothing here is markup)."""
    out = Text()
    for chunk in (match or "").split(MATCH_OPEN):
        word, sep, rest = chunk.partition(MATCH_CLOSE)
        if sep:
            out.append(word, style="bold reverse")
            out.append(rest)
        else:
            out.append(chunk)
    return out


class ConversationsScreen(ModalScreen[str | None]):
    """Dismisses with the id of the conversation to resume, or None."""

    DEFAULT_CSS = """
    ConversationsScreen { align: center middle; }
    ConversationsScreen > Vertical {
        width: 90%; max-width: 130; height: 85%;
        border: thick $accent; background: $panel; padding: 0 1;
    }
    ConversationsScreen DataTable { height: 1fr; }
    ConversationsScreen .conv-keys { color: $text-muted; }
    """
    BINDINGS = [
        # Enter in the search box or on a row resumes; shown here, as the modal's own key
        Binding("enter", "resume", "Resume", id="conversations.resume", priority=True),
        Binding("escape", "close", "Close", id="conversations.close"),
        Binding("delete", "delete", "Delete", id="conversations.delete"),
        Binding("down", "to_list", "List", show=False),
    ]
    DELETE_AGAIN = 3.0
    """Seconds within which a second Delete on the same row deletes it (the first one asks)."""

    def __init__(self, session: Any) -> None:
        super().__init__()
        self.session = session
        self.rows: list[Any] = []
        self._armed: tuple[str, float] | None = None
        """The row a first Delete asked about, and when."""
        self._listed_for: str | None = None
        """The search the listed rows answer (None until the first list is in)."""
        self._resume_pending = False
        """Enter came before the list for the typed search was in: resume once it is."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("[b]Conversations[/b]")
            yield Input(placeholder="search (full text)...", id="conv-search")
            table: DataTable[str] = DataTable(id="conv-table", cursor_type="row", zebra_stripes=True)
            yield table
            yield Static("", id="conv-empty", classes="conv-keys")
            yield Static("[b]Enter[/b] resume   [b]Delete[/b] twice: delete   [b]Esc[/b] close", classes="conv-keys")
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("id", "updated", "title")
        self.refresh_list("")

    @on(Input.Changed, "#conv-search")
    def _search(self, event: Input.Changed) -> None:
        self.refresh_list(event.value)

    def action_resume(self) -> None:
        self._resume_from_search()

    @on(Input.Submitted, "#conv-search")
    def _resume_from_search(self) -> None:
        """Enter in the search box (where the focus starts) resumes the highlighted conversation,
        as the key line says; it only moved the focus to the table (Down still does that)."""
        if self._listed_for != self._query():  # the rows are still the previous search's
            self._resume_pending = True
            return
        cid = self._selected()
        if cid is not None:
            self.dismiss(cid)

    def _query(self) -> str:
        return self.query_one("#conv-search", Input).value.strip()

    @work(thread=True, exclusive=True, group="conversations", exit_on_error=False)
    def refresh_list(self, query: str) -> None:
        try:
            rows = self.session.conversations(limit=200, query=query.strip() or None)
        except Exception as exc:
            self.app.call_from_thread(self.notify, f"cannot list conversations: {exc}", severity="error")
            return
        self.app.call_from_thread(self._fill, rows, query.strip())

    def _fill(self, rows: list[Any], listed_for: str = "") -> None:
        if listed_for != self._query():
            return  # an older search's answer, overtaken by typing: the newer one is on its way
        self.rows = rows
        self._listed_for = listed_for
        table = self.query_one(DataTable)
        searched = any(c.match for c in rows)
        if searched != (len(table.columns) == 4):  # a search shows where each conversation matched
            table.clear(columns=True)
            table.add_columns("id", "updated", "title", *(("matched",) if searched else ()))
        else:
            table.clear()
        for c in rows:
            cells: list[Any] = [c.id, (c.updated_at or "")[:16].replace("T", " "), Text(c.title)]
            if searched:
                cells.append(_match_text(c.match))
            table.add_row(*cells, key=c.id)
        query = self.query_one("#conv-search", Input).value.strip()
        empty = "" if rows else (f"No conversation contains every word of {query!r}." if query else
                                 "No stored conversations yet: every question you ask starts one "
                                 "(slash commands are not stored).")
        self.query_one("#conv-empty", Static).update(Text(empty))  # the search as typed, never markup
        if self._resume_pending:
            self._resume_pending = False
            if (cid := self._selected()) is not None:
                self.dismiss(cid)

    def _selected(self) -> str | None:
        table = self.query_one(DataTable)
        if not self.rows or table.cursor_row is None or table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row].id

    @on(DataTable.RowSelected)
    def _resume(self, event: DataTable.RowSelected) -> None:
        self.dismiss(str(event.row_key.value))

    def action_to_list(self) -> None:
        """Down in the search box goes to the list (the list's own Down moves its cursor). At once, not
        after the keys already waiting (``Widget.focus`` is deferred): Down then Delete typed fast sent
        the Delete to the search box, where it deleted nothing and asked nothing (papercuts36: the flaky
        tests/tui/test_exit_line.py deletion under load)."""
        self.set_focus(self.query_one(DataTable))

    def action_delete(self) -> None:
        """Deleting cannot be undone: the first Delete says which conversation a second one
        deletes (a stray key, or Ctrl+D from the chat's quit habit, must not lose one)."""
        cid = self._selected()
        if cid is None:
            return
        now = monotonic()
        if self._armed is None or self._armed[0] != cid or now - self._armed[1] > self.DELETE_AGAIN:
            self._armed = (cid, now)
            title = next((c.title for c in self.rows if c.id == cid), "")
            self.notify(f"Delete again to delete conversation {cid} ({title[:40]}); it cannot be undone",
                        severity="warning", timeout=self.DELETE_AGAIN)
            return
        self._armed = None
        try:
            self.session.delete_conversation(cid)
        except Exception as exc:
            self.notify(f"cannot delete {cid}: {exc}", severity="error")
            return
        self.notify(f"deleted conversation {cid}")
        self.refresh_list(self.query_one("#conv-search", Input).value)

    def action_close(self) -> None:
        self.dismiss(None)
