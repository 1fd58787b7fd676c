"""Conversations: resume by id or --continue, list, search and delete; export to Markdown."""

from __future__ import annotations

import pytest

from tests.tui.conftest import SIZE, finished, type_and_send, wait_until

pytestmark = pytest.mark.asyncio


async def _one_exchange(settings, question: str) -> str:
    from netops.tui.app import ChatApp

    app = ChatApp(settings, offline=True)
    async with app.run_test(size=SIZE) as pilot:
        await type_and_send(pilot, question)
        await wait_until(pilot, lambda: finished(app), what="the answer")
        return app.conversation_id


async def test_resume_by_id_and_continue(chat_settings):
    from netops.tui.app import ChatApp
    from netops.tui.widgets.message import UserMessage

    first = await _one_exchange(chat_settings, "BGP hold timer")
    second = await _one_exchange(chat_settings, "OSPF dead interval")
    assert first and second and first != second

    app = ChatApp(chat_settings, offline=True, conversation_id=first)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: finished(app), what="the stored answer")
        assert [m.text for m in app.query(UserMessage)] == ["BGP hold timer"]
        assert any("BGP hold timer" in link.evidence.label for link in app.query("CitationLink"))
        await type_and_send(pilot, "OSPF dead interval")
        await wait_until(pilot, lambda: len(finished(app)) == 2, what="the follow-up")
        assert app.conversation_id == first, "the follow-up continues the resumed conversation"

    app = ChatApp(chat_settings, offline=True, continue_last=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: finished(app), what="the last conversation")
        assert app.conversation_id == first  # it was updated last


