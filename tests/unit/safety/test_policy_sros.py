"""The read-only policy on Nokia SR OS, pinned from the outside (this file's own cases, nothing
drawn from the product's tables).

SR OS specifics: the ``admin`` verb both displays the configuration and reboots, saves or writes
tech-support files, so only ``admin display-config`` (classic) and ``admin show configuration``
(MD-CLI) pass; ``tools``, ``file``, ``bof``, ``environment``, ``oam`` are refused anywhere;
``| match`` takes only its documented options; ``> file`` / ``>> file`` never pass; ping needs
``count N``. MD-CLI ``info`` needs context navigation (which would move the pooled session) and is
refused.
"""

from __future__ import annotations

import pytest

from netops.devices.policy import check_command, enforce
from netops.errors import PolicyViolation

P = "nokia_sros"

ALLOWED = [
    "show router bgp summary", "show router bgp summary all", 'show router "Base" bgp summary',
    "show router 100 bgp summary", "show router interface", "show router ospf neighbor", "show port",
    "show router route-table 10.0.0.1", "show router route-table ipv6 2001:db8::1", "show system information",
    "show chassis", "show version", "sh router interface",
    "admin display-config", "admin display-config detail", "admin show configuration",
    "admin show configuration flat", "admin show configuration full-context json",
    "admin display-config | match bgp", 'show router bgp summary | match "65001" pre-lines 1 post-lines 2',
    "show port | match Up ignore-case max-count 5", "show port | match Down invert-match", "show port | count",
    "show port | no-more", "show log log-id 99 | match 'OSPF' expression",
    "ping 10.0.0.1 count 5", "ping 10.0.0.1 rapid count 10", "ping 10.0.0.1 router 100 count 3",
    'ping 10.0.0.1 router-instance "vprn-cust-a" count 3 source 10.0.0.2', "ping 2001:db8::1 count 1 timeout 2",
    "traceroute 10.0.0.1", "traceroute 10.0.0.1 router 100 max-ttl 8 wait 2000",
    'traceroute 10.0.0.1 router-instance "vprn-cust-a" no-dns',
]


@pytest.mark.parametrize("command", ALLOWED)
def test_read_only_sros_commands_are_allowed(command):
    d = check_command(command, P)
    assert d.allowed, d.reason


def test_abbreviated_show_is_sent_in_full():
    assert check_command("sh  router   interface", P).command == "show router interface"
    assert enforce("sho port", P) == "show port"


@pytest.mark.parametrize("command, reason", [
    # "admin" does much more than display the configuration
    ("admin reboot", "'reboot'"), ("admin reboot now", "'reboot'"), ("admin save", "'save'"),
    ("admin save cf3:/backup.cfg", "'save'"), ("admin tech-support cf3:/ts.txt", "not a read-only"),
    ("admin redundancy force-switchover now", "not a read-only"), ("admin display-config index 1", "not a read-only"),
    ("admin rollback revert latest-rb", "'rollback'"), ("admin clear security lockout", "'clear'"),
    ("admin set-time 2024/01/01 00:00:00", "not a read-only"), ("admin disconnect", "not a read-only"),
    ("admin show configuration bof", "'bof'"), ("admin show configuration li", "not a read-only"),
    ("admin display-config > cf3:/x.cfg", "'>'"),
    ("admin", "not a read-only"), ("adm display-config", "not a read-only"),
    # state-changing verbs, whole or abbreviated
    ("tools perform router mpls resignal lsp x", "'tools'"), ("tools dump router ldp", "'tools'"),
    ("file delete cf3:/x", "'file'"), ("file dir", "'file'"), ("bof save", "'bof'"),
    ("environment no more", "'environment'"), ("oam lsp-ping prefix 10.0.0.2/32", "'oam'"),
    ("exec cf3:/script.txt", "'exec'"), ("configure router interface x shutdown", "'configure'"),
    ("clear router bgp neighbor all", "'clear'"), ("debug router bgp", "'debug'"), ("enable-admin", "'enable-admin'"),
    ("edit-config private", "'edit-config'"), ("candidate", "'candidate'"),
    ("con", "abbreviate 'configure'"), ("to", "abbreviate 'tools'"), ("fil dir", "abbreviate 'file'"),
    ("bo", "abbreviate 'bof'"), ("env no more", "abbreviate 'environment'"), ("oa", "abbreviate 'oam'"),
    ("cl router bgp neighbor all", "abbreviate 'clear'"),
    # redirection and unlisted filters
    ("show router interface > cf3:/x.txt", "'>'"), ("show router interface >> cf3:/x.txt", "'>'"),
    ("show port | file cf3:/x", "'file'"), ("show port | tee x", "'tee'"), ("show port | as-json", "pipe to 'as-json'"),
    ("show port | match Up foo", "'| match' does not take"), ("show port | match Up pre-lines x", "does not take"),
    ("show port | count 5", "'| count' does not take"), ("show port | no-more please", "does not take"),
    # MD-CLI context navigation and the other engine
    ("info", "not a read-only"), ("info /state router", "not a read-only"), ("//show port", "not a read-only"),
    ("/configure router", "not a read-only"), ("state router", "not a read-only"), ("back", "not a read-only"),
    # ping and traceroute
    ("ping 10.0.0.1", "count N"), ("ping 10.0.0.1 count 0", "between 1 and 10"),
    ("ping 10.0.0.1 count 11", "between 1 and 10"), ("ping 10.0.0.1 count 5 flood", "count N"),
    ("ping 10.0.0.1 10.0.0.2 count 5", "count N"), ("traceroute 10.0.0.1 10.0.0.2", "one destination"),
])
def test_sros_refusals(command, reason):
    d = check_command(command, P)
    assert not d.allowed, f"{command!r} was allowed"
    assert reason in d.reason, d.reason
    with pytest.raises(PolicyViolation):
        enforce(command, P)


@pytest.mark.parametrize("word", ["tools", "file", "bof", "environment", "oam", "enable-admin", "candidate",
                                  "configure", "clear", "reboot", "save", "exec", "debug"])
def test_state_changing_words_are_refused_in_any_position(word):
    for command in (f"show {word}", f"show router {word} summary", f"show port | match {word}", word):
        assert not check_command(command, P).allowed, command


def test_the_exact_refusal_reason_lists_the_sros_filters():
    assert check_command("show port | head 5", P).reason == (
        "pipe to 'head' is not allowed on nokia_sros (allowed: | match, | count, | no-more)")
    assert check_command("ping 10.0.0.1", P).reason == "ping needs 'count N' (N <= 10)"
    assert check_command("ping 10.0.0.1 count 3", P).reason == "ping with count 3"
