"""Keys a network engineer uses in a real terminal (tmux), with the scripted model streaming."""

from __future__ import annotations

from netops.testing.ollama_server import ScriptedOllama, say
from tests.tui.terminal import TmuxChat, focus_citation, needs_tmux, numbers, small_kb

pytestmark = needs_tmux

LONG = "\n\n".join(f"Paragraph {n} says the hold timer is kept per session." for n in range(1, 400)) + "\n\nTHE END."


def _newest(pane: str) -> int:
    return max(numbers(r"Paragraph (\d+)", pane), default=0)


def test_page_down_to_the_end_follows_the_streaming_answer_again(tmp_path):
    """While an answer streams, PageDown at its end (one press too many, or back from a PageUp)
    keeps following it, as Ctrl+End does. Before, any PageDown that found the view already at
    the end stopped the following for good: the screen stood still until the answer ended
    (seen by hand in tmux)."""
    small_kb(tmp_path)
    with ScriptedOllama([say(LONG, piece_chars=24, piece_delay=0.04)]) as srv, \
            TmuxChat(tmp_path, env={"NETOPS_OLLAMA_URL": srv.url}) as chat:
        chat.started()
        chat.type("what is the minimum BGP hold time?")
        chat.keys("Enter")
        chat.wait(lambda p: _newest(p) >= 30, timeout=60, what="the answer to stream past one screen")
        for keys in (["PageDown"], ["PageUp", "PageDown", "PageDown", "PageDown"]):
            chat.keys(*keys)
            seen = _newest(chat.pane())
            chat.wait(lambda p: "THE END." in p or _newest(p) >= seen + 20, timeout=15,
                      what=f"newer paragraphs after {keys}")
            assert "THE END." not in chat.pane(), f"after {keys} the view stood still until the answer ended"
        chat.keys("Escape")


def test_readline_keys_edit_the_question(tmp_path):
    """The editing keys of a shell line work in the box as a terminal sends them: Alt+D kills
    the next word (it typed a 'd' before), Ctrl+B / Ctrl+F move by a character (they did
    nothing), Ctrl+Y puts back what Ctrl+K / Ctrl+U / Ctrl+W took out (consecutive kills add
    up, as in readline). Keys sent together act in
    their order (Ctrl+A then X typed the X before the cursor moved)."""
    with TmuxChat(tmp_path, args=("--offline",)) as chat:
        chat.started()

        def box(expected: str, what: str) -> None:
            chat.wait(lambda p: any(line.strip() == expected for line in p.splitlines()), timeout=5, what=what)

        chat.keys("abc", "C-a", "X", "C-e", "Y")  # together, as a fast driver or a paste of keys sends them
        box("XabcY", "keys sent together to act in their order")
        chat.keys("C-u")
        chat.type("alpha beta gamma")
        box("alpha beta gamma", "the typed text")
        chat.keys("C-a", "M-d")
        box("beta gamma", "Alt+D to kill 'alpha'")
        chat.keys("C-e", "C-b", "C-b")
        chat.type("X")
        box("beta gamXma", "Ctrl+B twice, then X")
        chat.keys("C-f")
        chat.type("Y")
        box("beta gamXmYa", "Ctrl+F, then Y")
        chat.keys("C-e")
        chat.type("Q")
        box("beta gamXmYaQ", "Ctrl+E then Q")
        chat.keys("C-w", "C-w", "C-w")  # 'gamXmYaQ', 'beta ' and the space Alt+D left
        chat.wait(lambda p: "Ask about specs or devices" in p, timeout=5, what="Ctrl+W to empty the box")
        chat.keys("C-y")
        box("beta gamXmYaQ", "Ctrl+Y to put all three kills back")
        chat.keys("C-a", "C-f", "C-k")  # Ctrl+A goes to the first letter (the space stays)
        box("b", "Ctrl+K to kill the rest")
        chat.keys("C-e", "C-u", "C-y")
        box("b", "Ctrl+Y to yank the last kill (Ctrl+U's 'b')")
        chat.keys("C-q")
        assert chat.exit_code() == 0


