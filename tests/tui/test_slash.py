"""Slash commands: completion, the palette, and commands that run through the agent's tools."""

from __future__ import annotations

import pytest

from tests.tui.conftest import SIZE, errors_said, finished, type_and_send, wait_until

pytestmark = pytest.mark.asyncio


async def test_completion_and_hints(chat_settings):
    from netops.tui.app import ChatApp
    from netops.tui.widgets.prompt import PromptInput

    app = ChatApp(chat_settings, offline=True)
    async with app.run_test(size=SIZE) as pilot:
        prompt = app.query_one(PromptInput)
        await pilot.press("/", "p", "l", "a")
        assert prompt.suggestion == "n"
        hints = app.query_one("#hints")
        assert hints.has_class("-show") and "/plan" in str(hints.render())
        await pilot.press("tab")
        assert prompt.text == "/plan "
        assert not hints.has_class("-show")


async def test_kb_command_shows_passages_with_citations(chat_settings):
    from netops.tui.app import ChatApp
    from netops.tui.widgets.citations import CitationLink
    from netops.tui.widgets.toolcard import ToolCard

    app = ChatApp(chat_settings, offline=True)
    async with app.run_test(size=SIZE) as pilot:
        await type_and_send(pilot, "/kb hold timer")
        view = (await wait_until(pilot, lambda: finished(app), what="the command result"))[0]
        (card,) = view.query(ToolCard)
        assert card.tool == "kb_search" and card.ok
        assert "three seconds" in view.text
        assert any("BGP hold timer" in link.evidence.label for link in view.query(CitationLink))


async def test_show_refuses_a_configuration_command(chat_settings, tmp_path):
    """The read-only policy applies to a person's /show exactly as to the model's tool call."""
    from netops.tui.app import ChatApp
    from netops.tui.widgets.toolcard import ToolCard

    app = ChatApp(chat_settings, offline=True)
    async with app.run_test(size=SIZE) as pilot:
        await type_and_send(pilot, "/show r1 configure terminal")
        view = (await wait_until(pilot, lambda: finished(app), what="the command result"))[0]
        (card,) = view.query(ToolCard)
        assert card.ok is False


async def test_local_commands(chat_settings):
    from netops.tui.app import ChatApp
    from netops.tui.screens.help import HelpScreen

    app = ChatApp(chat_settings)
    async with app.run_test(size=SIZE) as pilot:
        await type_and_send(pilot, "/offline")
        assert app.offline
        await type_and_send(pilot, "/model llama3.2")
        assert app.model == "llama3.2"
        # nothing listens at the test's model URL: the check /model makes says so at once
        await wait_until(pilot, lambda: app.offline, timeout=15, what="/model's check to find no model")
        await type_and_send(pilot, "/help")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")
        assert "/state <host[,host]> <getter> [prefix\\|peer]" in app.screen.markdown  # escaped in the table
        await pilot.press("escape")
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), what="help via F1")
        await pilot.press("escape")
        await type_and_send(pilot, "/nonsense")
        await pilot.pause()
        assert any("unknown command" in e for e in errors_said(app))


async def test_palette_offers_slash_commands(chat_settings):
    from netops.tui.app import ChatApp
    from netops.tui.widgets.prompt import PromptInput

    app = ChatApp(chat_settings, offline=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause(0.2)
        for ch in "/state":
            await pilot.press(ch)
        await pilot.pause(0.5)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.query_one(PromptInput).text == "/state ", what="prefilled /state")


async def test_keymap_and_theme_from_config(chat_settings):
    from netops.tui.app import ChatApp

    settings = chat_settings.model_copy(update={"chat": chat_settings.chat.model_copy(
        update={"keys": {"chat.side_panel": "f3"}, "theme": "nord"})})
    app = ChatApp(settings, offline=True)
    async with app.run_test(size=SIZE) as pilot:
        assert app.theme == "nord"
        await pilot.press("f3")
        await wait_until(pilot, lambda: app.query("SidePanel"), what="side panel on F3")
        panel = app.query_one("SidePanel")
        await wait_until(pilot, lambda: "documents" in str(panel.query_one("#side-index").render()),
                         what="index stats in the panel")


