"""The read-only policy: examples per platform and hypothesis fuzzing."""

from __future__ import annotations

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from netops.devices.policy import MAX_COMMAND_LENGTH, check_command, enforce, normalize
from netops.errors import PolicyViolation

PLATFORMS = ["frr", "cisco_ios", "arista_eos", "juniper_junos", "linux", "cisco_xr"]

# The fuzz tests draw from these test-owned lists, never from the product's own tables: a word
# or character removed from the product must still be tried here (and then let through).
FORBIDDEN_WORDS = (
    "configure", "config", "conf", "write", "wr", "copy", "reload", "reboot", "delete", "erase",
    "format", "clear", "debug", "undebug", "shell", "start-shell", "bash", "exec", "commit",
    "rollback", "set", "unset", "shutdown", "squeeze", "install", "upgrade", "tclsh", "telnet",
    "ssh", "rm", "redirect", "tee", "append", "save",
)
# Of these, the words that pass as arguments after "show" (show install summary, show system
# commit, show ip ssh; IOS show archive log config all; Junos | display set), never as the command.
ARGUMENT_WORDS = {p: ("commit", "install", "rollback", "ssh", "telnet") for p in PLATFORMS if p != "linux"}
ARGUMENT_WORDS["cisco_ios"] += ("config",)
ARGUMENT_WORDS["juniper_junos"] += ("set",)
ARGUMENT_WORDS["arista_eos"] += ("reload",)
FORBIDDEN_CHARS = (";", "!", "`", "$", "&", ">", "<", "#", "\\")

ALLOWED = [
    ("frr", "show bgp summary json"), ("frr", "show ip route 10.0.0.0/8 json"),
    ("frr", "show running-config | include router"), ("frr", "traceroute 198.51.100.2"),
    ("cisco_ios", "sh ip int br"), ("cisco_ios", "show run | section router bgp"),
    ("cisco_ios", "ping 10.0.0.1 repeat 5"), ("arista_eos", "show ip bgp summary | json"),
    ("juniper_junos", "show bgp summary | display json"), ("juniper_junos", "ping 10.0.0.1 count 3 rapid"),
    ("linux", "ip -j addr show"), ("linux", "ip route get 10.0.0.1"), ("linux", "ping -c 3 10.0.0.1"),
    ("cisco_xr", "show bgp vrf all ipv4 unicast summary"), ("cisco_xr", "sh route ipv4 10.0.0.1"),
    ("cisco_xr", "ping vrf CUST-A 10.0.0.1 count 3 source Loopback0"), ("cisco_xr", "traceroute ipv6 2001:db8::1"),
]
REFUSED = [
    ("frr", "configure terminal", "'configure'"), ("frr", "conf t", "'conf'"),
    ("cisco_ios", "wr", "'wr'"), ("cisco_ios", "copy run start", "'copy'"),
    ("cisco_ios", "reload in 5", "'reload'"), ("cisco_ios", "delete flash:x", "'delete'"),
    ("cisco_ios", "clear ip bgp *", "'clear'"), ("cisco_ios", "debug ip packet", "'debug'"),
    ("cisco_ios", "cl ip bgp x", "abbreviate 'clear'"), ("cisco_ios", "rel", "abbreviate 'reload'"),
    ("juniper_junos", "start shell", "'start'"), ("arista_eos", "bash", "'bash'"),
    ("frr", "show version; reload", "';'"), ("frr", "show version\nconf t", "newlines"),
    ("frr", "show version\rconf t", "newlines"), ("frr", "show\x00version", "control character"),
    ("frr", "show version | wc -l", "pipe to 'wc'"), ("cisco_ios", "show run | redirect flash:x", "'redirect'"),
    ("cisco_ios", "show run | tee x", "'tee'"), ("frr", "ping 198.51.100.2", "never ends"),
    ("cisco_ios", "ping 10.0.0.1", "repeat"), ("cisco_ios", "ping 10.0.0.1 repeat 100", "between 1 and 10"),
    ("frr", "!", "'!'"), ("linux", "rm -rf /", "'rm'"), ("linux", "ip link set eth0 down", "'set'"), ("linux", "ip link add d0 type dummy", "not a read-only"),
    ("frr", "show " + "x" * MAX_COMMAND_LENGTH, "longer than"), ("frr", "", "empty"),
    ("frr", "show version |", "empty pipe"), ("frr", "shów version", "non-ASCII"),
    ("frr", "show `id`", "backtick"), ("linux", "uname $(id)", "'$'"),
    ("cisco_xr", "run ls /misc/config", "'run'"), ("cisco_xr", "admin reload location all", "'admin'"),
    ("cisco_xr", "process restart bgp", "'process'"), ("cisco_xr", "show run | file disk0:x", "'file'"),
    ("cisco_xr", "ping 10.0.0.1", "count"),
]


@pytest.mark.parametrize("platform,command", ALLOWED)
def test_allowed(platform, command):
    d = check_command(command, platform)
    assert d.allowed, d.reason


@pytest.mark.parametrize("platform,command,why", REFUSED)
def test_refused_with_reason(platform, command, why):
    d = check_command(command, platform)
    assert not d.allowed and why in d.reason


