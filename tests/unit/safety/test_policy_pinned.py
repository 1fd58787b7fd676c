"""The read-only command policy, pinned from the outside with this file's own refusal cases.

Nothing here is drawn from the product's lists (FORBIDDEN_WORDS, FORBIDDEN_CHARS, the platform
tables): a word or character dropped from the product must turn one of these cases green->red.
"""

from __future__ import annotations

import pytest

from netops.devices.policy import check_command, enforce
from netops.errors import PolicyViolation

PLATFORMS = ("frr", "cisco_ios", "arista_eos", "cisco_nxos", "juniper_junos", "linux", "cisco_xr")

# Words that change state (or escape to a shell) on every platform, in any position.
WORDS_EVERYWHERE = (
    "configure", "config", "conf", "write", "wr", "copy", "reload", "reboot", "delete", "erase",
    "format", "clear", "debug", "undebug", "shell", "start-shell", "bash", "exec",
    "set", "unset", "shutdown", "squeeze", "upgrade", "tclsh",
    "rm", "redirect", "tee", "append", "save",
)
# Words that change state as the command but name what a read shows after the read verb
# ("show install active summary", "show system commit", "display ssh server status"): refused as
# the command, as a pipe name and after any other verb; arguments of show/display.
ARGUMENT_WORDS = ("commit", "install", "rollback", "ssh", "telnet")
ARGUMENT_WORDS_PER_PLATFORM = {
    # "archive tar", "event manager run" act; "show archive log config all", "show event manager ..." read
    "cisco_ios": ("archive", "event", "config"), "cisco_nxos": ("event",),
    "juniper_junos": ("set",),  # show configuration | display set
    "arista_eos": ("reload",),  # show reload cause (why the switch last rebooted)
}
# Extra verbs per platform (refused as words there).
WORDS_PER_PLATFORM = {
    "cisco_ios": ("tclsh", "send", "test"),
    "cisco_nxos": ("guestshell", "python", "python3", "tclsh", "send", "test", "attach"),
    "juniper_junos": ("request", "start", "restart", "file", "load", "edit"),
    "linux": ("sudo", "su", "rm", "mv", "sh", "python", "python3", "perl", "systemctl"),
    # IOS-XR: run = the shell; admin = the admin plane; process restart/crash; crypto key
    # generate/zeroize; hw-module reload/shutdown; file transfer; | file redirects; monitor never ends;
    # show tech-support writes an archive to the router's disk.
    "cisco_xr": ("admin", "process", "crypto", "hw-module", "attach", "mkdir", "rmdir", "scp", "sftp",
                 "tftp", "ftp", "xml", "cfs", "file", "monitor", "tech-support", "tech"),
}
# Verbs refused as the command itself (and abbreviated) but ordinary words after it:
# NX-OS/IOS-XR "run" opens a shell, while "show run" is show running-config.
LEADING_PER_PLATFORM = {"cisco_nxos": ("run",), "cisco_xr": ("run",)}
CHARS = (";", "!", "`", "$", "&", ">", "<", "#", "\\", "\n", "\r", "\x00", "\x1b", "\x7f", "\t")

