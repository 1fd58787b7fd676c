"""The read-only policy against what engineers actually type, per platform: 15-20 everyday
troubleshooting reads that must pass and the dangerous forms that must not. Cases are this file's
own (nothing drawn from the product's tables).

Over-blocks this pins (each refused before its fix): a globally forbidden word used as an argument
of the read verb, where it names something to show rather than an action:
* IOS-XR ``show install active|committed|inactive summary``, ``show configuration commit list``,
  ``show configuration rollback changes``; IOS-XE ``show install summary``; NX-OS ``show install
  all status``; EOS ``show install source``;
* Junos ``show system commit``, ``show system rollback 1 compare 0`` and ``| display set`` (the
  usual way to read a Junos configuration);
* ``ssh``/``telnet`` servers and sessions: VRP ``display ssh server status``, ``display ssh
  user-information``, IOS ``show ip ssh``, NX-OS ``show ssh server``, EOS ``show management ssh``,
  XR ``show ssh``, SR OS ``show system security ssh``;
* IOS ``show archive`` / ``show archive log config all`` and IOS/NX-OS ``show event manager ...``
  (``archive`` and ``event`` are refused as verbs: ``archive tar``, ``event manager run``);
* VRP 8 ``display configuration commit list``;
* EOS ``show reload cause`` (why the switch last rebooted; ``reload`` stays refused elsewhere).
The same words stay refused as the command (and abbreviated), as a pipe name and after any verb
that is not the read verb.
"""

from __future__ import annotations

import pytest

from netops.devices.policy import check_command, enforce
from netops.errors import PolicyViolation

READS = {
    "frr": [
        "show bgp summary", "show ip bgp summary json", "show bgp ipv4 unicast neighbors 10.0.0.1",
        "show ip bgp neighbors 10.0.0.1 received-routes", "show ip ospf neighbor", "show ip ospf database",
        "show isis neighbor", "show isis database", "show mpls ldp neighbor", "show mpls table",
        "show interface brief", "show ip arp", "show ip route vrf all", "show vrf", "show logging",
        "show version", "show bfd peers", "show thread cpu", "show evpn mac vni all",
    ],
    "cisco_ios": [
        "show ip bgp summary", "show bgp all summary", "show ip ospf neighbor", "show isis neighbors",
        "show mpls forwarding-table", "show mpls ldp neighbor", "show ip interface brief",
        "show interfaces GigabitEthernet0/0", "show lldp neighbors detail", "show ip arp",
        "show mac address-table", "show ip route vrf CUST", "show vrf", "show logging", "show version",
        "show inventory", "show environment all", "show processes cpu sorted", "show archive",
        "show archive log config all", "show event manager policy registered",
        "show event manager history events", "show install summary", "show install log", "show ip ssh",
        "show ssh", "show archive log config all | include router",
    ],
    "cisco_nxos": [
        "show bgp vrf all all summary", "show bgp l2vpn evpn summary", "show ip ospf neighbors",
        "show isis adjacency", "show mpls ldp neighbor", "show interface brief", "show lldp neighbors",
        "show ip arp vrf all", "show mac address-table", "show ip route vrf all", "show vrf",
        "show logging last 50", "show version", "show inventory", "show environment",
        "show processes cpu sort", "show install all status", "show event manager policy internal",
        "show ssh server", "show telnet server", "show vpc brief", "show run",
    ],
    "arista_eos": [
        "show ip bgp summary", "show bgp evpn summary", "show ip ospf neighbor", "show isis neighbors",
        "show mpls lfib route", "show interfaces status", "show interfaces counters errors",
        "show lldp neighbors", "show ip arp", "show mac address-table", "show ip route vrf all", "show vrf",
        "show logging last 100", "show version", "show inventory", "show environment all",
        "show processes top once", "show management ssh", "show install source",
        "show configuration sessions", "show reload cause", "show reload cause full",
    ],
    "juniper_junos": [
        "show bgp summary", "show bgp neighbor 10.0.0.1", "show ospf neighbor", "show isis adjacency",
        "show mpls lsp", "show ldp session", "show rsvp session", "show interfaces terse",
        "show interfaces ge-0/0/0 extensive", "show lldp neighbors", "show arp no-resolve",
        "show ethernet-switching table", "show route table inet.0 10.0.0.0/8", "show route instance",
        "show log messages | last 50", "show version", "show chassis hardware", "show chassis environment",
        "show system processes extensive", "show system commit", "show system commit revision",
        "show system rollback 1 compare 0", "show configuration | display set",
        "show configuration protocols bgp | display set", "show system services ssh",
    ],
    "cisco_xr": [
        "show bgp summary", "show bgp vrf all summary", "show ospf neighbor", "show isis adjacency",
        "show mpls forwarding", "show mpls ldp neighbor", "show ipv4 interface brief", "show lldp neighbors",
        "show arp", "show route vrf all", "show vrf all", "show logging", "show version", "show inventory",
        "show environment all", "show processes cpu", "show install active summary",
        "show install committed summary", "show install inactive summary", "show install log",
        "show install request", "show configuration commit list", "show configuration commit changes last 1",
        "show configuration rollback changes last 1", "show ssh", "show install active summary | include Label",
    ],
    "nokia_sros": [
        "show router bgp summary", "show router bgp neighbor 10.0.0.1", "show router ospf neighbor",
        "show router isis adjacency", "show router mpls lsp", "show router ldp session", "show port",
        "show port 1/1/1", "show router interface", "show system lldp neighbor", "show router arp",
        "show service fdb-mac", "show router route-table", "show service service-using", "show log log-id 99",
        "show version", "show chassis", "show card", "show system cpu", "show system security ssh",
    ],
    "huawei_vrp": [
        "display bgp peer", "display bgp vpnv4 all peer", "display ospf peer brief", "display isis peer",
        "display mpls ldp session", "display mpls lsp", "display interface brief", "display lldp neighbor brief",
        "display arp", "display mac-address", "display ip routing-table", "display ip vpn-instance",
        "display logbuffer", "display version", "display device", "display elabel", "display cpu-usage",
        "display ssh server status", "display ssh user-information", "display ssh server session",
        "display telnet server status", "display configuration commit list", "dis ssh server status",
    ],
}