async def test_typing_on_a_citation_goes_to_the_prompt(chat_settings):
    from netops.tui.app import ChatApp
    from netops.tui.widgets.citations import CitationLink
    from netops.tui.widgets.prompt import PromptInput

    app = ChatApp(chat_settings, offline=True)
    async with app.run_test(size=SIZE) as pilot:
        await type_and_send(pilot, "BGP hold timer")
        await wait_until(pilot, lambda: finished(app), what="the answer")
        app.query(CitationLink).first().focus()
        await pilot.press("/", "n", "e", "w")
        prompt = app.query_one(PromptInput)
        assert app.focused is prompt and prompt.text == "/new"


async def test_a_command_and_its_result_are_kept_in_the_conversation(chat_settings, tmp_path):
    """A /kb result is stored like an answer: resuming the conversation shows it with its
    citations, and the export lists it as a command result."""
    from netops.session import Session
    from netops.tui.app import ChatApp
    from netops.tui.widgets.citations import CitationLink

    app = ChatApp(chat_settings, offline=True)
    async with app.run_test(size=SIZE) as pilot:
        await type_and_send(pilot, "/kb hold timer")
        await wait_until(pilot, lambda: finished(app), what="the command result")
        await wait_until(pilot, lambda: app.conversation_id, what="the command kept in a conversation")
        cid = app.conversation_id
        await type_and_send(pilot, "/kb keepalive")  # a second command goes to the same conversation
        await wait_until(pilot, lambda: len(finished(app)) == 2, what="the second result")
        await pilot.pause(0.3)
        assert app.conversation_id == cid

    with Session(chat_settings) as session:
        conv = session.conversation(cid)
        assert [(m.role, m.content[:20]) for m in conv.messages][0] == ("user", "/kb hold timer")
        assert [m.role for m in conv.messages] == ["user", "assistant", "user", "assistant"]
        assert "three seconds" in conv.messages[1].content
        assert conv.messages[1].meta["mode"] == "command"
        assert conv.messages[1].meta["tool_calls"][0]["tool"] == "kb_search"

    resumed = ChatApp(chat_settings, offline=True, conversation_id=cid)
    async with resumed.run_test(size=SIZE) as pilot:
        views = await wait_until(pilot, lambda: len(finished(resumed)) == 2 and finished(resumed), what="the resume")
        assert "three seconds" in views[0].text
        assert any("BGP hold timer" in link.evidence.label for link in views[0].query(CitationLink))
        out = tmp_path / "export.md"
        resumed.action_export(str(out))
        text = out.read_text()
        assert text.count("## Command result") == 2 and "/kb hold timer" in text and "three seconds" in text


async def test_save_takes_a_quoted_path_as_a_shell_would(chat_settings, tmp_path):
    """`/save "my notes.md"` wrote a file named with the quotes in it; a quoted or escaped path
    is unquoted as in a shell, and an unquoted one with spaces is still taken whole."""
    from netops.tui.app import ChatApp

    app = ChatApp(chat_settings, offline=True)
    async with app.run_test(size=(100, 30)) as pilot:
        for typed, name in ((f'/save "{tmp_path}/my notes.md"', "my notes.md"),
                            (f"/save '{tmp_path}/it''s.md'", "its.md"),
                            (f"/save {tmp_path}/two\\ words.md", "two words.md"),
                            (f"/export {tmp_path}/plain name.md", "plain name.md")):
            await type_and_send(pilot, typed)
            await wait_until(pilot, (tmp_path / name).exists, timeout=5, what=f"{name} from {typed!r}")
    assert not [p.name for p in tmp_path.iterdir() if "'" in p.name or '"' in p.name or "\\" in p.name]


