"""The read-only policy on Huawei VRP (VRP 5 and VRP 8), pinned from the outside (this file's own
cases, nothing drawn from the product's tables).

VRP specifics: the read verb is ``display`` (``dis``, ``disp``; not ``show``, and not a lone ``d``,
which may abbreviate ``delete``/``debugging``); ``system-view``/``sys``, ``undo``, ``reset``,
file verbs, ``local-user``/``super``, ``stelnet``/file transfer and ``quit``/``return`` are refused
anywhere; only ``| include``, ``| exclude``, ``| begin``, ``| count`` and ``| no-more`` pass
(``| redirect``, ``| append``, ``| refresh``, ``> file`` never); ping needs ``-c N`` (N <= 10);
``tracert`` takes one destination; ``display diagnostic-information`` (minutes long, can write a
file) is refused. Verbs such as ``startup``, ``clock`` and ``license`` are refused as verbs by the
allowlist while ``display startup`` / ``display clock`` stay readable.
"""

from __future__ import annotations

import pytest

from netops.devices.policy import check_command, enforce
from netops.errors import PolicyViolation

P = "huawei_vrp"

ALLOWED = [
    "display version", "display current-configuration", "display current-configuration | include sysname",
    "display current-configuration | begin bgp", "display current-configuration | exclude description",
    "display interface brief", "display ip interface brief", "display ipv6 interface brief",
    "display interface GigabitEthernet0/0/1", "display bgp peer", "display bgp ipv6 peer",
    "display bgp vpnv4 all peer", "display bgp vpnv4 vpn-instance CUST-A peer", "display ospf peer brief",
    "display ospf 1 peer", "display ip routing-table 10.0.0.1", "display ipv6 routing-table 2001:db8::1",
    "display ip routing-table vpn-instance CUST-A 10.0.0.1", "display esn", "display elabel brief",
    "display startup", "display clock", "display license", "display interface brief | count",
    "display interface brief | no-more", "dis cur | include sysname", "disp bgp peer", "di ver",
    "ping -c 5 10.0.0.1", "ping -c 1 -a 10.0.0.2 10.0.0.1", "ping -a 10.0.0.2 -c 3 -vpn-instance CUST-A 10.0.0.1",
    "ping -c 10 -s 1400 -f -t 500 10.0.0.1", "ping ipv6 -c 3 2001:db8::1", "ping ipv6 -c 3 fe80::1 -i Vlanif10",
    "tracert 10.0.0.1", "tracert -a 10.0.0.2 -m 8 -w 1000 -vpn-instance CUST-A 10.0.0.1", "tracert ipv6 2001:db8::1",
]


@pytest.mark.parametrize("command", ALLOWED)
def test_read_only_vrp_commands_are_allowed(command):
    d = check_command(command, P)
    assert d.allowed, d.reason


@pytest.mark.parametrize("command, sent", [
    ("dis  cur | include  sysname", "display cur | include sysname"), ("disp bgp peer", "display bgp peer"),
    ("displa version", "display version"), ("di ip routing-table 10.0.0.1", "display ip routing-table 10.0.0.1"),
    ("ping -c 3  10.0.0.1", "ping -c 3 10.0.0.1"),
])
def test_abbreviated_display_is_sent_in_full(command, sent):
    assert check_command(command, P).command == sent
    assert enforce(command, P) == sent


@pytest.mark.parametrize("command, reason", [
    # configuration and state changes
    ("system-view", "'system-view'"), ("sys", "'sys'"), ("system-view immediately", "'system-view'"),
    ("sy", "abbreviate 'system-view'"), ("undo shutdown", "'undo'"), ("un", "abbreviate"),
    ("save", "'save'"), ("save force", "'save'"), ("reset bgp all", "'reset'"), ("reset ip routing-table", "'reset'"),
    ("res bgp all", "abbreviate"), ("reboot fast", "'reboot'"), ("delete flash:/vrpcfg.zip", "'delete'"),
    ("delete /unreserved flash:/x", "'delete'"), ("copy flash:/a.cfg flash:/b.cfg", "'copy'"),
    ("move flash:/a flash:/b", "'move'"), ("rename flash:/a flash:/b", "'rename'"), ("format flash:", "'format'"),
    ("startup saved-configuration evil.cfg", "not a read-only"), ("patch load x.pat all", "'patch'"),
    ("upgrade slave-board", "'upgrade'"), ("commit", "'commit'"), ("rollback configuration to label x", "'rollback'"),
    ("debugging ip packet", "'debugging'"), ("terminal monitor", "'terminal'"), ("terminal debugging", "'terminal'"),
    ("screen-length 0 temporary", "'screen-length'"), ("local-user admin password cipher x", "'local-user'"),
    ("super 3", "'super'"), ("lock", "'lock'"), ("execute batch.bat", "'execute'"), ("mkdir flash:/x", "'mkdir'"),
    ("clock datetime 10:00:00 2024-01-01", "not a read-only"), ("license active x.dat", "not a read-only"),
    ("quit", "'quit'"), ("return", "'return'"), ("diagnose", "'diagnose'"),
    # lateral movement and file transfer
    ("stelnet 192.0.2.1", "'stelnet'"), ("telnet 192.0.2.1", "'telnet'"), ("ssh client first-time enable", "'ssh'"),
    ("tftp 192.0.2.1 put vrpcfg.zip", "'tftp'"), ("ftp 192.0.2.1", "'ftp'"), ("scp admin@192.0.2.1:x y", "'scp'"),
    ("sftp 192.0.2.1", "'sftp'"),
    # the other vendors' read verb, and a lone "d"
    ("show version", "not a read-only command allowed on huawei_vrp"), ("sh version", "'sh' may abbreviate"),
    ("d cu", "may abbreviate"),
    # minutes-long dumps that can write a file
    ("display diagnostic-information", "'diagnostic-information'"),
    ("dis diagnostic-information flash:/diag.txt", "'diagnostic-information'"),
    # redirection and unlisted filters
    ("display current-configuration > flash:/x.cfg", "'>'"), ("display current-configuration >> flash:/x", "'>'"),
    ("display current-configuration | redirect flash:/x", "'redirect'"),
    ("display current-configuration | append flash:/x", "'append'"),
    ("display interface brief | refresh 5", "'refresh'"), ("display interface brief | section bgp", "pipe to 'section'"),
    ("display interface brief | count 5", "'| count' does not take"), ("display interface | no-more x", "does not take"),
    ("display current-configuration | i sysname", "pipe to 'i'"),
    ("display current-configuration | include undo", "'undo'"), ("display reset-reason | include reset", "'reset'"),
    # ping and tracert
    ("ping 10.0.0.1", "-c N"), ("ping -c 0 10.0.0.1", "between 1 and 10"), ("ping -c 11 10.0.0.1", "between 1 and 10"),
    ("ping -c 1000 -m 1 10.0.0.1", "between 1 and 10"), ("ping -c 5 10.0.0.1 10.0.0.2", "-c N"),
    ("ping -c 5 -d 10.0.0.1", "-c N"), ("tracert 10.0.0.1 10.0.0.2", "one destination"),
    ("tracert -m 300 10.0.0.1", "one destination"), ("tracert -q 100 10.0.0.1", "one destination"),
    ("traceroute 10.0.0.1", "one destination"),
])
def test_vrp_refusals(command, reason):
    d = check_command(command, P)
    assert not d.allowed, f"{command!r} was allowed"
    assert reason in d.reason, d.reason
    with pytest.raises(PolicyViolation):
        enforce(command, P)


