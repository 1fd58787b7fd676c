"""Configuration pasted into the chat is data the person shows netops, never a request (trial21).

"router bgp 65001 / neighbor 10.0.0.2 remote-as 65002 / interface eth0" pasted on its own read
every router's BGP sessions for 10.0.0.2 (the words inside it routed as a device question); with
"apply this on r1" after "neighbor 198.51.100.2 shutdown" the words inside it matched the vetted
bgp-neighbor-shutdown playbook and proposed it. Now:

- nothing but pasted configuration: no device is read and nothing is proposed; the answer says
  what netops can do with it (explain it, compare it with a device, change a device through a
  vetted playbook);
- pasted configuration with the person's own words asking to apply it ("apply this on r1", "push
  this to r2", "configure r1 with this"): netops does not apply configuration typed into the chat;
  the answer names the vetted-playbook path, and nothing is read or changed;
- pasted configuration with a question of the person's own ("what does this config do?", "is
  this configured on r1?"): answered as any question, the pasted lines never naming a device to read
  (:func:`netops.agent.router.without_pasted_config`) nor a change (:func:`netops.agent.intent.own_words`).
"""

from __future__ import annotations

import re

from netops.agent.router import pasted_block, pasted_config_lines

# the person's own words asking to put the pasted lines on a device
_APPLY = re.compile(
    r"\b(?:apply|applies|applying|push|pushing|load|paste|commit|deploy|install|merge|send|copy|put|add|use|"
    r"configure|config|roll\s*out|make)\b(?:\s+\w+){0,4}?\s+(?:this|these|that|those|it|them|the\s+(?:above|below|"
    r"config\w*|lines?|snippet|block|changes?|following)|(?:the\s+)?(?:config\w*|snippet|lines)\s+(?:above|below)|"
    r"with|like\s+this|as\s+follows|following)\b"
    r"|^\W*(?:please\s+)?(?:apply|push|deploy|commit|load|configure)\b",
    re.IGNORECASE)

EXAMPLE = '"shut down BGP neighbor 198.51.100.2 on r1"'


def split(question: str) -> tuple[list[str], str]:
    """The pasted configuration lines of ``question`` and the person's own text (other lines)."""
    lines = question.split("\n")
    mask = pasted_config_lines(question)
    pasted = [ln for ln, p in zip(lines, mask) if p]
    own = "\n".join(ln for ln, p in zip(lines, mask) if not p and ln.strip())
    return pasted, own


def blanked(question: str) -> str:
    """``question`` with every pasted configuration line blanked (same length), even when nothing
    else is there: for the words that may bind a change, configuration is never the request."""
    lines = question.split("\n")
    mask = pasted_config_lines(question)
    return "\n".join(re.sub(r"\S", " ", ln) if p else ln for ln, p in zip(lines, mask))


def _first(pasted: list[str]) -> str:
    return next((ln.strip() for ln in pasted if ln.strip() and ln.strip() not in "!#}"), pasted[0].strip())


def _path(example: str = EXAMPLE) -> str:
    return ("netops never applies configuration typed or pasted into the chat: a change goes through a vetted "
            "playbook (`netops playbook list` shows them), asked for in words such as " + example +
            " or run with `netops playbook run NAME --target HOST --param KEY=VALUE --dry-run`, "
            "with a dry run, a review and your approval.")


def answer(question: str) -> tuple[str, bool] | None:
    """What to say to pasted configuration that asks nothing, or to a request to apply it (then the
    second item is True: a change refused); None for anything else (a question about the pasted
    lines is answered as a question)."""
    pasted, own = split(question)
    if not pasted:
        return None
    n = len([ln for ln in pasted if ln.strip()])
    what = (f"configuration you pasted ({n} lines, starting `{_first(pasted)}`)" if n > 1 else
            f"the configuration line you pasted (`{_first(pasted)}`)")
    if not own.strip():
        if not pasted_block(question):
            return None  # lines that only start like configuration ("vlan 10 on sw1"): asked as written
        return (f"This is {what}. netops takes it as text you show it: no device was read and nothing was "
                "changed for it. What it can do with it:\n\n"
                "- explain it: ask about it under the paste, e.g. \"what does this config do?\" (with a model the "
                "answer is checked against your documents; offline you get the documents' passages on it)\n"
                "- compare it with a device: \"is this configured on r1?\" reads that device's running "
                "configuration\n"
                f"- change a device: {_path()}", False)
    if _APPLY.search(own) and not _ABOUT_IT.search(own):
        return f"This asks to apply {what}. {_path()} Nothing was read or changed.", True
    return None


# A question about the pasted text ("what does this config do with the neighbor?", "how would I use
# this to peer with r2?") is not a request to apply it (review21 T3), unless it names where to put
# it ("can you apply this on r1?").
_ABOUT_IT = re.compile(
    r"^\W*(?:what|why|how|does|do|is|are|would|will|should|where|which|explain|tell\s+me)\b(?![^?]*\b(?:on|to|onto|"
    r"into)\s+[a-z][\w-]*\d[\w-]*\b)[^\n]*\?\s*$", re.IGNORECASE | re.MULTILINE)