async def test_new_and_quit_as_slash_commands(chat_settings):
    """/new and /quit did nothing (their actions are coroutines, called and never awaited):
    /new clears the conversation as Ctrl+N does, /quit leaves as Ctrl+Q does."""
    from netops.tui.app import ChatApp
    from netops.tui.widgets.message import UserMessage

    app = ChatApp(chat_settings, offline=True)
    async with app.run_test(size=SIZE) as pilot:
        await type_and_send(pilot, "BGP hold timer")
        await wait_until(pilot, lambda: finished(app), what="the answer")
        await type_and_send(pilot, "/new")
        await wait_until(pilot, lambda: not app.query(UserMessage), timeout=5, what="/new to clear the conversation")
        assert app.conversation_id is None and not app.entries
        await type_and_send(pilot, "/quit")
        await wait_until(pilot, lambda: not app.is_running, timeout=5, what="/quit to leave")


async def test_a_mistyped_getter_is_one_line_and_stays_in_the_box(chat_settings):
    """'/state r1 nosuchgetter' (seen in tmux) ran the tool and put 16 rows of the tool's JSON
    schema, written for a model, into the conversation. It is one line naming the getters, and
    the command goes back into the box to be fixed, as any mistyped slash command."""
    from netops.tui.app import ChatApp
    from netops.tui.widgets.answer import AnswerView
    from netops.tui.widgets.prompt import PromptInput

    app = ChatApp(chat_settings, offline=True)
    async with app.run_test(size=SIZE) as pilot:
        await type_and_send(pilot, "/state r1 nosuchgetter")
        said = await wait_until(pilot, lambda: errors_said(app), timeout=10, what="the error")
        await pilot.pause(0.5)
        assert not app.query(AnswerView), "the tool ran"
        assert len(said) == 1 and "unknown getter 'nosuchgetter'" in said[0], said
        assert "bgp_neighbors" in said[0] and "Expected" not in said[0] and "\n" not in said[0], said
        assert app.query_one(PromptInput).text == "/state r1 nosuchgetter"
        await pilot.press("ctrl+u")
        await type_and_send(pilot, "/state r1 OSPF")  # an alias in capitals is still a getter
        await wait_until(pilot, lambda: app.query(AnswerView), timeout=10, what="the command to run")


async def test_a_question_sent_while_answering_stays_in_the_box(chat_settings):
    """Enter while an answer is still coming (seen in tmux with a slow model): the chat said
    'still answering' and the typed question was gone (the box empties on Enter). It goes back
    into the box, to send once the answer is done or after Esc."""
    from netops.tui.app import ChatApp
    from netops.tui.widgets.prompt import PromptInput

    app = ChatApp(chat_settings, offline=True)
    async with app.run_test(size=SIZE) as pilot:
        app.busy = True  # an answer is streaming
        await type_and_send(pilot, "and on r2?")
        await wait_until(pilot, lambda: any("still answering" in str(n.message) for n in app._notifications),
                         timeout=10, what="the warning")
        assert app.query_one(PromptInput).text == "and on r2?"
        app.busy = False
        await pilot.press("enter")
        await wait_until(pilot, lambda: finished(app), timeout=60, what="the answer")
        assert app.query_one(PromptInput).text == ""


async def test_a_lone_slash_lists_every_command(chat_settings):
    """The welcome line says '/ lists commands'; in tmux '/' showed six (/copy to /kb) and
    nothing said there were more: /show, /state, /plan, /new, /quit were not in sight. With more
    matches than fit with their usage, every match is named (usage once a few are left)."""
    from netops.tui.app import ChatApp
    from netops.tui.commands import COMMANDS

    app = ChatApp(chat_settings, offline=True)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("/")
        hints = app.query_one("#hints")
        await wait_until(pilot, lambda: hints.has_class("-show"), what="the hints")
        shown = str(hints.render())
        missing = [c.name for c in COMMANDS if c.name not in shown]
        assert not missing, (missing, shown)
        await pilot.press("s", "t")
        assert "/state <host" in str(hints.render())  # few matches: with their usage
        assert "[vrf NAME]" in str(hints.render())  # the usage whole, not read as markup