async def test_conversation_screen_search_resume_delete(chat_settings):
    from netops.session import Session
    from netops.tui.app import ChatApp
    from netops.tui.screens.conversations import ConversationsScreen

    keep = await _one_exchange(chat_settings, "BGP hold timer")
    drop = await _one_exchange(chat_settings, "OSPF dead interval, asked by a zebra")
    app = ChatApp(chat_settings, offline=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+r")
        screen = await wait_until(pilot, lambda: isinstance(app.screen, ConversationsScreen) and len(app.screen.rows) == 2
                                  and app.screen, what="both conversations listed")
        for ch in "zebra":
            await pilot.press(ch)
        await wait_until(pilot, lambda: [c.id for c in screen.rows] == [drop], what="full-text search")
        from textual.widgets import DataTable

        table = screen.query_one(DataTable)
        # the search says where it matched: the message, its word in bold
        assert [str(c.label) for c in table.columns.values()] == ["id", "updated", "title", "matched"]
        cell = table.get_row_at(0)[3]
        assert "zebra" in cell.plain and any(cell.plain[sp.start:sp.end] == "zebra" for sp in cell.spans), cell
        await pilot.press("down")  # from the search box to the table (Enter there resumes)
        await pilot.press("delete")
        await pilot.press("delete")  # the second press deletes (the first asks)
        await wait_until(pilot, lambda: screen.rows == [], what="deleted")
        await pilot.press("escape")
    with Session(chat_settings) as s:
        assert [c.id for c in s.conversations()] == [keep]


async def test_deleting_a_conversation_takes_a_second_press(chat_settings):
    """In the conversation list one Delete (or a Ctrl+D from the chat's 'quit' habit) deleted the
    highlighted conversation at once, for good. Now Ctrl+D deletes nothing, the first Delete
    says what a second one deletes, the second (on the same row, within seconds) deletes."""
    from netops.session import Session
    from netops.tui.app import ChatApp
    from netops.tui.screens.conversations import ConversationsScreen

    cid = await _one_exchange(chat_settings, "BGP hold timer")
    app = ChatApp(chat_settings, offline=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+r")
        screen = await wait_until(pilot, lambda: isinstance(app.screen, ConversationsScreen) and len(app.screen.rows) == 1
                                  and app.screen, what="the conversation listed")
        await pilot.press("down")  # from the search box to the list
        await pilot.press("ctrl+d")
        await pilot.pause(0.3)
        await pilot.press("delete")
        await pilot.pause(0.3)
        assert len(screen.rows) == 1
        assert any("Delete again" in str(n.message) and cid in str(n.message) for n in app._notifications)
        with Session(chat_settings) as s:
            assert [c.id for c in s.conversations()] == [cid], "deleted without asking"
        await pilot.press("delete")
        await wait_until(pilot, lambda: screen.rows == [], what="deleted on the second press")


async def test_export_markdown(chat_settings, tmp_path):
    from netops.tui.app import ChatApp

    app = ChatApp(chat_settings, offline=True)
    target = tmp_path / "out.md"
    async with app.run_test(size=SIZE) as pilot:
        await type_and_send(pilot, "BGP hold timer")
        await wait_until(pilot, lambda: finished(app), what="the answer")
        await type_and_send(pilot, "/kb dead interval")
        await wait_until(pilot, lambda: len(finished(app)) == 2, what="the command")
        await type_and_send(pilot, f"/export {target}")
        await wait_until(pilot, target.exists, what="the export file")
    text = target.read_text()
    assert text.startswith("# BGP hold timer")
    assert "## Question" in text and "## Answer — offline" in text
    assert "Evidence:" in text and "BGP hold timer" in text
    assert "`kb_search`" in text and "dead interval" in text
    assert app.conversation_id in text


async def test_ctrl_s_exports_under_the_home(chat_settings):
    from netops.tui.app import ChatApp

    app = ChatApp(chat_settings, offline=True)
    async with app.run_test(size=SIZE) as pilot:
        await type_and_send(pilot, "BGP hold timer")
        await wait_until(pilot, lambda: finished(app), what="the answer")
        await pilot.press("ctrl+s")
        target = chat_settings.paths.home / "exports" / f"conversation-{app.conversation_id}.md"
        await wait_until(pilot, target.exists, what="the export under NETOPS_HOME")
        assert "BGP hold timer" in target.read_text()


async def test_copy_last_answer_and_code_block(chat_settings):
    from netops.tui.app import ChatApp

    app = ChatApp(chat_settings, offline=True)
    async with app.run_test(size=SIZE) as pilot:
        await type_and_send(pilot, "BGP hold timer")
        view = (await wait_until(pilot, lambda: finished(app), what="the answer"))[0]
        await pilot.press("ctrl+o")
        assert app.clipboard == view.text
        from netops.tui.export import Entry

        app.entries.append(Entry("command", "r1:\n\n```json\n{\"a\": 1}\n```\n\n```\nsecond\n```\n"))
        await type_and_send(pilot, "/copy code 2")
        assert app.clipboard == "second\n"
        await type_and_send(pilot, "/copy code 3")
        assert app.clipboard == "second\n", "no third block: nothing copied"


async def test_up_recalls_the_questions_of_a_resumed_conversation(chat_settings):
    """Seen in tmux: after `netops chat --continue` the conversation was on screen but Up
    recalled nothing; a shell's history (and the box's, within one run) brings the last
    question back. The resumed conversation's questions are the box's history, oldest first,
    before anything typed in this run."""
    from netops.tui.app import ChatApp
    from netops.tui.widgets.prompt import PromptInput

    app = ChatApp(chat_settings, offline=True)
    async with app.run_test(size=SIZE) as pilot:
        for n, question in enumerate(("BGP hold timer", "OSPF dead interval"), 1):
            await type_and_send(pilot, question)
            await wait_until(pilot, lambda: len(finished(app)) == n, what=question)

    app = ChatApp(chat_settings, offline=True, continue_last=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: len(finished(app)) == 2, what="the resumed conversation")
        prompt = app.query_one(PromptInput)
        prompt.focus()
        await pilot.pause()
        await pilot.press("up")
        assert prompt.text == "OSPF dead interval", (prompt.sent, app.focused)
        await pilot.press("up")
        assert prompt.text == "BGP hold timer"
        await pilot.press("down", "down")
        assert prompt.text == ""


async def test_a_search_with_brackets_is_said_as_typed(chat_settings):
    """The 'no conversation contains' line went through markup: a search for '[/]' raised a
    MarkupError in the list's refresh (the line kept saying the earlier search), '[red]x' showed a
    red 'x'. Searches are the person's own text: said as typed."""
    from textual.widgets import Input, Static

    from netops.tui.app import ChatApp
    from netops.tui.screens.conversations import ConversationsScreen

    app = ChatApp(chat_settings, offline=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+r")
        screen = await wait_until(pilot, lambda: isinstance(app.screen, ConversationsScreen) and app.screen,
                                  what="the conversation list")
        for query in ("[red]zebra", "[/] zebra"):
            screen.query_one("#conv-search", Input).value = query
            await wait_until(pilot, lambda: query in str(screen.query_one("#conv-empty", Static).render()),
                             timeout=10, what=f"the empty line saying {query!r}")


async def test_resume_says_a_question_netops_stopped_before_answering(chat_settings, tmp_path):
    """tail33: a chat killed mid-answer left the question stored (it is kept when asked) and no
    answer: the resumed chat shows the question with 'netops stopped before answering' under it,
    and the export says so, where an answer would be."""
    from netops.store.history import UNANSWERED, History
    from netops.tui.app import ChatApp
    from netops.tui.widgets.message import Notice, UserMessage

    with History(chat_settings.paths.history_db) as history:  # as a killed netops leaves it
        cid = history.new_conversation("why is r2 not learning 203.0.113.0/24?")
        history.append(cid, "user", "why is r2 not learning 203.0.113.0/24?")
    app = ChatApp(chat_settings, offline=True, conversation_id=cid)
    target = tmp_path / "resumed.md"
    async with app.run_test(size=SIZE) as pilot:
        said = await wait_until(pilot, lambda: [n for n in app.query(Notice) if UNANSWERED in str(n.render())],
                                what="the unanswered notice")
        assert [m.text for m in app.query(UserMessage)] == ["why is r2 not learning 203.0.113.0/24?"]
        assert "-warning" in said[0].classes and not finished(app)
        app.action_export(str(target))
    text = target.read_text()
    assert "why is r2 not learning 203.0.113.0/24?\n\n**No answer: netops stopped before answering.**" in text


async def test_down_then_delete_typed_at_once_asks_about_the_highlighted_row(chat_settings):
    """Down (from the search box to the list) and Delete arriving together, as a fast typist or a loaded
    machine delivers them (papercuts36: the flaky deletion in tests/tui/test_exit_line.py): Down's focus
    move was deferred behind the keys already waiting, so the Delete went to the search box and did
    nothing. Both keys are queued before either is handled."""
    from textual import events

    from netops.tui.app import ChatApp
    from netops.tui.screens.conversations import ConversationsScreen

    cid = await _one_exchange(chat_settings, "BGP hold timer")
    app = ChatApp(chat_settings, offline=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+r")
        screen = await wait_until(pilot, lambda: isinstance(app.screen, ConversationsScreen) and len(app.screen.rows) == 1
                                  and app.screen, what="the conversation listed")
        app.post_message(events.Key("down", None))
        app.post_message(events.Key("delete", None))
        await wait_until(pilot, lambda: any("Delete again" in str(n.message) and cid in str(n.message)
                                            for n in app._notifications), what="the first Delete's question")
        assert len(screen.rows) == 1


async def test_continue_resumes_the_newest_chat_conversation_not_a_later_ask(chat_settings):
    """trial37: `netops chat --continue` resumed the newest conversation, a `netops ask` from another
    shell, not the night's chat. It resumes the newest chat conversation and says which, and how to
    pick another; `netops ask --continue` goes on with the ask's own."""
    from netops.assistant import Assistant
    from netops.session import Session
    from netops.tui.app import ChatApp
    from netops.tui.widgets.message import Notice, UserMessage

    chat = await _one_exchange(chat_settings, "BGP hold timer")
    with Session(chat_settings, surface="ask") as session:  # what `netops ask` does, in another shell
        Assistant(session).ask("OSPF dead interval", offline=True)
        asked = session.history.last_conversation()
        assert asked != chat
        assert session.history.last_conversation("ask") == asked and session.history.last_conversation("chat") == chat
        Assistant(session).ask("and the hello interval?", offline=True, continue_last=True)
        assert session.history.conversation(asked).message_count == 4  # ask --continue: the ask's own

    app = ChatApp(chat_settings, offline=True, continue_last=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: finished(app), what="the chat's conversation")
        assert app.conversation_id == chat
        assert [m.text for m in app.query(UserMessage)] == ["BGP hold timer"]
        said = [str(n.render()) for n in app.query(Notice)]
        assert any("--continue resumed the newest chat conversation" in s and "Ctrl+R lists the others" in s
                   and "netops chat --conversation ID" in s for s in said), said


async def test_continue_with_no_chat_conversation_says_so(chat_settings):
    from netops.assistant import Assistant
    from netops.session import Session
    from netops.tui.app import ChatApp
    from netops.tui.widgets.message import Notice, UserMessage

    with Session(chat_settings, surface="ask") as session:
        Assistant(session).ask("OSPF dead interval", offline=True)
    app = ChatApp(chat_settings, offline=True, continue_last=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: any("no earlier chat conversation" in str(n.render()) for n in app.query(Notice)),
                         what="the notice")
        assert app.conversation_id is None and not list(app.query(UserMessage))
