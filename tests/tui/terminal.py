"""``netops chat`` in a real terminal for tests: tmux starts it, keys go in with send-keys and
the screen comes back with capture-pane. The model is the scripted Ollama-protocol server
running in the test process (real HTTP on loopback)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]

needs_tmux = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (apt-get install tmux)")


def small_kb(tmp_path: Path) -> None:
    """One indexed document under the test's NETOPS_HOME (no default pack is indexed on first use),
    built with the embedder the chat in tmux is given (none: lexical), not whatever this process
    would pick (MiniLM where it is cached: the chat then refused the index as built with another)."""
    from netops.rag.kb import KnowledgeBase
    from netops.settings import load_settings

    docs = tmp_path / "docs"
    docs.mkdir(exist_ok=True)
    (docs / "bgp-timers.md").write_text("# BGP hold timer\n\nThe hold time is either zero or at least "
                                        "three seconds.\n")
    settings = load_settings()
    settings = settings.model_copy(update={"kb": settings.kb.model_copy(update={"embedder": "none"})})
    with KnowledgeBase(settings) as kb:
        kb.add([docs / "bgp-timers.md"])


class TmuxChat:
    """One ``netops chat`` in its own tmux session (killed on exit)."""

    def __init__(self, tmp_path: Path, *, size: tuple[int, int] = (100, 30), args: tuple[str, ...] = (),
                 env: dict[str, str] | None = None, keep_open: bool = False,
                 program: tuple[str, ...] = ("-m", "netops", "chat")) -> None:
        """``keep_open``: the pane stays after the chat has ended (to read what it printed);
        ``program``: what python runs instead of the chat (a script showing one screen)."""
        base = {k: v for k, v in os.environ.items()
                if k.startswith(("NETOPS_", "XDG_", "HF_", "TRANSFORMERS_", "ORT_"))}
        base.update(PYTHONPATH=str(REPO), TERM="xterm-256color", PATH=os.environ["PATH"], HOME=str(tmp_path),
                    NETOPS_KB__EMBEDDER="none", NETOPS_MODEL_REVIEW="false", LANG="C.UTF-8")
        base.update(env or {})
        self.name = f"netops-t-{uuid.uuid4().hex[:8]}"
        self.status = tmp_path / f"{self.name}.exit"
        inner = " ".join([*(f"{k}='{v}'" for k, v in base.items()), sys.executable, *program, *args])
        command = f"{inner}; echo $? >{self.status}" + ("; sleep 60" if keep_open else "")
        subprocess.run(["tmux", "new-session", "-d", "-s", self.name, "-x", str(size[0]), "-y", str(size[1]),
                        "env", "-i", "sh", "-c", command], check=True)

    def __enter__(self) -> "TmuxChat":
        return self

    def __exit__(self, *exc: Any) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)

    def pane(self, *, escapes: bool = False) -> str:
        """The screen's text (``escapes``: with its SGR colour and attribute sequences)."""
        return subprocess.run(["tmux", "capture-pane", "-p", *(["-e"] if escapes else []), "-t", self.name],
                              capture_output=True, text=True).stdout

    def keys(self, *keys: str, literal: bool = False) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, *(["-l"] if literal else []), *keys], check=True)

    def type(self, text: str) -> None:
        self.keys(text, literal=True)

    def resize(self, width: int, height: int) -> None:
        subprocess.run(["tmux", "resize-window", "-t", self.name, "-x", str(width), "-y", str(height)], check=True)

    def wait(self, predicate: Callable[[str], Any], timeout: float = 30.0, what: str = "") -> Any:
        """Poll the screen until ``predicate(pane)`` is truthy; fail showing the screen."""
        deadline = time.monotonic() + timeout
        while True:
            pane = self.pane()
            value = predicate(pane)
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout}s waiting for {what or predicate}:\n{pane}")
            time.sleep(0.1)

    def started(self) -> None:
        self.wait(lambda p: "new conversation" in p or "conversation " in p, what="the chat to start")

    def pid(self) -> int:
        """The chat's process id (the pane's shell runs it as its child)."""
        shell = subprocess.run(["tmux", "display", "-p", "-t", self.name, "#{pane_pid}"],
                               capture_output=True, text=True, check=True).stdout.strip()
        children = subprocess.run(["pgrep", "-P", shell], capture_output=True, text=True).stdout.split()
        assert len(children) == 1, f"expected the chat as the pane's one child, found {children}"
        return int(children[0])

    def send_signal(self, signum: int) -> None:
        """Send ``signum`` to the chat's process."""
        os.kill(self.pid(), signum)

    def close_terminal(self) -> None:
        """Close the terminal under the chat, as closing its window does: the kernel hangs the
        terminal up (SIGHUP, then SIGCONT, to the chat) and every later write to it fails."""
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)

    def screen_modes(self) -> tuple[bool, bool]:
        """(alternate screen on, mouse reporting on): what a full-screen program must give back."""
        out = subprocess.run(["tmux", "display", "-p", "-t", self.name, "#{alternate_on} #{mouse_any_flag}"],
                             capture_output=True, text=True, check=True).stdout.split()
        return out[0] == "1", out[1] == "1"

    def exit_code(self, timeout: float = 10.0) -> int | None:
        """The chat's exit code once it has ended (None if it is still running after ``timeout``)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.status.exists() and self.status.read_text().strip():
                return int(self.status.read_text())
            time.sleep(0.1)
        return None

    def prompt_line(self) -> str:
        """The first line of the question box (the row above the footer's blank rows), without a
        notification drawn over the right of that row (a toast starts at its "▌" border): the box
        held its text at once, yet the row read whole did not match until the toast had gone, 5 s."""
        lines = self.pane().rstrip("\n").splitlines()
        return lines[-4].split("▌", 1)[0].strip() if len(lines) >= 4 else ""


def numbers(pattern: str, pane: str) -> list[int]:
    return [int(n) for n in re.findall(pattern, pane)]


_SGR = re.compile(r"\x1b\[([0-9;]*)m")


def focused_citation(chat: "TmuxChat") -> tuple[str, str]:
    """(the citation drawn focused, "" when none is; the screen's text) from one capture with its
    escapes: ``CitationLink:focus`` is bold. The keys sent next go to it: the test waits for the focus
    itself, not for a time the focus is likely to have moved by (a 1.5 s sleep, which failed now and
    then on a loaded machine), and in the same capture as the screen it checks (a capture taken while
    the viewer was being redrawn could lack its "Esc close" line)."""
    pane = chat.pane(escapes=True)
    focused = ""
    for line in pane.splitlines():
        bold, text = False, []
        for i, part in enumerate(_SGR.split(line)):
            if i % 2:  # the parameters of one SGR sequence
                for code in (part or "0").split(";"):
                    bold = True if code == "1" else False if code in ("0", "22") else bold
            elif bold:
                text.append(part)
        if found := re.search(r"\[\d+\] [^\[]*", "".join(text)):
            focused = found.group(0)
            break
    return focused, _SGR.sub("", pane)


def focus_citation(chat: "TmuxChat", tries: int = 5) -> str:
    """Shift+Tab until a citation is drawn focused (the label), read off the screen: a Shift+Tab sent
    while the answer's citations are still being laid out lands on none (seen 1 run in 4 on a loaded
    machine, and in CI at stop 37), and the key after it would go elsewhere."""
    for _ in range(tries):
        chat.keys("BTab")
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            if (label := focused_citation(chat)[0]):
                return label
            time.sleep(0.1)
    raise AssertionError(f"no citation focused after {tries} Shift+Tab:\n{chat.pane()}")