# Shell redirects and pipes to filters a platform does not allowlist.
REDIRECTS = [
    ("linux", "ip addr show > /etc/motd"),
    ("linux", "ip addr show >> /etc/motd"),
    ("linux", "ip addr show>/etc/motd"),
    ("linux", "ip route show 2> /tmp/x"),
    ("linux", "ip addr show < /etc/passwd"),
    ("linux", "ip addr show | sh"),
    ("linux", "ip addr show | tee /etc/motd"),
    ("linux", "ip addr show | cat"),
    ("linux", "ip addr show | grep eth0"),
    ("linux", "cat /etc/os-release | xargs rm"),
    ("frr", "show running-config > /tmp/x"),
    ("frr", "show running-config >> /tmp/x"),
    ("frr", "show running-config | exclude bgp"),
    ("frr", "show running-config | begin bgp"),
    ("frr", "show running-config | section bgp"),
    ("frr", "show running-config | wc -l"),
    ("cisco_ios", "show running-config > flash:x"),
    ("cisco_ios", "show running-config | redirect flash:x"),
    ("cisco_ios", "show running-config | append flash:x"),
    ("cisco_ios", "show running-config | tee flash:x"),
    ("cisco_ios", "show running-config | save flash:x"),
    ("cisco_ios", "show running-config | json"),
    ("arista_eos", "show running-config > flash:x"),
    ("arista_eos", "show running-config | bash"),
    ("cisco_nxos", "show running-config > bootflash:x"),
    ("cisco_nxos", "show running-config | python"),
    ("juniper_junos", "show configuration | save /var/tmp/x"),
    ("juniper_junos", "show configuration | display set | save x"),
    ("juniper_junos", "show configuration | compare rollback 1"),
    ("juniper_junos", "show configuration | load merge terminal"),
    ("cisco_xr", "show running-config | file disk0:/x.cfg"),
    ("cisco_xr", "show running-config | append disk0:/x.cfg"),
    ("cisco_xr", "show running-config > disk0:/x.cfg"),
    ("cisco_xr", "show running-config | utility xargs rm"),
    ("cisco_xr", "show running-config | utility cp disk0:/a disk0:/b"),
    ("cisco_xr", "show running-config | section router bgp"),
    ("cisco_xr", "show running-config | count"),
    ("cisco_xr", "show running-config | json"),
]

# An allowlisted filter with arguments it does not take.
FILTER_ARGUMENTS = [
    ("juniper_junos", "show interfaces | display html"),
    ("juniper_junos", "show interfaces | display json extra"),
    ("juniper_junos", "show interfaces | count 5"),
    ("juniper_junos", "show interfaces | last many"),
    ("juniper_junos", "show interfaces | no-more please"),
    ("cisco_nxos", "show interface | json now"),
    ("cisco_nxos", "show interface | last ten"),
    ("cisco_nxos", "show interface | head -c 10"),
    ("cisco_nxos", "show interface | head -n x"),
    ("arista_eos", "show interfaces | json yes"),
    ("arista_eos", "show interfaces | no-more x"),
    ("cisco_xr", "show logging | utility tail -f"),
    ("cisco_xr", "show logging | utility tail -n x"),
    ("cisco_xr", "show logging | utility egrep -f /etc/x"),
    ("cisco_xr", "show logging | utility less"),
    ("cisco_xr", "show logging | utility"),
]

# The allowlisted forms of the same commands (so the refusals above are about the added part).
ALLOWED = [
    ("linux", "ip addr show"), ("linux", "ip route show"), ("linux", "cat /etc/os-release"),
    ("frr", "show running-config"), ("frr", "show running-config | include bgp"),
    ("cisco_ios", "show running-config"), ("cisco_ios", "show running-config | include bgp"),
    ("arista_eos", "show interfaces | json"), ("arista_eos", "show interfaces | no-more"),
    ("cisco_nxos", "show interface | json"), ("cisco_nxos", "show interface | last 10"),
    ("cisco_nxos", "show interface | head -n 5"), ("cisco_nxos", "show interface | head 5"),
    ("juniper_junos", "show interfaces | display json"), ("juniper_junos", "show interfaces | display xml"),
    ("juniper_junos", "show interfaces | count"),
    ("juniper_junos", "show interfaces | last 20"), ("juniper_junos", "show interfaces | no-more"),
    ("juniper_junos", "show interfaces | match ge-0/0/0"),
    ("cisco_xr", "show running-config"), ("cisco_xr", "show running-config | include bgp"),
    ("cisco_xr", "show running-config | exclude description"), ("cisco_xr", "show running-config | begin router bgp"),
    ("cisco_xr", "show logging | utility tail -n 20"), ("cisco_xr", "show logging | utility wc -l"),
    ("cisco_xr", "show logging | utility egrep -i BGP-5"), ("cisco_xr", "show bgp all all summary"),
    ("cisco_xr", "show route ipv6 2001:db8::1"), ("cisco_xr", "show ospf vrf all-inclusive neighbor"),
]


@pytest.mark.parametrize("platform,command", ALLOWED)
def test_the_plain_forms_are_allowed(platform, command):
    d = check_command(command, platform)
    assert d.allowed, d.reason
    assert d.command == command