DANGEROUS = {
    "frr": [
        "configure terminal", "conf t", "write memory", "copy running-config startup-config", "clear ip bgp *",
        "debug bgp updates", "ping 10.0.0.1", "reload", "show version | redirect x", "terminal length 0",
        "commit", "install x",
    ],
    "cisco_ios": [
        "configure terminal", "conf t", "write memory", "wr", "copy run start", "delete flash:x",
        "erase startup-config", "reload in 5", "clear ip bgp *", "debug ip bgp", "tclsh",
        "archive tar /create flash:x.tar flash:", "arch tar /create flash:x.tar flash:", "event manager run x",
        "install add file flash:x activate commit", "install activate", "inst activate", "install commit",
        "ping 10.0.0.1", "show tech-support", "ssh -l admin 10.0.0.1", "telnet 10.0.0.1",
        "configure replace flash:x", "show archive | redirect flash:x", "show archive | archive",
        "show install summary | install", "show ssh | ssh",
    ],
    "cisco_nxos": [
        "configure terminal", "copy run start", "reload", "install all nxos bootflash:x", "install deactivate x",
        "run bash", "guestshell", "python", "clear ip bgp *", "ping 10.0.0.1", "show tech-support",
        "show install all impact nxos bootflash:x", "sh ins all imp nxos bootflash:x", "show install impact",
        "event manager run x", "ssh 10.0.0.1", "rollback running-config checkpoint x",
        "show run > bootflash:x", "show event manager policy internal | event",
    ],
    "arista_eos": [
        "configure", "configure session x", "write", "copy running-config startup-config", "reload", "bash",
        "run bash", "clear ip bgp *", "show logging follow", "show tech-support", "ping 10.0.0.1",
        "install source flash:x", "ssh 10.0.0.1", "delete flash:x", "show run | redirect flash:x",
        "reload now", "reload in 5", "rel", "show reload cause | reload",
        "show install source | append flash:x",
    ],
    "juniper_junos": [
        "configure", "configure private", "edit", "commit", "commit confirmed 5", "com", "rollback 1",
        "request system reboot", "request system software add x", "start shell", "file delete x",
        "restart routing", "monitor traffic interface ge-0/0/0", "ping 10.0.0.1", "clear bgp neighbor all",
        "load merge x", "show configuration | save /var/tmp/x", "show log messages | refresh 1",
        "ssh 10.0.0.1", "telnet 10.0.0.1", "show system commit | save x", "set cli screen-length 0",
        "show configuration | display set | save x", "show system commit | commit", "show route | set",
        "show configuration | display set | display set x",
    ],
    "cisco_xr": [
        "configure", "configure exclusive", "commit", "commit replace", "rollback configuration last 1",
        "install activate id 5", "install commit", "install add source harddisk: x", "inst activate x",
        "install remove inactive all", "admin reload location all", "reload", "process restart bgp", "run ls",
        "bash", "clear bgp *", "ping 10.0.0.1", "monitor interface", "show tech-support", "copy running-config disk0:x",
        "hw-module location 0/0/CPU0 reload", "ssh 10.0.0.1", "show logging | file disk0:x",
        "show install active summary | file disk0:x", "show configuration commit list | utility tail -f",
        "show install log | install", "show install | append x",
    ],
    "nokia_sros": [
        "configure router bgp shutdown", "admin save", "admin reboot now", "tools perform router bgp clear",
        "file delete cf3:/x", "bof save", "environment no more", "oam lsp-ping x", "clear router bgp neighbor all",
        "debug router bgp", "ping 10.0.0.1", "edit-config private", "commit", "ssh 10.0.0.1", "telnet 10.0.0.1",
        "admin rollback revert latest-rb", "show port > cf3:/x",
    ],
    "huawei_vrp": [
        "system-view", "save", "reboot", "reset bgp all", "undo debugging all", "debugging bgp all", "commit",
        "rollback configuration to label x", "delete flash:/x.cfg", "copy flash:/a flash:/b",
        "ssh client first-time enable", "stelnet 10.0.0.1", "telnet 10.0.0.1", "ssh 10.0.0.1", "ping 10.0.0.1",
        "display diagnostic-information", "quit", "display ssh server status | append x",
        "display ssh server status | ssh", "display logbuffer | refresh",
    ],
}

