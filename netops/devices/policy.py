"""The read-only command policy, enforced before anything is sent to a device.

A command is allowed only if it is short printable ASCII, has no shell or CLI separators, no
``?`` (context help) and no unbalanced quote, contains none of the state-changing words (or
abbreviations of them in verb position; quotes and brackets do not hide a word; a few such as
``install``/``commit``/``ssh`` name what a read shows and pass after ``show``/``display``), its head
matches the platform's allowlist (``show ...``, a ping *with a count*, a bounded traceroute;
on a case-sensitive shell as typed) and every ``| filter`` is one the platform allowlists.
Everything else is refused with the reason. The check is deliberately conservative:
``show run | include clear`` is refused too, because a refused read costs less than an allowed
write. Probes are bounded (a count, capped timeouts) and tech-support dumps are refused: a
read must also end soon.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from netops.devices.platforms import PlatformSpec, compiled, get_platform
from netops.errors import PolicyViolation

MAX_COMMAND_LENGTH = 256
_WORD_SEPARATORS = re.compile(r"[\s|'\"(){}\[\],]+")
# tech-support dumps and their abbreviations: show tech-support ("sh tec"), VRP display
# diagnostic-information ("dis diag", which also takes a file name to write)
_DUMP = re.compile(r"show tec|display diag")
# NX-OS "show install all impact" runs the whole image compatibility check (minutes, bootflash
# scratch space) without installing: a read that does not end soon ("sh ins all imp" too)
_IMPACT = re.compile(r"show ins\S*( a\S*)? imp")

FORBIDDEN_WORDS: frozenset[str] = frozenset({
    "configure", "config", "conf", "write", "wr", "copy", "reload", "reboot", "delete", "erase",
    "format", "clear", "debug", "undebug", "shell", "start-shell", "bash", "exec", "commit",
    "rollback", "set", "unset", "shutdown", "squeeze", "install", "upgrade", "tclsh", "telnet",
    "ssh", "rm", "redirect", "tee", "append", "save",
    # IOS-XE 17 "show logging process X to-file bootflash:x" writes a file from a show command
    "to-file",
})
"""Words that never appear in an allowed command, except the :data:`ARGUMENT_WORDS` where they
are arguments of the read verb."""

ARGUMENT_WORDS: frozenset[str] = frozenset({"commit", "install", "rollback", "ssh", "telnet"})
"""Forbidden words that are also the names of things a read shows: ``show install active
summary``, ``show system commit``, ``show configuration rollback changes``, ``display ssh server
status``. They pass only after the read verb (``show``/``display``, also abbreviated), in the
command or in a pipe's arguments; as the command itself (and abbreviated), as a pipe name and
after any other verb they stay refused. A platform adds its own in
:attr:`~netops.devices.platforms.PlatformSpec.argument_words`."""

READ_VERBS: tuple[str, ...] = ("show", "display")
"""The verbs after which :data:`ARGUMENT_WORDS` are arguments (the head must still be allowlisted)."""

DANGEROUS_VERBS: tuple[str, ...] = (
    "configure", "write", "copy", "reload", "delete", "erase", "clear", "debug", "undebug",
    "terminal", "exit", "enable", "disable", "request", "restart", "start", "bash", "shell",
    "format", "rollback", "commit", "install", "vtysh", "end",
)
"""Verbs whose abbreviations (``conf t``, ``wr``, ``cl``) are refused with a helpful reason."""

FORBIDDEN_CHARS = {";": "a command separator ';'", "!": "'!' (a comment or shell escape)",
                   "`": "a backtick", "$": "'$'", "&": "'&'", ">": "a redirect '>'",
                   "<": "a redirect '<'", "#": "'#'", "\\": "a backslash",
                   # typed into an interactive CLI, '?' prints context help at once and leaves the
                   # line half-typed: what runs is not the command that was checked
                   "?": "'?' (context help in an interactive CLI)"}


@dataclass(frozen=True)
class PolicyDecision:
    """Outcome of a policy check: ``allowed`` and the reason either way."""

    allowed: bool
    reason: str
    command: str = ""
    """The normalised command that would be sent (only meaningful when allowed)."""

    def __bool__(self) -> bool:
        return self.allowed


def normalize(command: str) -> str:
    """Collapse runs of spaces and strip the ends (what is actually sent)."""
    return " ".join(command.split())


def _refuse(reason: str) -> PolicyDecision:
    return PolicyDecision(False, reason)


def check_command(command: str, platform: str | PlatformSpec) -> PolicyDecision:
    """Decide whether ``command`` may run on a device of ``platform`` as a read-only command."""
    spec = platform if isinstance(platform, PlatformSpec) else get_platform(platform)
    if not isinstance(command, str) or not command.strip():
        return _refuse("empty command")
    if len(command) > MAX_COMMAND_LENGTH:
        return _refuse(f"command longer than {MAX_COMMAND_LENGTH} characters")
    for ch in command:
        code = ord(ch)
        if ch == "\n" or ch == "\r":
            return _refuse("newlines are not allowed (one command at a time)")
        if code < 0x20 or code == 0x7F:
            return _refuse(f"control character {code:#04x} is not allowed")
        if code > 0x7E:
            return _refuse(f"non-ASCII character {ch!r} is not allowed")
        if ch in FORBIDDEN_CHARS:
            return _refuse(f"{FORBIDDEN_CHARS[ch]} is not allowed")
    if _open_quote(command):
        # a shell (linux) would wait for the closing quote and read the next command into it
        return _refuse("an unbalanced quote is not allowed")
    text = normalize(command)
    # a network CLI reads a quoted "a|b" as one pattern (Junos, SR OS ``| match``); a shell's quotes
    # would hand the pipe to the program inside them (``vtysh -c "show run | include x"``): split there
    segments = [s.strip() for s in pipe_segments(text, quoted=not spec.case_sensitive)]
    if any(not s for s in segments):
        return _refuse("empty pipe segment")
    head_words = segments[0].split()
    # A case-sensitive CLI (a Linux shell) is matched as typed: "ping -C 5" is not "ping -c 5".
    fold = (lambda s: s) if spec.case_sensitive else str.lower
    verb = fold(head_words[0])
    verb = spec.verb_aliases.get(verb, verb)
    word = _forbidden_word(segments, spec, reading=verb in READ_VERBS)
    if word:
        return _refuse(f"'{word}' is not allowed in a read-only command")
    head = fold(" ".join([verb, *head_words[1:]]))
    if verb not in ("show", "ping", "traceroute") or verb != fold(head_words[0]):
        for danger in DANGEROUS_VERBS + spec.forbidden_verbs + spec.leading_verbs:
            if danger.startswith(verb) and verb not in spec.verb_aliases:
                # The verb itself (not an abbreviation) in a command the platform allowlists in
                # full, e.g. linux "vtysh -c 'show ...'", is not a dangerous verb.
                if verb == danger and any(compiled(p).fullmatch(head) for p in spec.allow):
                    continue
                if verb == danger and danger in spec.leading_verbs:
                    return _refuse(f"'{head_words[0]}' is not allowed in a read-only command")
                return _refuse(f"'{head_words[0]}' may abbreviate '{danger}', which is not read-only")
    decision = _check_head(head, spec)
    if not decision.allowed:
        return decision
    for seg in segments[1:]:
        name, _, args = seg.partition(" ")
        name = fold(name)
        if name not in spec.pipe_filters:
            allowed = ", ".join(f"| {f}" for f in spec.pipe_filters) or "none"
            return _refuse(f"pipe to '{name}' is not allowed on {spec.name} (allowed: {allowed})")
        pattern = spec.pipe_filters[name]
        if pattern is not None and not compiled(pattern).fullmatch(fold(args.strip())):
            return _refuse(f"'| {name}' does not take {args!r}")
    sent = " | ".join([" ".join([verb, *head_words[1:]]), *segments[1:]])
    return PolicyDecision(True, decision.reason, sent)


def pipe_segments(command: str, *, quoted: bool = True) -> list[str]:
    """``command`` split at its pipes; with ``quoted``, a ``|`` inside '...' or "..." belongs to the
    pattern it is in (``| match "ge-0/0/0|ge-0/0/1"``), as a network CLI reads it."""
    if not quoted:
        return command.split("|")
    parts, start, quote = [], 0, ""
    for i, ch in enumerate(command):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "|":
            parts.append(command[start:i])
            start = i + 1
    return [*parts, command[start:]]


def _forbidden_word(segments: list[str], spec: PlatformSpec, *, reading: bool) -> str | None:
    """The first state-changing word in the command, or ``None``.

    Quotes and brackets separate words too: ``vtysh -c 'show x' -c 'conf t'`` holds the word conf.
    The first token of each segment (the verb, a pipe's name) is never an argument; after the read
    verb, the :data:`ARGUMENT_WORDS` (and the platform's) are arguments and pass.
    """
    opened = (ARGUMENT_WORDS | frozenset(spec.argument_words)) if reading else frozenset()
    for segment in segments:
        first, _, rest = segment.partition(" ")
        for position, part in enumerate((first, rest)):
            for word in _WORD_SEPARATORS.split(part.lower()):
                if not word or (position and word in opened):
                    continue
                if word in FORBIDDEN_WORDS or word in spec.forbidden_verbs:
                    return word
    return None


def _open_quote(command: str) -> bool:
    """True when a ``'`` or ``"`` is left open (read as a POSIX shell does, without escapes)."""
    quote = ""
    for ch in command:
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
    return bool(quote)


def _check_head(head: str, spec: PlatformSpec) -> PolicyDecision:
    if head.startswith("ping"):
        if spec.ping is None:
            return _refuse(spec.ping_refusal)
        m = compiled(spec.ping).fullmatch(head)
        if not m:
            return _refuse(spec.ping_refusal)
        count = int(m.group("count"))
        if not 1 <= count <= spec.max_ping_count:
            return _refuse(f"ping count must be between 1 and {spec.max_ping_count}")
        return PolicyDecision(True, f"ping with count {count}")
    if head.startswith(("traceroute", "tracert")):  # tracert: Huawei VRP
        if spec.traceroute and compiled(spec.traceroute).fullmatch(head):
            return PolicyDecision(True, "bounded traceroute")
        return _refuse(f"traceroute takes one destination on {spec.name}")
    for pattern in spec.allow:
        if compiled(pattern).fullmatch(head):
            if _DUMP.match(head):
                return _refuse("a tech-support dump (show tech-support, display diagnostic-information) runs "
                               "for minutes at high CPU; collect it by hand")
            if _IMPACT.match(head):
                return _refuse("show install all impact runs the image compatibility check for minutes; "
                               "run it by hand")
            return PolicyDecision(True, "read-only command on the allowlist")
    return _refuse(f"'{head.split()[0]}' is not a read-only command allowed on {spec.name}")


def enforce(command: str, platform: str | PlatformSpec) -> str:
    """Return the normalised command or raise :class:`PolicyViolation` with the reason."""
    decision = check_command(command, platform)
    if not decision.allowed:
        raise PolicyViolation(
            f"refused {command!r}: {decision.reason}",
            hint="only read-only commands run through show/state; changes go through vetted playbooks",
        )
    return decision.command