@pytest.mark.parametrize("platform,command", REDIRECTS)
def test_redirects_and_pipes_to_unlisted_filters_are_refused(platform, command):
    d = check_command(command, platform)
    assert not d.allowed, f"{command!r} on {platform} was allowed"
    assert d.reason
    with pytest.raises(PolicyViolation):
        enforce(command, platform)


def test_ip_addr_show_redirected_to_motd_is_refused_on_linux_for_the_redirect():
    d = check_command("ip addr show > /etc/motd", "linux")
    assert not d.allowed
    assert "redirect" in d.reason and "'>'" in d.reason
    d = check_command("ip addr show < /etc/motd", "linux")
    assert not d.allowed and "'<'" in d.reason


@pytest.mark.parametrize("platform,command", FILTER_ARGUMENTS)
def test_arguments_of_allowlisted_filters_are_checked(platform, command):
    d = check_command(command, platform)
    assert not d.allowed, f"{command!r} on {platform} was allowed"
    name = command.split("|")[-1].split()[0]
    assert f"'| {name}' does not take" in d.reason


def _arguments(platform: str) -> tuple[str, ...]:
    return ARGUMENT_WORDS + ARGUMENT_WORDS_PER_PLATFORM.get(platform, ())


@pytest.mark.parametrize("platform,word", [(p, w) for p in PLATFORMS for w in WORDS_EVERYWHERE
                                           if w not in _arguments(p)])
def test_state_changing_words_are_refused_everywhere_in_any_position(platform, word):
    for command in (f"show {word}", f"show ip bgp {word} summary", f"show version | include {word}",
                    f"show {word.upper()} x", f"{word} x"):
        d = check_command(command, platform)
        assert not d.allowed, f"{command!r} allowed on {platform}"


@pytest.mark.parametrize("platform,word", [(p, w) for p, ws in WORDS_PER_PLATFORM.items() for w in ws])
def test_platform_verbs_are_refused_as_words(platform, word):
    for command in (f"show {word}", f"show version | include {word}", word):
        d = check_command(command, platform)
        assert not d.allowed, f"{command!r} allowed on {platform}"


@pytest.mark.parametrize("platform,word", [(p, w) for p in PLATFORMS for w in _arguments(p)])
def test_argument_words_are_refused_as_the_command_as_a_pipe_and_after_other_verbs(platform, word):
    for command in (word, f"{word} x", f"{word.upper()} x", f"show version | {word}", f"show version | {word} x",
                    f"show({word})", f"vtysh -c 'show {word}'", f"ip {word} show", f"ping {word} repeat 5"):
        d = check_command(command, platform)
        assert not d.allowed, f"{command!r} allowed on {platform}"


@pytest.mark.parametrize("platform,word", [(p, w) for p in PLATFORMS if p != "linux" for w in _arguments(p)])
def test_argument_words_pass_after_show(platform, word):
    for command in (f"show {word}", f"show ip bgp {word} summary", f"sh {word.upper()} x",
                    f"show version | {'match' if platform == 'juniper_junos' else 'include'} {word}"):
        d = check_command(command, platform)
        assert d.allowed, (platform, command, d.reason)


@pytest.mark.parametrize("platform", PLATFORMS)
@pytest.mark.parametrize("ch", CHARS)
def test_forbidden_characters_are_refused_anywhere(platform, ch):
    base = "show version" if platform != "linux" else "ip addr show"
    for cmd in (base + ch, ch + base, base.replace(" ", f" {ch}", 1), base + f" x{ch}y"):
        d = check_command(cmd, platform)
        assert not d.allowed, f"{cmd!r} allowed on {platform}"