async def test_plan_takes_the_parameters_as_its_error_hint_writes_them():
    """'/plan interface-description r1' fails with the playbook's hint 'pass --param
    interface=VALUE'; in tmux, doing just that was refused ("parameter '--param' is not
    name=value"). --param (and -p) before name=value are taken, as the CLI takes them."""
    from netops.tui.commands import tool_call_for

    tool, args = tool_call_for("/plan", ["interface-description", "r1", "--param", "interface=eth-r2",
                                         "-p", "description=uplink", "--param=cost=5"])
    assert tool == "playbook_plan"
    assert args["params"] == {"interface": "eth-r2", "description": "uplink", "cost": "5"}
    _, plain = tool_call_for("/plan", ["interface-description", "r1", "interface=eth-r2"])
    assert plain["params"] == {"interface": "eth-r2"}


async def test_a_question_that_starts_with_a_path_or_a_prefix_length_is_a_question(chat_settings):
    """Seen in tmux: '/etc/frr/frr.conf on r1: what is in it?' was refused as 'unknown command
    /etc/frr/frr.conf'. A slash command is '/' and a word; a path or '/32 ...' is a question. A
    mistyped command still says so."""
    from netops.tui.app import ChatApp
    from netops.tui.widgets.message import UserMessage

    app = ChatApp(chat_settings, offline=True)
    async with app.run_test(size=SIZE) as pilot:
        for question in ("/etc/frr/frr.conf on r1: what is in it?", "/32 routes on r1?"):
            await type_and_send(pilot, question)
            await wait_until(pilot, lambda: len(finished(app)) == len(list(app.query(UserMessage))) and
                             any(m.text == question for m in app.query(UserMessage)), timeout=20, what=question)
        assert not any("unknown command" in e for e in errors_said(app))
        await type_and_send(pilot, "/shwo r1 show version")
        await pilot.pause()
        assert any("unknown command /shwo" in e for e in errors_said(app))
    from netops.tui.commands import is_command

    assert is_command("/") and is_command("/show r1 x") and is_command("/bogus")
    assert not is_command("/etc/frr/frr.conf what?") and not is_command("/32 routes") and not is_command("")


async def test_a_plan_error_is_a_line_in_the_conversation_with_its_hint(chat_settings):
    """trial17: '/plan' errors were only a toast that went after ~5 s; an error the person must
    act on is one line in the conversation, with its hint, said once (no toast besides), and the
    command goes back into the box to be fixed."""
    from netops.tui.app import ChatApp
    from netops.tui.widgets.prompt import PromptInput

    app = ChatApp(chat_settings, offline=True)
    async with app.run_test(size=SIZE) as pilot:
        prompt = app.query_one(PromptInput)
        for text, says in (("/plan interface-description r1 uplink",
                            "parameter 'uplink' is not name=value (hint: /plan <playbook> <hosts> name=value"),
                           ("/plan interface-description", "usage: /plan <playbook> <host[,host]>")):
            await type_and_send(pilot, text)
            said = await wait_until(pilot, lambda: [e for e in errors_said(app) if says in e], timeout=10, what=says)
            assert len(said) == 1 and "\n" not in said[0], said
            assert prompt.text == text
            prompt.load_text("")
        await pilot.pause(0.3)
        assert not [n for n in app._notifications if n.severity == "error"], "said twice (a toast too)"
        assert len(errors_said(app)) == 2  # both still there, after the next command