@pytest.mark.parametrize("word", ["system-view", "sys", "undo", "reset", "save", "reboot", "delete", "copy", "move",
                                  "rename", "format", "patch", "upgrade", "debugging", "terminal",
                                  "screen-length", "local-user", "stelnet", "execute", "tftp", "ftp",
                                  "scp", "sftp", "quit", "return", "super"])
def test_state_changing_words_are_refused_in_any_position(word):
    for command in (f"display {word}", f"display current-configuration {word} x",
                    f"display current-configuration | include {word}", word):
        assert not check_command(command, P).allowed, command


@pytest.mark.parametrize("word", ["commit", "rollback", "telnet", "ssh", "install"])
def test_words_naming_what_display_shows_pass_only_after_display(word):
    # display ssh server status, display ssh user-information, display configuration commit list (VRP 8)
    for command in (f"display {word}", f"dis {word} server status", f"display configuration {word} list",
                    f"display current-configuration | include {word}"):
        d = check_command(command, P)
        assert d.allowed, (command, d.reason)
    for command in (word, f"{word} 192.0.2.1", f"display version | {word}", f"ping -c 3 {word}", f"tracert {word}"):
        assert not check_command(command, P).allowed, command


def test_the_exact_refusal_reasons():
    assert check_command("display interface | head 5", P).reason == (
        "pipe to 'head' is not allowed on huawei_vrp (allowed: | include, | exclude, | begin, | count, | no-more)")
    assert check_command("ping 10.0.0.1", P).reason == "ping needs '-c N' (N <= 10)"
    assert check_command("ping -c 3 10.0.0.1", P).reason == "ping with count 3"
    assert check_command("tracert 10.0.0.1", P).reason == "bounded traceroute"


# -- properties: the test's own word lists, drawn at random into display commands -----------------

from hypothesis import given, settings as hsettings, strategies as st  # noqa: E402

_WORDS = ("configure", "write", "copy", "reboot", "delete", "format", "clear", "debug",
          "shutdown", "upgrade", "redirect", "append", "save", "system-view", "sys",
          "undo", "reset", "move", "rename", "patch", "debugging", "terminal", "screen-length", "local-user",
          "stelnet", "execute", "tftp", "ftp", "scp", "sftp", "quit", "return", "super")
_word = st.from_regex(r"[a-z][a-z0-9-]{0,10}", fullmatch=True).filter(lambda w: w not in _WORDS)


@hsettings(max_examples=300, deadline=None)
@given(prefix=st.lists(_word, max_size=4), bad=st.sampled_from(_WORDS), suffix=st.lists(_word, max_size=3),
       upper=st.booleans(), pipe=st.booleans(), verb=st.sampled_from(["display", "dis", "disp"]))
def test_no_display_command_with_a_state_changing_word_is_allowed(prefix, bad, suffix, upper, pipe, verb):
    word = bad.upper() if upper else bad
    parts = [verb, *prefix] + (["|", "include"] if pipe else []) + [word, *suffix]
    assert not check_command(" ".join(parts), P).allowed


@hsettings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=120))
def test_anything_allowed_is_a_display_a_bounded_ping_or_a_tracert(text):
    d = check_command(text, P)
    if d.allowed:
        assert d.command.split()[0] in ("display", "ping", "tracert"), d.command
        assert not any(c in d.command for c in ";!`$&><#\\")