def test_ctrl_c_clears_the_box_then_twice_quits(tmp_path):
    """With nothing to stop, Ctrl+C drops the line being typed (as a shell does), and on an
    empty box a second Ctrl+C quits; the first one says so. Before, every Ctrl+C only said
    'Nothing to cancel. Ctrl+Q quits.'"""
    with TmuxChat(tmp_path, args=("--offline",)) as chat:
        chat.started()
        chat.type("half a question")
        chat.wait(lambda p: "half a question" in p, timeout=5, what="the typed text")
        chat.keys("C-c")
        chat.wait(lambda p: "half a question" not in p, timeout=5, what="Ctrl+C to clear the box")
        chat.keys("C-c")
        chat.wait(lambda p: "Ctrl+C again quits" in p, timeout=5, what="the first Ctrl+C on an empty box")
        assert chat.exit_code(timeout=0.5) is None, "one Ctrl+C on an empty box quit"
        chat.keys("C-c")
        assert chat.exit_code() == 0


def test_a_dumb_terminal_gets_one_line_instead_of_a_screen_of_escapes(tmp_path):
    """TERM=dumb (Emacs' shell, some consoles) cannot show a full-screen app: the chat said
    nothing and drew its screen in escape sequences anyway. It now ends with one line naming
    the way out (netops ask) and exit code 2, as with no terminal at all."""
    with TmuxChat(tmp_path, args=("--offline",), env={"TERM": "dumb"}, keep_open=True) as chat:
        assert chat.exit_code(timeout=30) == 2, chat.pane()
        pane = chat.pane()
        assert "error: netops chat needs a full-screen terminal" in pane and "netops ask" in pane, pane


def test_escape_then_typing_at_once_stops_the_answer_and_keeps_the_text(tmp_path):
    """Esc and the next question typed right after it reach the chat as ESC + letters (what a
    terminal sends for Alt+letter): the Esc was lost (the answer went on) and so was the first
    letter. Now the answer stops, partial, and the whole text is in the box."""
    small_kb(tmp_path)
    with ScriptedOllama([say(LONG, piece_chars=24, piece_delay=0.04)]) as srv, \
            TmuxChat(tmp_path, env={"NETOPS_OLLAMA_URL": srv.url}) as chat:
        chat.started()
        chat.type("what is the minimum BGP hold time?")
        chat.keys("Enter")
        chat.wait(lambda p: _newest(p) >= 5, timeout=60, what="the answer to stream")
        chat.keys("Escape", "n", "e", "x", "t")  # one write: ESC n e x t
        chat.wait(lambda p: "cancelled with Escape" in p, timeout=15, what="the answer to stop")
        chat.wait(lambda p: any(line.strip() == "next" for line in p.splitlines()), timeout=5,
                  what="'next' in the box")


def test_up_after_a_question_sent_too_early_recalls_the_one_before(tmp_path):
    """A question sent while an answer streams goes back to the box ('still answering'); it was
    also put in the history, so the first Up showed the same text again and looked like a dead
    key (seen by hand in tmux). Up now recalls the question sent before it, and Down brings the
    unsent one back."""
    small_kb(tmp_path)
    with ScriptedOllama([say(LONG, piece_chars=24, piece_delay=0.04)]) as srv, \
            TmuxChat(tmp_path, env={"NETOPS_OLLAMA_URL": srv.url}) as chat:
        chat.started()
        chat.type("what is the minimum BGP hold time?")
        chat.keys("Enter")
        chat.wait(lambda p: _newest(p) >= 3, timeout=60, what="the answer to stream")
        chat.type("and the keepalive?")
        chat.keys("Enter")
        chat.wait(lambda p: "still answering" in p, timeout=10, what="the early question refused")
        chat.keys("Escape")
        chat.wait(lambda p: "cancelled with Escape" in p, timeout=15, what="the answer to stop")
        chat.wait(lambda p: chat.prompt_line() == "and the keepalive?", timeout=5, what="the unsent question in the box")
        chat.keys("Up")
        chat.wait(lambda p: chat.prompt_line() == "what is the minimum BGP hold time?", timeout=5,
                  what="Up to recall the question sent before")
        chat.keys("Down")
        chat.wait(lambda p: chat.prompt_line() == "and the keepalive?", timeout=5, what="Down to bring the draft back")