# the words opened as arguments of the read verb, and each platform's read verb
_ARGUMENT_WORDS = ("commit", "install", "rollback", "ssh", "telnet")
_READ_VERB = {"huawei_vrp": "display"}


@pytest.mark.parametrize("platform,command", [(p, c) for p, cs in READS.items() for c in cs])
def test_everyday_troubleshooting_reads_pass(platform, command):
    d = check_command(command, platform)
    assert d.allowed, f"{command!r} refused on {platform}: {d.reason}"


@pytest.mark.parametrize("platform,command", [(p, c) for p, cs in DANGEROUS.items() for c in cs])
def test_dangerous_forms_are_refused(platform, command):
    d = check_command(command, platform)
    assert not d.allowed, f"{command!r} was allowed on {platform}"
    assert d.reason and "\n" not in d.reason
    with pytest.raises(PolicyViolation):
        enforce(command, platform)


@pytest.mark.parametrize("platform", sorted(READS))
@pytest.mark.parametrize("word", _ARGUMENT_WORDS)
def test_an_argument_word_is_refused_as_the_command_as_a_pipe_and_after_another_verb(platform, word):
    read = _READ_VERB.get(platform, "show")
    for command in (word, f"{word} x", f"{word.upper()} x", f"{read} version | {word}",
                    f"{read} version | {word} x", f"{read}({word}) x", f"{read},{word}", f"x {word}",
                    f"ping {word} count 5", f"traceroute {word}", f"tracert {word}"):
        d = check_command(command, platform)
        assert not d.allowed, f"{command!r} was allowed on {platform}"


@pytest.mark.parametrize("platform", sorted(READS))
@pytest.mark.parametrize("word", _ARGUMENT_WORDS)
def test_an_argument_word_passes_after_the_read_verb(platform, word):
    read = _READ_VERB.get(platform, "show")
    for command in (f"{read} {word}", f"{read} x {word} y", f"{read} {word.upper()} summary"):
        d = check_command(command, platform)
        assert d.allowed, (command, platform, d.reason)


@pytest.mark.parametrize("command", ["vtysh -c 'show install'", "vtysh -c 'show commit'", "ip ssh", "ssh x"])
def test_argument_words_are_not_opened_on_linux(command):
    assert not check_command(command, "linux").allowed


# -- property: an argument word in an allowed command is never the command nor a pipe's name -----
from hypothesis import given, settings as hsettings, strategies as st  # noqa: E402

_HEADS = ["show", "sh", "display", "dis", "install", "commit", "rollback", "ssh", "telnet", "inst", "com",
          "ping", "vtysh -c", "admin", "run", "request", "x"]
_PIECES = ["install", "commit", "rollback", "ssh", "telnet", "archive", "event", "set", "config", "INSTALL",
           "activate", "summary", "active", "|", "| include", "| match", "| display", "| display set", "| install",
           "| commit", "(commit)", "'ssh'", "x,install", "count 5", "10.0.0.1", "all", "impact", "log", "manager",
           "run", "tar", "/create", "server", "status"]
_PLATFORMS = tuple(READS) + ("linux",)


@hsettings(max_examples=500, deadline=None)
@given(head=st.sampled_from(_HEADS), pieces=st.lists(st.sampled_from(_PIECES), max_size=6),
       platform=st.sampled_from(_PLATFORMS))
def test_an_allowed_command_holds_argument_words_only_after_the_read_verb(head, pieces, platform):
    import re

    command = " ".join([head, *pieces])
    d = check_command(command, platform)
    if not d.allowed:
        assert d.reason and "\n" not in d.reason
        return
    segments = [s.split() for s in d.command.lower().split("|")]
    words = ("install", "commit", "rollback", "ssh", "telnet", "archive", "event", "set", "config")
    if any(w in re.split(r"[\s|'\"(),]+", d.command.lower()) for w in words):
        assert segments[0][0] in ("show", "display"), d.command
    for seg in segments:
        assert not any(w in re.split(r"[(),'\"]+", seg[0]) for w in words), d.command
    if platform == "cisco_nxos":
        assert not re.match(r"show ins\S*( a\S*)? imp", d.command.lower()), d.command


def test_an_argument_word_is_refused_as_a_pipe_name_even_where_a_platform_lists_that_pipe():
    """A plugin platform that allowlists a pipe named like an action still cannot run it."""
    from netops.devices.platforms import PlatformSpec

    spec = PlatformSpec(name="plugin_os", vendor="x", driver="netmiko", pipe_filters={"commit": None, "include": None})
    assert check_command("show version | include commit", spec).allowed
    d = check_command("show version | commit", spec)
    assert not d.allowed and d.reason == "'commit' is not allowed in a read-only command"
