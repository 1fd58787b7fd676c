"""What an engineer at the chat trips over first: a silent wait while retrieval loads, a modal
that asks a yes/no question but ignores ``y``, a help table that mangles a command, a start-up
warning that names run ids but not which router may be changed, Home/End that do nothing on
an empty prompt, no way to save the conversation to a file of one's choosing."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.tui.conftest import errors_said, finished, type_and_send, wait_until

QUESTION = "what is the minimum BGP hold time"


def _slow_first_query(monkeypatch, seconds: float) -> list[str]:
    """The hash embedder's first query takes ``seconds`` (as MiniLM's first load does)."""
    import time

    from netops.testing.embedders import HashEmbedder

    calls: list[str] = []
    real = HashEmbedder.embed_query

    def embed_query(self, text):  # noqa: ANN001
        if not calls:
            time.sleep(seconds)
        calls.append(text)
        return real(self, text)

    monkeypatch.setattr(HashEmbedder, "embed_query", embed_query)
    return calls


@pytest.mark.asyncio
async def test_the_first_knowledge_question_says_retrieval_is_loading(chat_settings, monkeypatch):
    """Library: the first use of the knowledge base in a session is announced with a StepEvent
    (after the first-use indexing, before the answer); the second question has none."""
    from netops.agent.events import AnswerEvent, IndexProgressEvent, StepEvent
    from netops.session import Session

    settings = chat_settings.model_copy(update={"kb": chat_settings.kb.model_copy(update={"embedder": "auto"})})
    with Session(settings) as s:
        first = list(s.assistant().events(QUESTION, offline=True))
        second = list(s.assistant().events("what is the OSPF dead interval", offline=True))
    steps = [e for e in first if isinstance(e, StepEvent)]
    assert steps, [type(e).__name__ for e in first]
    assert steps[0].step == "retrieval" and "load" in steps[0].detail
    at = first.index(steps[0])
    assert all(not isinstance(e, IndexProgressEvent) for e in first[at:])
    assert isinstance(first[-1], AnswerEvent) and first[-1].answer.text
    assert not [e for e in second if isinstance(e, StepEvent)]


@pytest.mark.asyncio
async def test_the_chat_shows_the_retrieval_load_instead_of_a_stale_line(chat_settings, monkeypatch):
    """While the first search loads its model the status line says so (before: it kept
    'indexing ... done 2/2' from the step before, or said nothing)."""
    from netops.tui.app import ChatApp
    from netops.tui.widgets.statusbar import StatusBar

    settings = chat_settings.model_copy(update={"kb": chat_settings.kb.model_copy(update={"embedder": "auto"})})
    _slow_first_query(monkeypatch, 3.0)
    app = ChatApp(settings, offline=True)
    async with app.run_test(size=(110, 30)) as pilot:
        await type_and_send(pilot, QUESTION)
        bar = app.query_one(StatusBar)
        await wait_until(pilot, lambda: "loading" in bar.activity, timeout=30, what="a loading line")
        assert "done" not in bar.activity
        await wait_until(pilot, lambda: finished(app), timeout=60, what="the answer")


def test_ask_prints_the_retrieval_load(chat_settings, capsys, monkeypatch):
    from netops.cli.main import main

    monkeypatch.setenv("NETOPS_KB__EMBEDDER", "auto")
    code = main(["ask", "--offline", QUESTION])
    err = capsys.readouterr().err
    assert code == 0, err
    assert "loading the retrieval" in err, err


@pytest.mark.asyncio
async def test_y_approves_and_n_denies_after_the_typed_ahead_guard(settings, monkeypatch):
    """The modal asks 'Approve this change?': y answers it (as a) once the guard has passed;
    a y typed ahead does not; n and Escape deny."""
    from netops.tui.screens.approval import ApprovalScreen
    from tests.tui.demo import DemoChat, plan

    monkeypatch.setattr(ApprovalScreen, "APPROVE_AFTER", 2.5)
    app = DemoChat(settings)
    async with app.run_test(size=(110, 36)) as pilot:
        decided: list[bool] = []
        app.push_screen(ApprovalScreen(*plan()), decided.append)
        # Under load the modal can take more than one refresh to open; the key below must reach it.
        await _until(pilot, lambda: isinstance(app.screen, ApprovalScreen))
        modal = app.screen
        await pilot.press("y")  # typed ahead as the modal opened
        await pilot.pause()
        assert app.screen is modal and not decided
        await pilot.pause(ApprovalScreen.APPROVE_AFTER + 0.2)
        await pilot.press("y")
        await _until(pilot, lambda: decided)  # under load the dismissal can take more than one refresh
        assert decided == [True]
        app.push_screen(ApprovalScreen(*plan()), decided.append)
        await pilot.pause(ApprovalScreen.APPROVE_AFTER + 0.2)
        await pilot.press("n")
        await _until(pilot, lambda: len(decided) > 1)
        assert decided == [True, False]


async def _until(pilot, condition, timeout: float = 10.0) -> None:
    """Let the app run until ``condition()`` holds or ``timeout`` seconds pass."""
    import time

    end = time.monotonic() + timeout
    while not condition() and time.monotonic() < end:
        await pilot.pause(0.05)


@pytest.mark.asyncio
async def test_help_lists_every_command_whole_and_every_key(chat_settings):
    """Each command's row of the F1 table has its usage and its help (a '|' in a usage split
    the /state row and swallowed '<getter>'); the keys a person uses are all named."""
    from markdown_it import MarkdownIt

    from netops.tui.app import ChatApp
    from netops.tui.commands import COMMANDS

    app = ChatApp(chat_settings, offline=True)
    async with app.run_test(size=(110, 30)):
        text = app.help_markdown()
    tokens = MarkdownIt("gfm-like").parse(text)
    rows: list[list[str]] = []
    for tok in tokens:
        if tok.type == "tr_open":
            rows.append([])
        elif tok.type == "inline" and rows and tok.map is not None:
            pass
        if tok.type == "inline" and rows and tokens[tokens.index(tok) - 1].type in ("td_open", "th_open"):
            rows[-1].append("".join(c.content for c in (tok.children or [])))
    for cmd in COMMANDS:
        assert [cmd.usage, cmd.help] in rows, (cmd.usage, [r for r in rows if r and cmd.name in r[0]])
    lowered = text.lower()
    for key in ("ctrl+q", "ctrl+p", "pgup", "home", "end", "up/down", "ctrl+c", "esc", "f1"):
        assert key in lowered, key


def _unfinished_run(home) -> str:  # noqa: ANN001
    from netops.playbook.journal import Journal

    j = Journal.start(home, playbook="router-drain", hash="h", actor="tester", plan_seq=None)
    j.snapshot("r1", "frr", "hostname r1\n")
    j.stage("r1", "applying")
    j.snapshot("r2", "frr", "hostname r2\n")
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    j.data["pid"] = p.pid  # the owner is gone
    j._write()
    os.replace(j.path, j.path.with_name(f"{j.run_id}.{p.pid}.json"))
    return j.run_id


@pytest.mark.asyncio
async def test_startup_notice_names_each_hosts_state(chat_settings):
    """The chat's start puts back what a crashed run left, as every command does, and says per
    host in one line what it did or why it could not (here: no device answers)."""
    from netops.tui.app import ChatApp

    run_id = _unfinished_run(chat_settings.paths.home)
    app = ChatApp(lambda: chat_settings, offline=True)
    async with app.run_test(size=(110, 30)) as pilot:
        kept = await wait_until(pilot, lambda: [str(w.render()) for w in app.query(".startup-warning")],
                                timeout=20, what="the recovery lines")
        await wait_until(pilot, lambda: app._notifications, what="the toast (a posted message)")
        # the toast only points at them: the same line twice on one screen reads as two events
        toasts = [str(n.message) for n in app._notifications]
    assert toasts == ["a change interrupted earlier needs your attention: see the conversation"], toasts
    lines = kept[0].splitlines()
    assert len(lines) == 2, lines
    r1 = next(ln for ln in lines if "on r1" in ln)
    assert r1.startswith("warning: router-drain on r1 was interrupted while the change was being sent")
    assert "could NOT be rolled back" in r1 and "playbook recover" in r1
    assert any("router-drain on r2 was interrupted before the change was sent" in ln for ln in lines)
    assert len(kept) == 1 and all(run_id in ln for ln in lines), kept


@pytest.mark.asyncio
async def test_a_crash_while_the_chat_is_open_is_told_by_the_next_question_once(chat_settings, monkeypatch):
    """Another netops crashes after the chat started: the next question checks first (the
    library's Session.recover_unfinished) and its answer carries the lines; a host that still
    cannot be put back is tried again at each check but said once; the idle check (the timer's
    tick, called here) says nothing old and tells a newer crash at the conversation's end.
    Before, only the chat's start-up checked: nothing was said all day."""
    from netops.tui import app as app_module
    from netops.tui.app import ChatApp
    from netops.tui.widgets.message import Notice

    monkeypatch.setattr(app_module, "RECOVERY_POLL", 3600, raising=False)  # ticks: called below
    app = ChatApp(lambda: chat_settings, offline=True)
    async with app.run_test(size=(110, 30)) as pilot:
        await wait_until(pilot, lambda: app._settings_ready.is_set() and app.query("#prompt"), what="start-up")
        await pilot.pause(0.3)
        assert not app.query(".startup-warning")
        run_id = _unfinished_run(chat_settings.paths.home)
        await type_and_send(pilot, "bgp neighbours on r1")
        await wait_until(pilot, lambda: finished(app), timeout=60, what="the answer")
        said = [n for n in app.query(Notice) if run_id in n.text]
        assert {n.level for n in said} == {"warning"} and len(said) == 2, [n.text for n in said]
        assert all(n.parent is finished(app)[0] for n in said)
        assert any("on r1" in n.text and "could NOT be rolled back" in n.text for n in said)
        await type_and_send(pilot, "bgp neighbours on r2")
        await wait_until(pilot, lambda: len(finished(app)) == 2, timeout=60, what="the second answer")
        for _ in range(2):
            app._poll_recovery()
            await app.workers.wait_for_complete()
        again = [n for n in app.query(Notice) if run_id in n.text]
        assert len(again) == 2 and not app.query(".startup-warning"), [n.text for n in again]
        later = _unfinished_run(chat_settings.paths.home)
        app._poll_recovery()
        told = await wait_until(pilot, lambda: app.query(".startup-warning"), what="the idle check's lines")
        text = str(told.last().render())
        assert later in text and run_id not in text, text


@pytest.mark.asyncio
async def test_home_and_end_on_an_empty_prompt_scroll_the_conversation(settings):
    from netops.tui.widgets.prompt import PromptInput
    from tests.tui.demo import DemoChat

    app = DemoChat(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.conversation
        prompt = app.query_one(PromptInput)
        prompt.focus()
        await pilot.pause()
        view.scroll_end(animate=False)
        await pilot.pause()
        assert view.scroll_y > 0, "the conversation fits: nothing to scroll"
        await pilot.press("home")
        await pilot.pause()
        assert view.scroll_y == 0
        await pilot.press("end")
        await pilot.pause()
        assert view.scroll_y == view.max_scroll_y
        prompt.insert("half a question")  # with text, Home/End move the cursor as always
        await pilot.press("home")
        await pilot.pause()
        assert view.scroll_y == view.max_scroll_y and prompt.cursor_location == (0, 0)


@pytest.mark.asyncio
async def test_a_narrow_terminal_still_shows_what_runs(chat_settings):
    """At 60 columns the status line's activity ('answering… (Esc cancels)') came after the
    conversation id and was cut off: nothing on screen said an answer was running."""
    from netops.tui.app import ChatApp
    from netops.tui.widgets.statusbar import StatusBar

    app = ChatApp(chat_settings, offline=True)
    async with app.run_test(size=(60, 20)) as pilot:
        app.conversation_id = "0123456789ab"
        app._status("answering… (Esc cancels)")
        await pilot.pause()
        line = app.query_one(StatusBar).render_line(0).text
    assert "answering" in line, line


@pytest.mark.asyncio
async def test_a_tiny_terminal_still_shows_what_runs_on_one_line():
    """At 40 columns the status line wrapped after 'netops chat · agent ·' and its one row showed
    nothing else: not the model, not 'answering… (Esc cancels)', not 'waiting for your approval'.
    What runs is kept (the title and the conversation go first), on one row."""
    from textual.app import App

    from netops.tui.widgets.statusbar import StatusBar

    class Host(App[None]):
        def compose(self):  # type: ignore[no-untyped-def]
            yield StatusBar()

    app = Host()
    async with app.run_test(size=(40, 12)) as pilot:
        bar = app.query_one(StatusBar)
        bar.set(mode="agent", model="qwen2.5:7b-instruct", conversation="0123456789ab")
        for activity in ("answering… (Esc cancels)", "waiting for your approval"):
            bar.set(activity=activity)
            await pilot.pause()
            line = bar.render_line(0).text
            assert activity in line, line
        bar.set(activity="")
        await pilot.pause()
        assert "qwen2.5:7b-instruct" in bar.render_line(0).text, bar.render_line(0).text
        await pilot.resize_terminal(120, 30)
        await pilot.pause()
        wide = bar.render_line(0).text
        assert "netops chat" in wide and "conversation 0123456789ab" in wide, wide


def test_the_answer_check_is_announced(chat_settings):
    """After the model has streamed, the answer is checked sentence by sentence against the
    sources (seconds for a long answer, nothing arriving): a StepEvent says so."""
    from netops.agent.events import AnswerEvent, StepEvent, TokenEvent
    from netops.session import Session
    from netops.testing.ollama_server import ScriptedOllama, say

    with ScriptedOllama([say("The hold time is either zero or at least three seconds [1].")]) as srv:
        settings = chat_settings.model_copy(update={"ollama_url": srv.url, "model_review": False})
        with Session(settings) as s:
            events = list(s.assistant().events("what is the minimum BGP hold time"))
    answer = events[-1].answer
    assert isinstance(events[-1], AnswerEvent) and answer.check is not None, answer.text
    checks = [e for e in events if isinstance(e, StepEvent) and e.step == "check"]
    assert len(checks) == 1 and "check" in checks[0].detail
    at = events.index(checks[0])
    assert not [e for e in events[at:] if isinstance(e, TokenEvent)]


@pytest.mark.asyncio
async def test_save_writes_the_conversation_to_the_file_named(chat_settings, tmp_path, monkeypatch):
    from netops.tui.app import ChatApp
    from netops.tui.widgets.prompt import PromptInput

    monkeypatch.chdir(tmp_path)
    app = ChatApp(chat_settings, offline=True)
    async with app.run_test(size=(110, 30)) as pilot:
        await type_and_send(pilot, QUESTION)
        await wait_until(pilot, lambda: finished(app), timeout=60, what="the answer")
        (tmp_path / "notes").mkdir()  # a directory that exists: /save creates none (polish33)
        await type_and_send(pilot, "/save notes/bgp.md")
        target = tmp_path / "notes" / "bgp.md"
        await wait_until(pilot, target.exists, timeout=10, what="the saved file")
        text = target.read_text()
        assert QUESTION in text and "## Answer" in text and "three seconds" in text
        await type_and_send(pilot, "/save")
        await wait_until(pilot, lambda: any("/save <file>" in e for e in errors_said(app)),
                         timeout=10, what="the usage line")
        assert app.query_one(PromptInput).text.strip() == "/save"
        app.query_one(PromptInput).clear()
        await type_and_send(pilot, "/copy")  # OSC 52 is silent where it is ignored: the notice says what else there is
        await wait_until(pilot, lambda: [n for n in app._notifications if "copied" in str(n.message)
                                         and "/save" in str(n.message)], timeout=10, what="the copy notice")


def test_esc_during_the_answer_check_keeps_the_whole_answer(chat_settings, monkeypatch):
    """The model had finished; Esc came while the answer was being checked. Before, the answer
    was labelled 'PARTIAL ANSWER (cancelled)' although every word of it had arrived."""
    import time

    from netops.agent import answer_check
    from netops.agent.events import AnswerEvent, StepEvent
    from netops.cancel import CancelToken
    from netops.session import Session
    from netops.testing.ollama_server import ScriptedOllama, say

    real = answer_check.check_answer

    def slow_check(*args, **kwargs):  # noqa: ANN002, ANN003
        time.sleep(4)  # a long answer on a loaded machine
        return real(*args, **kwargs)

    monkeypatch.setattr(answer_check, "check_answer", slow_check)
    text = "The hold time is either zero or at least three seconds [1]. That is all it says."
    token = CancelToken()
    with ScriptedOllama([say(text)]) as srv:
        settings = chat_settings.model_copy(update={"ollama_url": srv.url, "model_review": False})
        with Session(settings) as s:
            for ev in s.assistant().events(QUESTION, cancel=token):
                if isinstance(ev, StepEvent) and ev.step == "check":
                    token.cancel("cancelled with Escape")
                if isinstance(ev, AnswerEvent):
                    answer = ev.answer
    assert answer.cancelled and not answer.partial, answer.text
    assert "PARTIAL" not in answer.text and "at least three seconds" in answer.text and "That is all" in answer.text
    assert "not checked" in answer.text.lower()


@pytest.mark.asyncio
async def test_the_loading_line_goes_when_the_answer_streams(chat_settings, monkeypatch):
    """Seen in tmux: 'loading the retrieval model (first question)…' stayed in the status line
    while the model's answer streamed below it."""
    from netops.testing.ollama_server import Reply, ScriptedOllama
    from netops.tui.app import ChatApp
    from netops.tui.widgets.answer import AnswerView
    from netops.tui.widgets.statusbar import StatusBar

    settings = chat_settings.model_copy(update={"kb": chat_settings.kb.model_copy(update={"embedder": "auto"})})
    _slow_first_query(monkeypatch, 1.0)
    text = " ".join(f"Point {i}: the hold time is either zero or at least three seconds [1]." for i in range(1, 21))
    with ScriptedOllama([Reply(content=text, piece_chars=10, piece_delay=0.05)]) as srv:
        app = ChatApp(settings.model_copy(update={"ollama_url": srv.url, "model_review": False}))
        async with app.run_test(size=(110, 30)) as pilot:
            await type_and_send(pilot, QUESTION)
            bar = app.query_one(StatusBar)
            await wait_until(pilot, lambda: "loading" in bar.activity, timeout=30, what="the loading line")
            view = await wait_until(pilot, lambda: [v for v in app.query(AnswerView) if "Point 3:" in "".join(v._streamed)],
                                    timeout=60, what="the streamed answer")
            assert view[0].answer is None, "the answer finished before the test could look"
            assert "loading" not in bar.activity and "answering" in bar.activity, bar.activity
            await wait_until(pilot, lambda: finished(app), timeout=60, what="the answer")