@pytest.mark.parametrize("platform,command,reason", [
    ("cisco_ios", "confi t", "abbreviate 'configure'"),
    ("cisco_ios", "wri mem", "abbreviate 'write'"),
    ("cisco_ios", "cop run start", "abbreviate 'copy'"),
    ("cisco_ios", "relo", "abbreviate 'reload'"),
    ("cisco_ios", "del flash:x", "abbreviate 'delete'"),
    ("cisco_ios", "term len 0", "abbreviate 'terminal'"),
    ("cisco_ios", "en", "abbreviate 'enable'"),
    ("arista_eos", "deb ip packet", "abbreviate 'debug'"),
    ("juniper_junos", "req system reboot", "'reboot'"),
    ("juniper_junos", "edi", "abbreviate 'edit'"),
    ("frr", "vty", "abbreviate 'vtysh'"),
    ("linux", "vtysh", "may abbreviate 'vtysh'"),
    ("cisco_xr", "conf t", "'conf'"), ("cisco_xr", "confi t", "abbreviate 'configure'"),
    ("cisco_xr", "adm", "abbreviate 'admin'"), ("cisco_xr", "proc restart bgp", "abbreviate 'process'"),
    ("cisco_xr", "hw-mod fpd location all", "abbreviate 'hw-module'"),
    ("cisco_xr", "cry key zeroize rsa", "abbreviate 'crypto'"), ("cisco_xr", "inst activate x", "abbreviate 'install'"),
    ("cisco_xr", "cle bgp *", "abbreviate 'clear'"), ("cisco_xr", "rollb configuration last 1", "abbreviate 'rollback'"),
    ("cisco_xr", "com", "abbreviate 'commit'"), ("cisco_xr", "mon interface", "abbreviate 'monitor'"),
])
def test_abbreviated_dangerous_verbs_are_refused(platform, command, reason):
    d = check_command(command, platform)
    assert not d.allowed and reason in d.reason, d.reason


@pytest.mark.parametrize("platform,command,reason", [
    ("frr", "", "empty"), ("frr", "   ", "empty"), ("frr", "show version | ", "empty pipe"),
    ("frr", "show version || include x", "empty pipe"), ("frr", "| include x", "empty pipe"),
    ("frr", "show " + "a" * 252, "longer than 256"), ("frr", "show vérsion", "non-ASCII"),
    ("frr", "show\x01version", "control character 0x01"), ("frr", "show\x1fversion", "control character 0x1f"),
    ("frr", "show\x7fversion", "control character 0x7f"), ("frr", "show version\n", "newlines"),
    ("frr", "ping 198.51.100.1", "no count"), ("cisco_ios", "ping 198.51.100.1 repeat 0", "between 1 and 10"),
    ("cisco_ios", "ping 198.51.100.1 repeat 11", "between 1 and 10"),
    ("linux", "ping -c 11 198.51.100.1", "between 1 and 10"), ("linux", "ping 198.51.100.1", "-c N"),
    ("frr", "traceroute 198.51.100.1 198.51.100.2", "one destination"),
    ("cisco_ios", "dir flash:", "not a read-only command allowed on cisco_ios"),
    ("linux", "cat /etc/shadow", "not a read-only command allowed on linux"),
    ("cisco_xr", "ping 198.51.100.1", "count N"), ("cisco_xr", "ping 198.51.100.1 count 11", "between 1 and 10"),
    ("cisco_xr", "ping 198.51.100.1 count 5 repeat 100", "count N"),
    ("cisco_xr", "traceroute 198.51.100.1 probe 100", "one destination"),
    ("cisco_xr", "dir disk0:", "not a read-only command allowed on cisco_xr"),
    ("cisco_xr", "show running-config | b router", "pipe to 'b' is not allowed on cisco_xr"),
    ("cisco_xr", "show tec", "not a read-only command allowed on cisco_xr"),
    ("cisco_xr", "sh tech-sup routing bgp", "not a read-only command allowed on cisco_xr"),
])
def test_refusal_reasons(platform, command, reason):
    d = check_command(command, platform)
    assert not d.allowed and reason in d.reason, d.reason