def test_typing_after_reading_a_citation_goes_to_the_box_whole(tmp_path):
    """After a citation was opened (Shift+Tab, Enter) and closed (Esc), the focus is back on the
    citation. A question typed in one burst (a quick typist, a paste of keys) then lost its
    spaces and the space reopened the evidence viewer ('/show r1 show version' reached the box as
    '/showr1showversion', seen by hand in tmux). Now the whole text reaches the box and Enter
    sends it."""
    small_kb(tmp_path)
    with TmuxChat(tmp_path, args=("--offline",)) as chat:
        chat.started()
        chat.type("what is the minimum BGP hold time?")
        chat.keys("Enter")
        chat.wait(lambda p: "evidence (" in p, timeout=60, what="the cited answer")
        focus_citation(chat)  # a citation focused, read off the screen, before Enter opens it
        chat.keys("Enter")
        chat.wait(lambda p: "Esc close" in p, timeout=10, what="the evidence viewer")
        chat.keys("Escape")
        chat.wait(lambda p: "Esc close" not in p, timeout=10, what="the viewer closed")
        chat.type("tell me a joke about penguins")
        chat.wait(lambda p: chat.prompt_line() == "tell me a joke about penguins" or "Esc close" in p, timeout=5,
                  what="the typed text")
        assert "Esc close" not in chat.pane(), "a space typed reopened the evidence viewer"
        chat.keys("Enter")
        chat.wait(lambda p: "you  tell me a joke about penguins" in p, timeout=30, what="the question sent")


def test_what_ctrl_c_cleared_comes_back_with_the_key_it_names(tmp_path):
    """trial34: Ctrl+C cleared the box saying "Ctrl+Z puts it back", but Ctrl+Z suspends the chat
    (the whole program stopped, the text still gone). The notice names Ctrl+Y, and Ctrl+Y puts the
    cleared text back; the chat is still running."""
    with TmuxChat(tmp_path, args=("--offline",)) as chat:
        chat.started()
        chat.type("show me the CSR uplink optics")
        chat.wait(lambda p: "CSR uplink optics" in p, timeout=5, what="the typed text")
        chat.keys("C-c")
        pane = chat.wait(lambda p: "cleared the box" in p and p, timeout=5, what="the notice")
        assert "Ctrl+Y puts it back" in pane and "Ctrl+Z" not in pane, pane
        chat.keys("C-y")
        chat.wait(lambda p: chat.prompt_line() == "show me the CSR uplink optics", timeout=5,
                  what="Ctrl+Y to put the cleared text back")
        chat.keys("C-q")
        assert chat.exit_code() == 0


def test_editing_keys_after_a_tab_with_nothing_to_complete_edit_the_box(tmp_path):
    """trial34: '/state r' then Tab (nothing to complete: the focus left the box) then Backspace,
    Ctrl+U or Ctrl+A/Ctrl+K did nothing, while letters typed after it still went into the box: the
    line could only grow."""
    with TmuxChat(tmp_path, args=("--offline",), size=(80, 24)) as chat:
        chat.started()
        chat.type("/state r")
        chat.wait(lambda p: chat.prompt_line() == "/state r", timeout=5, what="the typed text")
        chat.keys("Tab")
        chat.keys("BSpace")
        chat.wait(lambda p: chat.prompt_line() == "/state", timeout=5, what="Backspace to edit the box")
        chat.keys("Tab")
        chat.keys("C-u")
        chat.wait(lambda p: chat.prompt_line().startswith("Ask about"), timeout=5, what="Ctrl+U to empty the box")
        chat.type("r1 bgp")
        chat.keys("Tab")
        chat.keys("C-a")
        chat.type("/state ")
        chat.wait(lambda p: chat.prompt_line() == "/state r1 bgp", timeout=5, what="Ctrl+A then typing")
        chat.keys("C-q")
        assert chat.exit_code() == 0
