"""Device platforms: how netops talks to each kind of device and which commands are read-only.

``frr`` (FRRouting behind OpenSSH with a forced vtysh command) is driven over a plain SSH exec
channel. The others go through netmiko device types. Plugins can add platforms through the
``register_platforms`` hook with a :class:`PlatformSpec`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from netops.errors import InventoryError


@dataclass(frozen=True)
class PlatformSpec:
    """Everything platform-specific the policy and the transport need."""

    name: str
    vendor: str
    driver: Literal["exec", "netmiko"]
    """``exec``: one SSH exec request per command; ``netmiko``: an interactive CLI session."""
    netmiko_type: str | None = None
    allow: tuple[str, ...] = (r"show( .+)?",)
    """Regexes (full match, on the lower-cased, whitespace-normalised command before any pipe)."""
    verb_aliases: dict[str, str] = field(default_factory=lambda: {"sh": "show", "sho": "show"})
    """Abbreviations of read-only verbs that this CLI accepts, expanded before matching."""
    pipe_filters: dict[str, str | None] = field(default_factory=dict)
    """Allowed ``| filter`` names, each with a regex its arguments must match (``None``: any)."""
    ping: str | None = None
    """Regex for a ping with a count; group ``count`` is capped by ``max_ping_count``."""
    ping_refusal: str = "ping needs an explicit count"
    traceroute: str | None = None
    max_ping_count: int = 10
    forbidden_verbs: tuple[str, ...] = ()
    """Extra platform verbs that change state (checked as words and as abbreviations)."""
    leading_verbs: tuple[str, ...] = ()
    """Verbs that are dangerous only as the command itself, the first word (refused there and as
    its abbreviations) but ordinary words after it: NX-OS and IOS-XR ``run`` opens a shell, while
    ``show run`` is how every engineer types ``show running-config``. Safe to allow later in a
    command because the head must match :attr:`allow` and every pipe is allowlisted."""
    argument_words: tuple[str, ...] = ()
    """Forbidden words (common or this platform's) that are arguments after the read verb here, as
    :data:`netops.devices.policy.ARGUMENT_WORDS` are everywhere: IOS ``show archive log config all``
    while ``archive tar /create`` writes files. Still refused as the command and as a pipe name."""
    case_sensitive: bool = False
    """Match commands as typed (a shell: ``ping -C 5`` is not ``ping -c 5``); network CLIs fold case."""
    quoted_pipes: bool = False
    """The CLI reads a quoted string as one argument, a ``|`` in it included (Junos, SR OS
    ``| match "ge-0/0/0|ge-0/0/1"``). Elsewhere a quoted ``|`` is checked as a pipe like any other:
    IOS/NX-OS/EOS/XR/VRP/FRR take quotes as pattern characters or split at every ``|``."""


_IOS_FILTERS: dict[str, str | None] = {
    "include": None, "exclude": None, "begin": None, "section": None, "count": None, "i": None, "e": None,
}
_HOST = r"[a-z0-9][a-z0-9.:_-]*"
# "| utility X": only utilities that read their input and end (no xargs, no tail -f, no files).
_XR_UTILITY = (r"(?:head|tail)(?: -n)? \d{1,5}|(?:head|tail)|wc(?: -[lwc])?|sort(?: -[nru]+)?|uniq(?: -c)?"
               r"|(?:egrep|fgrep)(?: -[iv]+)? [^\s-]\S*")
# SR OS ping options that only shape the probes or pick the routing instance.
# Timing options are capped (interval/timeout in seconds): with count 10 they still end in minutes.
_SROS_OPT = (r"(rapid|detail|do-not-fragment|bypass-routing|source \S+|router \S+|router-instance \S+|"
             r"service-name \S+|size \d+|timeout \d{1,2}|interval \d|ttl \d+|tos \d+)")

# Huawei VRP ping/tracert options that only shape the probes or pick the source/VPN instance.
# -t (timeout) / -m (interval) / -w (tracert wait) are milliseconds: capped below 10 s per probe.
_VRP_PING_OPT = (r"(?:-a \S+|-s \d{1,5}|-t \d{1,4}|-vpn-instance \S+|-i \S+|-f|-h \d{1,3}|-m \d{1,4}"
                 r"|-tos \d{1,3}|-q|-v|-n)")
_VRP_TRACERT_OPT = r"(?:-a \S+|-f \d{1,2}|-m \d{1,2}|-p \d{1,5}|-q [1-5]|-vpn-instance \S+|-w \d{1,4}|-v|-name)"

PLATFORMS: dict[str, PlatformSpec] = {
    p.name: p
    for p in (
        PlatformSpec(
            name="frr", vendor="FRRouting", driver="exec",
            netmiko_type="cisco_ios",  # only for interactive use; commands go over exec
            allow=(r"show( .+)?",),
            # FRR 8.4 vtysh knows only "| include" (exclude/begin/section: "Unknown action").
            pipe_filters={"include": None},
            ping=None,
            ping_refusal="FRR's vtysh ping has no count option and never ends; use traceroute or a playbook",
            traceroute=rf"traceroute( ip| ipv6)? {_HOST}",
        ),
        PlatformSpec(
            name="cisco_ios", vendor="Cisco", driver="netmiko", netmiko_type="cisco_ios",
            pipe_filters=_IOS_FILTERS,
            # timeout (seconds per probe, up to 3600 on IOS) and ttl capped: the probe must end
            ping=rf"ping( ip| ipv6)? {_HOST} repeat (?P<count>\d+)( timeout \d)?( source \S+)?",
            ping_refusal="ping needs 'repeat N' (N <= 10)",
            traceroute=rf"traceroute( ip| ipv6)? {_HOST}( timeout \d)?( ttl \d{{1,2}} \d{{1,2}})?",
            forbidden_verbs=("tclsh", "archive", "event", "send", "test"),
            # "archive tar|download-sw|config" and "event manager run" act; "show archive log config
            # all" and "show event manager policy registered" read
            argument_words=("archive", "event", "config"),
        ),
        PlatformSpec(
            name="cisco_xr", vendor="Cisco", driver="netmiko", netmiko_type="cisco_xr",
            # show tech-support writes its archive to the router's disk (and runs for minutes).
            allow=(r"show(?! tec)( .+)?",),
            # XR pipes: include/exclude/begin, plus "utility" limited to utilities that only read
            # their input and end (| file and | append write to disk; | utility xargs runs commands).
            pipe_filters={"include": None, "exclude": None, "begin": None, "i": None, "e": None,
                          "utility": _XR_UTILITY},
            ping=(rf"ping( ipv4| ipv6)?( vrf \S+)? {_HOST} count (?P<count>\d+)"
                  r"(?: (?:size \d{1,5}|source \S+|timeout \d|df-bit|verbose))*"),
            ping_refusal="ping needs 'count N' (N <= 10)",
            traceroute=(rf"traceroute( ipv4| ipv6)?( vrf \S+)? {_HOST}"
                        r"(?: (?:source \S+|timeout \d|probe [1-5]|maxttl \d{1,2}|numeric))*"),
            # run: the Linux shell (eXR) or the QNX shell (classic XR); admin: the admin plane
            # (System Admin VM, reloads, installs); process: restart/crash/shutdown of processes.
            forbidden_verbs=("admin", "process", "crypto", "hw-module", "attach", "mkdir",
                             "rmdir", "scp", "sftp", "tftp", "ftp", "xml", "cfs", "file", "monitor",
                             "tech-support", "tech"),
            leading_verbs=("run",),
        ),
        PlatformSpec(
            name="arista_eos", vendor="Arista", driver="netmiko", netmiko_type="arista_eos",
            pipe_filters={**_IOS_FILTERS, "json": r"", "no-more": r""},
            ping=rf"ping( ip| ipv6)? {_HOST} repeat (?P<count>\d+)( source \S+)?",
            ping_refusal="ping needs 'repeat N' (N <= 10)",
            traceroute=rf"traceroute {_HOST}",
            forbidden_verbs=("follow",),  # "show logging follow" never ends (tail -f)
            argument_words=("reload",),  # "show reload cause": why the switch last rebooted
        ),
        PlatformSpec(
            name="cisco_nxos", vendor="Cisco", driver="netmiko", netmiko_type="cisco_nxos",
            pipe_filters={**_IOS_FILTERS, "json": r"", "json-pretty": r"", "no-more": r"",
                          "last": r"\d+", "head": r"(-n )?\d+"},
            ping=rf"ping( ipv6)? {_HOST} count (?P<count>\d+)( vrf \S+)?( source \S+)?( vrf \S+)?",
            ping_refusal="ping needs 'count N' (N <= 10)",
            traceroute=rf"traceroute( ipv6)? {_HOST}( vrf \S+)?",
            forbidden_verbs=("guestshell", "python", "python3", "tclsh", "event", "send", "test", "attach"),
            argument_words=("event",),  # "event manager run" acts; "show event manager ..." reads
            leading_verbs=("run",),  # "run bash"; "show run" is show running-config
        ),
        PlatformSpec(
            name="juniper_junos", vendor="Juniper", driver="netmiko", netmiko_type="juniper_junos",
            pipe_filters={
                "match": None, "except": None, "count": r"", "last": r"\d+", "find": None,
                "no-more": r"", "display": r"(json|xml|set)",
            },
            ping=rf"ping {_HOST} count (?P<count>\d+)( rapid)?( source \S+)?",
            ping_refusal="ping needs 'count N' (N <= 10)",
            traceroute=rf"traceroute {_HOST}( no-resolve)?",
            forbidden_verbs=("request", "start", "restart", "file", "load", "edit"),
            # "| display set" prints the configuration as set commands (display's arguments are pinned)
            argument_words=("set",),
            quoted_pipes=True,
        ),
        PlatformSpec(
            # Nokia SR OS (7750/7450/7250/7705): the classic CLI and the MD-CLI share "show ...".
            # "admin" also reboots, saves and writes tech-support files: only the two read-only
            # configuration displays are allowed. MD-CLI "info" needs context navigation (which
            # would move the pooled session), so it is not offered.
            name="nokia_sros", vendor="Nokia", driver="netmiko", netmiko_type="nokia_sros",
            allow=(r"show( .+)?", r"admin display-config( (detail|index))?",
                   r"admin show configuration( (flat|full-context|json|xml|detail))*"),
            pipe_filters={
                "match": r"(\"[^\"]*\"|'[^']*'|[^\s\"']+)"
                         r"( (ignore-case|invert-match|expression|(pre-lines|post-lines|max-count) \d+))*",
                "count": r"", "no-more": r"",
            },
            ping=rf"ping( ipv6)? {_HOST}(?: {_SROS_OPT})* count (?P<count>\d+)(?: {_SROS_OPT})*",
            ping_refusal="ping needs 'count N' (N <= 10)",
            traceroute=(rf"traceroute( ipv6)? {_HOST}(?: (router \S+|router-instance \S+|service-name \S+|"
                        r"source \S+|wait \d{1,4}|max-ttl \d{1,2}|min-ttl \d{1,2}|no-dns|detail))*"),
            # tools perform / file delete / bof save / environment (changes the pooled session) /
            # oam (test traffic beyond ping) / enable-admin / MD-CLI candidate edits.
            forbidden_verbs=("tools", "file", "bof", "environment", "oam", "enable-admin", "edit-config",
                             "candidate"),
            quoted_pipes=True,
        ),
        PlatformSpec(
            # Huawei VRP 5 / VRP 8 (NE, CX, CE, S, AR series), read-only from the user view.
            # netmiko "huawei" fits both (huawei_vrpv8 differs only in its two-stage commit, never used).
            # "display diagnostic-information [file]" runs for minutes and can write a file: refused.
            name="huawei_vrp", vendor="Huawei", driver="netmiko", netmiko_type="huawei",
            allow=(r"display( .+)?",),
            verb_aliases={"di": "display", "dis": "display", "disp": "display", "displ": "display",
                          "displa": "display"},
            # VRP 5 has begin/include/exclude; VRP 8 adds count and no-more (| append, | redirect
            # and "> file" write files; | refresh never ends).
            pipe_filters={"include": None, "exclude": None, "begin": None, "count": r"", "no-more": r""},
            ping=(rf"ping( ip| ipv6)?(?: {_VRP_PING_OPT})* -c (?P<count>\d+)(?: {_VRP_PING_OPT})* {_HOST}"
                  r"( -i \S+)?"),
            ping_refusal="ping needs '-c N' (N <= 10)",
            traceroute=rf"tracert( ipv6)?(?: {_VRP_TRACERT_OPT})* {_HOST}",
            # system-view/sys enter configuration; undo/reset change state; the file, patch and
            # terminal verbs; local-user/super touch accounts and privilege; stelnet/execute/file
            # transfer reach other hosts or run scripts; quit/return would move or end the pooled
            # session; screen-length is netmiko's to set.
            forbidden_verbs=("system-view", "sys", "undo", "reset", "move", "rename", "patch", "debugging",
                             "terminal", "screen-length", "local-user", "stelnet", "execute", "tftp", "ftp",
                             "scp", "sftp", "quit", "return", "super", "lock", "mkdir", "rmdir", "diagnose",
                             "diagnostic-information", "refresh"),
        ),
        PlatformSpec(
            name="linux", vendor="Linux", driver="netmiko", netmiko_type="linux",
            allow=(
                r"ip( -[46])?( -j)?( -br)? (addr|address|link|route|neigh|rule)( show( \S+)*)?",
                r"ip( -[46])?( -j)? route get \S+",
                r"ip( -j)? -s link( show( \S+)*)?",
                r"uname( -[a-z]+)?", r"hostname", r"uptime", r"cat /etc/os-release",
                r"ss -[tuanlp]+", r"vtysh -c (\"show [^\"]+\"|'show [^']+')",
            ),
            verb_aliases={},
            pipe_filters={},
            # matched as typed (case_sensitive): only the host name may be in capitals
            ping=rf"ping( -[46])? -c (?P<count>\d+)( -w \d{{1,2}})? (?i:{_HOST})",
            ping_refusal="ping needs '-c N' (N <= 10)",
            traceroute=rf"traceroute( -n)?( -m \d{{1,2}})? (?i:{_HOST})",
            forbidden_verbs=("sudo", "su", "rm", "mv", "sh", "python", "python3", "perl", "systemctl"),
            case_sensitive=True,
        ),
    )
}


def _registered() -> dict[str, PlatformSpec]:
    """Platforms registered through ``register_platforms`` (built-ins first; they win a clash)."""
    try:
        from netops.plugins import platforms as registered

        found = registered().items
    except Exception:  # plugin machinery broken: the device layer still knows the built-ins
        return dict(PLATFORMS)
    return {**found, **PLATFORMS}


def platform_names() -> list[str]:
    return sorted(_registered())


def get_platform(name: str) -> PlatformSpec:
    """The spec for ``name``; an unknown platform is an :class:`InventoryError` naming the valid ones."""
    specs = _registered()
    try:
        return specs[name]
    except KeyError:
        raise InventoryError(
            f"unknown platform {name!r}; known platforms: {', '.join(sorted(specs))}",
            hint="set 'platform:' to one of the known platforms in the inventory",
        ) from None


def compiled(pattern: str) -> re.Pattern[str]:
    return _compile(pattern)


_CACHE: dict[str, re.Pattern[str]] = {}


def _compile(pattern: str) -> re.Pattern[str]:
    rx = _CACHE.get(pattern)
    if rx is None:
        rx = _CACHE[pattern] = re.compile(pattern)
    return rx
