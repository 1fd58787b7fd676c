"""One answer looks the same in a real terminal (tmux) while it is the newest, after the next
question has been asked, and when the conversation is resumed."""

from __future__ import annotations

import pytest

from netops.testing.ollama_server import ScriptedOllama, say
from tests.tui.terminal import TmuxChat, needs_tmux, small_kb

ANSWER = """Two peers on r1 START-OF-ANSWER.

| peer | state | prefixes |
|------|-------|----------|
| 10.0.0.2 | Established | 3 |
| 10.0.0.3 | Active | 0 |

- first point
  - sub point
- second `point`

1. one
2. two

```
vtysh -c "show ip bgp summary"
```

## Next steps
END-OF-ANSWER."""


def _answer_lines(pane: str) -> list[str]:
    lines = pane.splitlines()
    start = next(i for i, line in enumerate(lines) if "START-OF-ANSWER" in line)
    end = next(i for i, line in enumerate(lines) if "END-OF-ANSWER" in line)
    return [line.rstrip() for line in lines[start:end + 1]]


@needs_tmux
def test_an_answer_looks_the_same_newest_settled_and_resumed(tmp_path):
    """Seen in tmux (trial17): the newest answer was Textual's Markdown (a boxed table, bullets
    at one column, '▪' sub-bullets); after the next question it was swapped for Rich's (a compact
    table, bullets a column right, '•' sub-bullets), and a resumed conversation showed the latter.
    Scrolling back, the same answer looked different."""
    small_kb(tmp_path)
    with ScriptedOllama([say(ANSWER), say("Short second answer.")]) as srv:
        env = {"NETOPS_OLLAMA_URL": srv.url}
        with TmuxChat(tmp_path, size=(100, 60), env=env) as chat:
            chat.started()
            chat.type("hello, is everything fine?")
            chat.keys("Enter")
            newest = _answer_lines(chat.wait(lambda p: "END-OF-ANSWER" in p and "evidence" in p.split(
                "END-OF-ANSWER", 1)[1] and p, what="the first answer"))
            chat.type("hello again, all good?")
            chat.keys("Enter")
            settled = _answer_lines(chat.wait(lambda p: "Short second answer." in p and p, what="the second answer"))
            chat.keys("C-q")
        with TmuxChat(tmp_path, size=(100, 60), env=env, args=("--continue",)) as chat:
            resumed = _answer_lines(chat.wait(lambda p: "END-OF-ANSWER" in p and "Short second" in p and p,
                                              what="the resumed conversation"))
    assert settled == newest, "\n".join(["newest:", *newest, "settled:", *settled])
    assert resumed == newest, "\n".join(["newest:", *newest, "resumed:", *resumed])


TRICKY = [ANSWER, "para\n- item\n- item 2\n\n  continued\n\nafter", "Title\n---\ntext\n\n    code\n\n    more code\n\nend",
          "> quote\nlazy line\n\n1. a\n\n3. b\n\n```python\nx = 1\n\ny = 2\n```\ntrailing [1]. *done*",
          "| a | b |\n|---|---|\n| 1 | 2 |\nnot a row\n\n***\n\n<div>\nhtml\n</div>\n\nlast"]


@pytest.mark.parametrize("size", [1, 3, 16, 50])
@pytest.mark.parametrize("text", TRICKY)
def test_streamed_blocks_are_the_blocks_of_the_whole_text(text, size):
    """The streamed answer is drawn block by block as it arrives (a finished block once); what it
    was cut into must be what the whole text is cut into when the answer is settled or resumed."""
    from netops.tui.render import MarkdownBlockStream, markdown_blocks

    stream, drawn = MarkdownBlockStream(), []
    for at in range(0, len(text), size):
        drawn += stream.feed(text[at:at + size])
    assert drawn + stream.tail == [source for _, source in markdown_blocks(text)]