@pytest.mark.parametrize("platform,command,sent", [
    ("frr", "show  bgp   summary json", "show bgp summary json"),
    ("cisco_ios", "sh ip  bgp", "show ip bgp"),
    ("cisco_ios", "sho ver | i Version", "show ver | i Version"),
    ("cisco_ios", "ping 198.51.100.1 repeat 1", "ping 198.51.100.1 repeat 1"),
    ("cisco_ios", "ping 198.51.100.1 repeat 10", "ping 198.51.100.1 repeat 10"),
    ("linux", "ping -c 10 198.51.100.1", "ping -c 10 198.51.100.1"),
    ("cisco_xr", "sh  bgp all all  summary", "show bgp all all summary"),
    ("cisco_xr", "ping vrf CUST-A 198.51.100.1 count 5 source Loopback0",
     "ping vrf CUST-A 198.51.100.1 count 5 source Loopback0"),
    ("cisco_xr", "ping ipv6 2001:db8::1 count 2", "ping ipv6 2001:db8::1 count 2"),
    ("cisco_xr", "traceroute vrf CUST-A 198.51.100.1 maxttl 10", "traceroute vrf CUST-A 198.51.100.1 maxttl 10"),
    ("frr", "show " + "a" * 251, "show " + "a" * 251),
])
def test_allowed_commands_are_sent_normalised(platform, command, sent):
    d = check_command(command, platform)
    assert d.allowed, d.reason
    assert d.command == sent
    assert enforce(command, platform) == sent
    assert bool(d) is True
    assert bool(check_command("conf t", platform)) is False


def test_reasons_for_allowed_commands():
    assert check_command("ping 198.51.100.1 repeat 3", "cisco_ios").reason == "ping with count 3"
    assert check_command("traceroute 198.51.100.1", "frr").reason == "bounded traceroute"
    assert check_command("show version", "frr").reason == "read-only command on the allowlist"


def test_enforce_message_names_the_command_and_reason():
    with pytest.raises(PolicyViolation) as ei:
        enforce("show run > x", "frr")
    assert "refused 'show run > x'" in ei.value.message and "redirect" in ei.value.message
    assert ei.value.hint


@pytest.mark.parametrize("platform,command,reason", [
    ("frr", "", "empty command"),
    ("frr", "show version\nshow x", "newlines are not allowed (one command at a time)"),
    ("frr", "show version | | include x", "empty pipe segment"),
    ("frr", "show version | wc -l", "pipe to 'wc' is not allowed on frr (allowed: | include)"),
    ("linux", "ip addr show | grep x", "pipe to 'grep' is not allowed on linux (allowed: none)"),
    ("juniper_junos", "show version | xargs",
     "pipe to 'xargs' is not allowed on juniper_junos (allowed: | match, | except, | count, | last, | find, "
     "| no-more, | display)"),
    ("frr", "show write|include x", "'write' is not allowed in a read-only command"),
    ("frr", "show x|write", "'write' is not allowed in a read-only command"),
])
def test_exact_refusal_reasons(platform, command, reason):
    assert check_command(command, platform).reason == reason


def test_not_a_string_is_an_empty_command():
    assert check_command(None, "frr").reason == "empty command"  # type: ignore[arg-type]
    assert check_command(b"show version", "frr").reason == "empty command"  # type: ignore[arg-type]


def test_tilde_is_printable_ascii_and_allowed():
    d = check_command("show running-config | include ~", "frr")
    assert d.allowed and d.command == "show running-config | include ~"


def test_a_platform_spec_can_be_passed_directly():
    from netops.devices.platforms import get_platform

    spec = get_platform("cisco_ios")
    assert check_command("sh ver", spec).command == "show ver"
    assert not check_command("conf t", spec).allowed
    assert enforce("sh ver", spec) == "show ver"


def test_enforce_hint_points_to_playbooks():
    with pytest.raises(PolicyViolation) as ei:
        enforce("conf t", "frr")
    assert ei.value.hint == "only read-only commands run through show/state; changes go through vetted playbooks"


@pytest.mark.parametrize("platform", sorted(LEADING_PER_PLATFORM))
def test_leading_verbs_are_refused_as_the_command_but_not_as_an_argument(platform):
    from netops.devices.platforms import get_platform

    assert get_platform(platform).leading_verbs == LEADING_PER_PLATFORM[platform]
    for verb in LEADING_PER_PLATFORM[platform]:
        for command in (f"{verb} bash", f"{verb} ls /misc/config", verb, f"{verb.upper()} bash", f"{verb[:2]} bash"):
            d = check_command(command, platform)
            assert not d.allowed and "\n" not in d.reason, (platform, command)
    for command in ("show run", "sh run", "show run | include bgp", "show run interface Ethernet1/1"):
        d = check_command(command, platform)
        assert d.allowed, (platform, command, d.reason)