async def test_kb_add_a_path_says_how_to_add_it_and_searches_nothing(chat_settings, tmp_path):
    """chat19 trial: '/kb add /tmp/runbook.md' searched the index for "add /tmp/runbook.md" and
    listed four unrelated passages as evidence; nothing said the document was not added, nor how
    to add it. /kb only searches: it says so, with the command that adds a document."""
    from netops.tui.app import ChatApp
    from netops.tui.widgets.answer import AnswerView
    from netops.tui.widgets.prompt import PromptInput

    doc = tmp_path / "runbook.md"
    doc.write_text("# Drain\n\nWait five minutes.\n")
    app = ChatApp(chat_settings, offline=True)
    async with app.run_test(size=SIZE) as pilot:
        await type_and_send(pilot, f"/kb add {doc}")
        said = await wait_until(pilot, lambda: errors_said(app), timeout=10, what="the error")
        await pilot.pause(0.3)
        assert not app.query(AnswerView), "it searched"
        assert len(said) == 1 and f"netops kb add {doc}" in said[0], said
        assert app.query_one(PromptInput).text == f"/kb add {doc}"
    from netops.tui.commands import tool_call_for

    assert tool_call_for("/kb", ["add-path", "attribute"]) == ("kb_search", {"query": "add-path attribute"})
    assert tool_call_for("/kb", ["add", "paths", "in", "BGP"]) == ("kb_search", {"query": "add paths in BGP"})


async def test_save_never_overwrites_a_file_it_did_not_write(chat_settings, tmp_path):
    """trial32: as root, `/save /etc/passwd` replaced the system's user list with the conversation
    and said "exported to /etc/passwd". A file that is there is left alone (the error says so); this
    chat's own last export may be saved again; a directory gets the conversation inside it."""
    from netops.tui.app import ChatApp

    precious = tmp_path / "passwd"
    precious.write_text("root:x:0:0:root:/root:/bin/bash\n")
    app = ChatApp(chat_settings, offline=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await type_and_send(pilot, "/kb hold timer")
        await wait_until(pilot, lambda: finished(app), what="the command result")
        await type_and_send(pilot, f"/save {precious}")
        await wait_until(pilot, lambda: any("already exists" in e for e in errors_said(app)), timeout=5,
                         what="the refusal")
        assert precious.read_text() == "root:x:0:0:root:/root:/bin/bash\n"
        mine = tmp_path / "notes.md"
        await type_and_send(pilot, f"/save {mine}")
        await wait_until(pilot, mine.exists, timeout=5, what="the first save")
        mine.write_text("stale")
        await type_and_send(pilot, f"/save {mine}")  # saved again: its own file
        await wait_until(pilot, lambda: mine.read_text() != "stale", timeout=5, what="the second save")
        assert "hold timer" in mine.read_text()
        folder = tmp_path / "exports-here"
        folder.mkdir()
        await type_and_send(pilot, f"/save {folder}")
        await wait_until(pilot, lambda: list(folder.glob("conversation-*.md")), timeout=5, what="the file in the folder")


@pytest.mark.parametrize("command", ["/save", "/export"])
async def test_save_into_a_missing_directory_says_so(chat_settings, tmp_path, command):
    """`/save notse/today/x.md` (a typo'd directory) made the whole tree and said "exported"; now
    one line says there is no such directory, and nothing is created. `/export` with no path still
    makes netops's own exports directory under NETOPS_HOME."""
    from netops.tui.app import ChatApp

    target = tmp_path / "notse" / "today" / "x.md"
    app = ChatApp(chat_settings, offline=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await type_and_send(pilot, "/kb hold timer")
        await wait_until(pilot, lambda: finished(app), what="the command result")
        await type_and_send(pilot, f"{command} {target}")
        said = await wait_until(pilot, lambda: [e for e in errors_said(app) if "not saved" in e], timeout=5,
                                what="the refusal")
        assert len(said) == 1 and "no directory" in said[0] and str(target.parent) in said[0], said
        assert "\n" not in said[0]
        assert not (tmp_path / "notse").exists()
        if command == "/export":
            await type_and_send(pilot, "/export")
            exports = chat_settings.paths.home / "exports"
            await wait_until(pilot, lambda: exports.is_dir() and list(exports.glob("conversation-*.md")), timeout=5,
                             what="the default export")