def test_enforce_raises_policy_violation_with_exit_code_5():
    with pytest.raises(PolicyViolation) as exc:
        enforce("write memory", "frr")
    assert exc.value.exit_code == 5 and exc.value.hint


def test_abbreviated_show_is_expanded_on_ios_only():
    assert check_command("sh ver", "cisco_ios").command == "show ver"
    assert not check_command("sh ver", "linux").allowed


_word = st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E, exclude_characters="|"),
                min_size=1, max_size=12)


@hsettings(max_examples=300, deadline=None)
@given(prefix=st.lists(_word, max_size=4), bad=st.sampled_from(sorted(FORBIDDEN_WORDS)),
       suffix=st.lists(_word, max_size=4), platform=st.sampled_from(PLATFORMS),
       upper=st.booleans(), pipe=st.booleans())
def test_no_command_with_a_forbidden_word_is_allowed(prefix, bad, suffix, platform, upper, pipe):
    word = bad.upper() if upper else bad
    if bad in ARGUMENT_WORDS.get(platform, ()):
        # an argument of show: refused as the command and as a pipe name
        parts = [word, *prefix, *suffix] if not pipe else ["show", *prefix, "|", word, *suffix]
    else:
        parts = ["show", *prefix] + (["|", "include"] if pipe else []) + [word, *suffix]
    assert not check_command(" ".join(parts), platform).allowed


@hsettings(max_examples=300, deadline=None)
@given(text=st.text(max_size=60), bad=st.sampled_from(sorted(FORBIDDEN_CHARS) + ["\n", "\r", "\x00", "\x1b", "\x7f"]),
       pos=st.integers(min_value=0, max_value=60), platform=st.sampled_from(PLATFORMS))
def test_no_command_with_a_forbidden_character_is_allowed(text, bad, pos, platform):
    base = "show " + text
    cmd = base[:pos] + bad + base[pos:]
    assert not check_command(cmd, platform).allowed


@hsettings(max_examples=300, deadline=None)
@given(words=st.lists(st.sampled_from(["show", "ip", "bgp", "summary", "json", "route", "interface", "|", "include",
                                       "10.0.0.1", "ospf", "neighbor", "detail", "ver"]), min_size=1, max_size=8),
       seps=st.lists(st.sampled_from([" ", "  ", "   "]), min_size=8, max_size=8),
       platform=st.sampled_from(PLATFORMS))
def test_decisions_are_stable_under_whitespace_normalisation(words, seps, platform):
    spaced = "".join(w + s for w, s in zip(words, seps))
    a = check_command(spaced, platform)
    b = check_command(normalize(spaced), platform)
    assert (a.allowed, a.reason) == (b.allowed, b.reason)
    if a.allowed:
        assert check_command(a.command, platform).command == a.command


@hsettings(max_examples=200, deadline=None)
@given(text=st.text(max_size=300), platform=st.sampled_from(PLATFORMS))
def test_anything_allowed_is_short_printable_and_read_only(text, platform):
    d = check_command(text, platform)
    if d.allowed:
        assert len(text) <= MAX_COMMAND_LENGTH
        assert all(0x20 <= ord(c) <= 0x7E for c in text)
        head = d.command.split()[0]
        assert head in ("show", "ping", "traceroute", "ip", "uname", "hostname", "uptime", "cat", "ss", "vtysh")


def test_linux_vtysh_show_json_is_allowed_but_not_other_vtysh_uses():
    assert check_command("vtysh -c 'show bgp summary json'", "linux").allowed
    assert check_command('vtysh -c "show ip ospf neighbor json"', "linux").allowed
    for bad in ("vtysh", "vtysh -c 'conf t'", "vtysh -c 'show run' -c 'conf t'", "vty -c 'show run'",
                "vtysh -c 'show run' ; reboot"):
        assert not check_command(bad, "linux").allowed, bad
    assert not check_command("vtysh -c 'show run'", "frr").allowed


@pytest.mark.parametrize("platform, command", [
    ("juniper_junos", 'show interfaces terse | match "ge-0/0/0|ge-0/0/1"'),
    ("juniper_junos", 'show route | match "10.0.0.0|10.0.1.0" | count'),
    ("nokia_sros", 'show router interface | match "system|to-r2"'),
])
def test_a_pipe_inside_a_quoted_pattern_is_part_of_the_pattern(platform, command):
    d = check_command(command, platform)
    assert d.allowed, d.reason
    assert d.command.count("|") == command.count("|")


@pytest.mark.parametrize("platform, command", [
    ("linux", 'vtysh -c "show run | include password"'),           # a shell's quotes: vtysh would run the pipe
    ("juniper_junos", 'show route | match "x | request system reboot"'),  # a forbidden word is one anywhere
    ("juniper_junos", 'show route | match "a|b" | request system reboot'),
    ("juniper_junos", 'show route | match "a|b'),                    # unbalanced
])
def test_quotes_open_no_way_past_the_policy(platform, command):
    assert not check_command(command, platform).allowed
