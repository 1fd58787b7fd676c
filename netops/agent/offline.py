"""Answers without a model: the intent router picks one read-only tool or a retrieval answer."""

from __future__ import annotations
import ipaddress

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Callable

from netops.agent.prompts import NO_MODEL
from netops.agent.router import route
from netops.agent.tools import ToolBox, ToolContext
from netops.errors import NetopsError

if TYPE_CHECKING:
    from netops.assistant import Answer

LABEL = "offline answer (no language model used)"
CONFIG_CHARS = 3000
"""At most this much of a configuration goes into an offline answer; the rest is counted."""


def inventory_hosts(devices: Any) -> list[str]:
    """The inventory's host names, or none when there is no (readable) inventory."""
    try:
        return [h.name for h in devices.inventory]
    except Exception:  # no inventory yet: only spec questions can be routed
        return []


def inventory_groups(devices: Any) -> dict[str, list[str]]:
    """Each inventory group (direct or inherited) -> its hosts, in inventory order."""
    out: dict[str, list[str]] = {}
    try:
        for h in devices.inventory:
            for g in h.all_groups:
                out.setdefault(g, []).append(h.name)
    except Exception:  # no inventory: no groups
        return {}
    return out


def device_index(devices: Any) -> Any:
    """What identifies each inventory host besides its name (:class:`~netops.agent.device_refs.DeviceIndex`),
    or None without a readable inventory."""
    from netops.agent.device_refs import DeviceIndex

    try:
        return DeviceIndex.from_inventory(devices.inventory)
    except Exception:  # no inventory: names only
        return None


def _no_hosts_note(settings: Any, hosts: list[str], reason: str | None, question: str | None = None) -> str | None:
    """Why a question that looked for a device found none: a missing or broken inventory must
    not silently turn "bgp neighbours on r1" into an RFC search. With ``question``, only one that
    reads like a device question gets it ("show bgp summary", "are my bgp neighbours up?"; not
    "ospf dead interval?", which names a protocol and asks nothing of a device)."""
    if hosts or not reason:
        return None
    from netops.agent.router import device_like

    if question is not None and not device_like(question):
        return None
    path = settings.paths.inventory
    if not path.exists():
        return f"no device inventory at {path} (netops lab up, or set NETOPS_INVENTORY)"
    return f"no hosts from the inventory {path} (netops devices list says why)"


def duration(seconds: float) -> str:
    """``3d04h05m``, ``2h03m``, ``4m05s``, ``12s``: how engineers read an uptime."""
    s = int(seconds)
    d, s = divmod(s, 86400)
    h, s = divmod(s, 3600)
    m, s = divmod(s, 60)
    if d:
        return f"{d}d{h:02d}h{m:02d}m"
    if h:
        return f"{h}h{m:02d}m"
    return f"{m}m{s:02d}s" if m else f"{s}s"


# a description that is one name ("r2", "ix-peer.lon1"): said beside the peer as its name
_LABEL = re.compile(r"[\w.@/:+-]{1,40}")


def _named(description: str | None) -> str:
    """A peer's description beside its address, where the device put a name: `` (r2)``."""
    return f" ({description})" if description and _LABEL.fullmatch(description) else ""


def _described(description: str | None) -> str:
    """A description that is more than a name, on a line of its own under the row, quoted as the
    device's text (adv36: a neighbour description made r1's row read "198.51.100.2 AS65002 (r2): Idle
    (admin down: shut by configuration): Established" on the lab, and the answer check, finding "Idle"
    beside the address, called a model's "198.51.100.2 is Idle" supported)."""
    from netops.controls import inline

    if not description or _LABEL.fullmatch(description):
        return ""
    return '\n  - its description (the device\'s text): "' + inline(description).replace('"', "'") + '"'


def _bgp_row(n: Any, flaps: Any = False) -> str:
    up = (f", up {duration(n.uptime_seconds)}" if n.established and n.uptime_seconds is not None
          # trial36: "since when?" of r2's Idle session had no answer on screen; FRR says how long
          else f", down {duration(n.down_seconds)}" if not n.established and getattr(n, "down_seconds", None)
          else (f", {'up' if n.established else 'down'} {n.uptime}" if n.uptime else ""))
    return (f"- {n.peer} AS{n.remote_as}" + _named(n.description) + f": {n.state}"
            + (" (admin down: shut by configuration)" if n.admin_down else "")
            + up
            + (f", last error: {n.last_error}" if getattr(n, "last_error", None) else "")
            + ((f", dropped {_times(n.connections_dropped)} since the counters started"
                if n.connections_dropped is not None else ", drops not counted by this device") if flaps else "")
            + (f", {n.prefixes_received} prefixes" if n.prefixes_received is not None else "")
            + ("" if (n.vrf, n.afi_safi) == ("default", "ipv4-unicast") else f" ({n.afi_safi}, VRF {n.vrf})")
            + (f" (BGP instance {n.instance})" if n.instance else "")
            + _described(n.description))


def _full(n: Any) -> bool:
    return str(n.state).lower().startswith("full")


def inventory_links(index: Any) -> dict[str, list[tuple[str, str]]]:
    """Each host's links to other inventory hosts, from the inventory's interface addresses (two
    hosts with an address on one subnet): ``host -> [(interface, the host at the far end)]``."""
    out: dict[str, list[tuple[str, str]]] = {}
    for host, name, iface in getattr(index, "links", None) or []:
        if iface.network.num_addresses > 1:
            for far, _, other in index.links:
                if far != host and other.network == iface.network:
                    out.setdefault(host, []).append((name, far))
    return out


def mtu_line(agg: Any, index: Any) -> str | None:
    """For an MTU question over two or more devices ("mtu mismatch?", "is there an mtu mismatch between r1
    and r2?"): each inventory link whose both ends were read, its two MTUs compared; None when no link
    has both ends read with an MTU (route37)."""
    mtus: dict[tuple[str, str], Any] = {}
    for host, hr in (agg or {}).items():
        if hr.ok and hr.data is not None:
            for i in getattr(hr.data, "interfaces", []):
                mtus[(host, i.name)] = i.mtu
    pairs, seen = [], set()
    for host, name, iface in getattr(index, "links", None) or []:
        for far, other_name, other in getattr(index, "links", None) or []:
            key = frozenset({(host, name), (far, other_name)})
            if far != host and other.network == iface.network and iface.network.num_addresses > 1 and key not in seen:
                seen.add(key)
                a, b = mtus.get((host, name)), mtus.get((far, other_name))
                if a is not None and b is not None:
                    pairs.append((f"{host} {name}", a, f"{far} {other_name}", b))
    if not pairs:
        return None
    off = [f"{x} {a} / {y} {b}" for x, a, y, b in pairs if a != b]
    if off:
        return f"**MTU mismatch** on {len(off)} of {len(pairs)} link(s) read: " + "; ".join(off) + "."
    return (f"**No MTU mismatch:** both ends of each of the {len(pairs)} link(s) read have the same MTU ("
            + "; ".join(f"{x} / {y}: {a}" for x, a, y, b in pairs) + ").")


def moved_off_line(away: str, agg: Any, index: Any) -> str:
    """For "did the traffic move off r3?" (the other routers' routing tables read): which of their chosen
    routes still go via ``away`` (a next hop on one of its inventory addresses), said first as a one-line
    verdict, apart from the routes to ``away``'s own networks (its links, its loopback), which reach it
    whatever a drain does. netops keeps no earlier table, so "moved" is read as: not via ``away`` now."""
    import ipaddress

    mine = {addr for addr, (host, _) in (getattr(index, "addresses", None) or {}).items() if host == away}
    mine |= {str(iface.ip) for host, _, iface in getattr(index, "links", None) or [] if host == away}
    own = [iface.network for host, _, iface in getattr(index, "links", None) or [] if host == away]
    own += [ipaddress.ip_network(a) for a in mine if _is_ip(a)]
    if not mine:
        return (f"**No verdict:** the inventory gives no address of {away}, so netops cannot tell which next hops "
                f"are {away}'s; the routing tables are below.")
    via, to_it, elsewhere, unread, stuck = [], [], 0, [], 0
    for host, hr in (agg or {}).items():
        if not hr.ok or hr.data is None:
            unread.append(host)
            continue
        # prefixes the router has another path to (a route it did not choose, its next hop not on away)
        other_path = {r.prefix for r in getattr(hr.data, "routes", [])
                      if any(h.address and h.address not in mine or (not h.address and h.interface) for h in r.next_hops)}
        for r in getattr(hr.data, "routes", []):
            if not r.selected:
                continue
            hops = [h.address for h in r.next_hops if h.address and not h.discard]
            if not any(h in mine for h in hops):
                elsewhere += 1
                continue
            try:
                net = ipaddress.ip_network(r.prefix, strict=False)
            except ValueError:
                net = None
            alone = r.prefix not in other_path
            said = f"{host} {r.prefix} via {', '.join(h for h in hops if h in mine)}" + \
                (f" (and {', '.join(h for h in hops if h not in mine)})" if any(h not in mine for h in hops) else
                 " (no other path in its table)" if alone else " (another path in its table, not chosen)")
            if net is not None and any(net.subnet_of(o) for o in own if o.version == net.version):
                to_it.append(said)
            else:
                via.append(said)
                stuck += alone
    read = [h for h in agg or {} if h not in unread]
    where = " and ".join(read) or "no router"
    tail = (f" {', '.join(unread)} could not be read." if unread else "") + (
        f" Routes to {away}'s own networks reach it whatever a drain does: {'; '.join(to_it)}." if to_it else "")
    if not read:
        return f"**No verdict:** no routing table could be read ({', '.join(unread)})."
    if via:
        return (f"**No: {len(via)} route{'s' if len(via) > 1 else ''} on {where} still go{'es' if len(via) == 1 else ''} "
                f"via {away}** (a next hop on one of {away}'s addresses): {'; '.join(via[:12])}"
                + (f"; and {len(via) - 12} more" if len(via) > 12 else "") + f". {elsewhere} other route"
                f"{'s' if elsewhere != 1 else ''} go elsewhere."
                + (f" A route with no other path in its router's table cannot move off {away} while {away} is the only "
                   f"one announcing it (a drain makes it less preferred, not withdrawn)." if stuck else "") + tail)
    return (f"**Yes: no route on {where} goes via {away}** except to {away}'s own networks ({elsewhere} route"
            f"{'s' if elsewhere != 1 else ''} through other next hops; next hops checked against {away}'s addresses "
            f"in the inventory). netops keeps no earlier table, so this is the routing now, not a comparison."
            + tail)


def _is_ip(text: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def address_owners(index: Any) -> dict[str, str]:
    """Each inventory address (interfaces, loopbacks, router ids) -> the host it is on: whose side
    a BGP session's peer address is, for whether the far end shut it (:func:`convergence`)."""
    return {addr: host for addr, (host, _) in (getattr(index, "addresses", None) or {}).items()}


def _silent_links(data: Any, extra: dict[str, Any]) -> list[tuple[str, str]]:
    """The inventory links of the host read (``extra["_links"]``, given for a question about
    neighbours that are not Full) on which the device lists no OSPF neighbour; none when the
    device runs no OSPF at all (its note says so)."""
    links = (extra.get("_links") or {}).get(extra.get("_host"), [])
    seen = {n.interface for n in data.neighbors}
    return [(i, far) for i, far in links if i not in seen] if data.neighbors or not data.note else []


def fleet_summary(getter: str, agg: Any, extra: dict[str, Any]) -> str | None:
    """One line over every device read for a fleet-wide question ("which bgp peers are down?"):
    how many of the sessions, adjacencies or interfaces read are in the state asked about, and
    which ones, by device; None for a getter this does not count."""
    rows: list[tuple[str, Any]] = [(h, x) for h, hr in agg.items() if hr.ok and hr.data is not None
                                   for x in (getattr(hr.data, "neighbors", None) or getattr(hr.data, "interfaces", None) or [])]
    failed = [h for h, hr in agg.items() if not hr.ok]
    tail = f" ({', '.join(failed)} could not be read)" if failed else ""
    on = ", ".join(h for h, hr in agg.items() if hr.ok)
    if not on and getter in ("bgp_neighbors", "ospf_neighbors", "interfaces", "facts"):
        return f"**Found:** nothing could be read{tail}."  # not "no BGP sessions on  (...)"
    if getter == "config" and extra.get("_drain"):
        read = {h: drained_by(hr.data.text) for h, hr in agg.items() if hr.ok and hr.data is not None}
        full = [h for h, on in read.items() if len(on) == len(DRAIN_LINES)]
        part = [h for h, on in read.items() if on and h not in full]
        rest = [h for h, on in read.items() if not on]
        said = [f"drained: {', '.join(full)}" if full else "", f"partly drained: {', '.join(part)}" if part else "",
                f"not drained: {', '.join(rest)}" if rest else ""]
        return "**Found:** " + "; ".join(x for x in said if x) + f"{tail}." if read else f"**Found:** nothing could be read{tail}."
    if getter == "facts" and extra.get("_history"):
        return history_summary(extra.get("_changes") if isinstance(extra.get("_changes"), dict) else None, tail)
    if getter == "facts" and extra.get("_reboot"):
        return restart_summary(agg, tail, extra.get("_changes") if isinstance(extra.get("_changes"), dict) else None)
    if getter == "bgp_neighbors" and extra.get("_reset"):
        peers = extra.get("_peers") or {}  # the session between two named routers: each side's peer
        return reset_summary([(h, n) for h, n in rows if h not in peers or n.peer == peers[h]], on, tail,
                             extra.get("_between") if peers else None)
    if getter == "bgp_neighbors":
        if peers := extra.get("_peers") or {}:  # the session between two named routers: each side's peer only
            # (trial36: under r2's and r3's rows of their one session, "3 of 4 BGP sessions not Established"
            # counted r3's flapping session to r1 too)
            rows = [(h, n) for h, n in rows if peers.get(h) is None or n.peer == peers[h]]
        what, bad, good = "BGP sessions", [(h, n) for h, n in rows if not n.established], "Established"
        named = [f"{h} {n.peer} ({n.state})" for h, n in bad]
        none = f"none of the {len(rows)} BGP sessions on {on} is down: all Established"
    elif getter == "ospf_neighbors":
        what, bad, good = "OSPF neighbours listed", [(h, n) for h, n in rows if not _full(n)], "Full"
        named = [f"{h} {n.neighbor_id} via {n.interface or '?'} ({n.state})" for h, n in bad]
        none = f"all {len(rows)} OSPF neighbours listed on {on} are Full"
        silent = [f"{h} {i} (link to {far})" for h, hr in agg.items() if hr.ok and hr.data is not None
                  for i, far in _silent_links(hr.data, dict(extra, _host=h))]
        if silent:
            tail += f"; no OSPF neighbour at all on {', '.join(silent)}"
        elif not extra.get("_links"):
            tail += "; a neighbour that went down is not listed at all (it has timed out), so compare with the links you expect"
    elif getter == "interfaces" and extra.get("_errors"):
        counted = [(h, i) for h, i in rows if i.counters is not None
                   and (i.counters.rx_errors is not None or i.counters.tx_errors is not None)]
        bad = [(h, i) for h, i in counted if (i.counters.rx_errors or 0) + (i.counters.tx_errors or 0)]
        named = [f"{h} {i.name} ({(i.counters.rx_errors or 0) + (i.counters.tx_errors or 0)} errors)" for h, i in bad]
        unknown = f"; {len(rows) - len(counted)} of {len(rows)} report no error counters" if len(counted) < len(rows) else ""
        if not counted:
            return f"**Found:** none of the {len(rows)} interfaces on {on} reports error counters: errors unknown{tail}."
        if not bad:
            return f"**Found:** no interface on {on} reports input or output errors ({len(counted)} counted{unknown}){tail}."
        return f"**Found:** {len(bad)} of {len(counted)} interfaces counted report errors: {', '.join(named)}{unknown}{tail}."
    elif getter == "interfaces":
        what, bad, good = "interfaces", [(h, i) for h, i in rows if not i.oper_up], "up"
        named = [f"{h} {i.name}" + (" (admin down)" if not i.admin_up else "") for h, i in bad]
        none = f"none of the {len(rows)} interfaces on {on} is down"
    elif getter == "route":
        have = [h for h, hr in agg.items() if hr.ok and hr.data is not None and hr.data.found]
        lack = [h for h, hr in agg.items() if hr.ok and hr.data is not None and not hr.data.found]
        query = extra.get("_prefix") or next((hr.data.query for hr in agg.values() if hr.ok and hr.data is not None), "it")
        return (f"**Found:** {query}: a route on {', '.join(have) or 'no device'}"
                + (f"; no route on {', '.join(lack)}" if lack else "") + f"{tail}.")
    else:
        return None
    if not rows:
        return f"**Found:** no {what} on {on}{tail}."
    if extra.get("_filter") == "up":
        return f"**Found:** {len(rows) - len(bad)} of {len(rows)} {what} {good}" + \
            (f"; not {good}: {', '.join(named)}" if bad else "") + f"{tail}."
    if not bad:
        return f"**Found:** {none}{tail}."
    wrong = as_mismatches(agg, bad) if getter == "bgp_neighbors" else []
    return f"**Found:** {len(bad)} of {len(rows)} {what} not {good}: {', '.join(named)}{tail}." + \
        "".join(f" **AS mismatch:** {w}." for w in wrong)


def as_mismatches(agg: Any, down: list[tuple[str, Any]]) -> list[str]:
    """Each session down whose far end was read too and runs another AS than the one configured for it
    (the far end named by the host name it announced, else the session's description): "r2 expects AS
    65033 from 198.51.100.6 (r3), but r3's BGP runs as AS 65003". Trial36: r2's session to r3 was Idle
    on both sides with a wrong remote-as, and only the two local AS numbers, read apart, showed why."""
    local = {h: hr.data.local_as for h, hr in agg.items()
             if hr.ok and hr.data is not None and getattr(hr.data, "local_as", None) is not None}
    out = []
    for h, n in down:
        names = {str(x).lower() for x in (getattr(n, "hostname", None), getattr(n, "description", None)) if x}
        far = next((o for o in local if o != h and o.lower() in names), None)
        if far is not None and n.remote_as is not None and n.remote_as != local[far] and not n.admin_down:
            out.append(f"{h} expects AS {n.remote_as} from {n.peer} ({far}), but {far}'s BGP runs as AS {local[far]}")
    return out


def recorded_changes(ctx: Any, hosts: list[str]) -> dict[str, Any]:
    """Each host's newest change in the audit log (an ``apply`` record, or None), for "did r2 reboot
    after the change?"; empty when there is no audit log to read."""
    audit = ctx.get_audit()
    return {h: audit.last_change(h) for h in hosts} if audit is not None else {}


HISTORY_PER_DEVICE = 5
"""How many of a device's changes "what changed on r2?" lists (newest first)."""


def recorded_history(ctx: Any, hosts: list[str], window: Any = None, action: str | None = None) -> dict[str, list[Any]] | None:
    """Each host's newest changes in the audit log (``apply`` records, newest first), for "what
    changed on r2?", within ``window`` (a :class:`netops.agent.window.Window` understood, else
    all); with ``action`` ("drain": "did the drain work?"), only the playbooks that do it (by the
    action word of their name: router-drain, not router-undrain); None when there is no audit log."""
    audit = ctx.get_audit()
    if audit is None:
        return None
    within = {} if window is None or not window.understood else {"since": window.start, "until": window.end}
    if action is None:
        return {h: audit.changes(h, HISTORY_PER_DEVICE, **within) for h in hosts}
    return {h: [r for r in audit.changes(h, 200, **within) if _does(r, action)][:HISTORY_PER_DEVICE] for h in hosts}


def history_left_out(ctx: Any, changes: dict[str, list[Any]] | None, window: Any = None,
                     action: str | None = None) -> dict[str, list[Any]]:
    """For each host whose list :func:`recorded_history` cut at ``HISTORY_PER_DEVICE``: the changes
    of the same window (and action) it left out, newest first (trial37: "what changed tonight?" listed
    r3's five undrains and said nothing of the drain before them, the night's first change)."""
    audit = ctx.get_audit()
    if audit is None or not changes:
        return {}
    within = {} if window is None or not window.understood else {"since": window.start, "until": window.end}
    out = {}
    for h, recs in changes.items():
        if len(recs or ()) < HISTORY_PER_DEVICE:
            continue
        every = [r for r in audit.changes(h, 1000, **within) if action is None or _does(r, action)]
        shown = {r.seq for r in recs}
        if rest := [r for r in every if r.seq not in shown]:
            out[h] = rest
    return out


def _does(rec: Any, action: str) -> bool:
    return action in str(rec.payload.get("playbook") or "").lower().split("-")


def action_asked(question: str) -> str | None:
    """The playbook action a history question names ("did the drain work?": drain; "who undrained
    r3?": undrain; "what changed on r2?": None), read with the change matcher's own action words."""
    import re as _re

    from netops.agent.intent import ACTION_SYNONYMS, action_base

    for word in _re.findall(r"[a-z][a-z-]*", question.lower()):
        base = action_base(word)
        for action, synonyms in ACTION_SYNONYMS.items():
            if base is not None and base in synonyms and action in ("drain", "undrain", "shutdown", "enable", "clear"):
                return action
    return None


def run_of(ctx: Any, host: str, rec: Any) -> dict[str, Any]:
    """How the run that made change ``rec`` on ``host`` was decided and ended, from its plan's
    records: ``by`` (who approved it), ``state`` (the host's end state: verified, rolled_back,
    failed...); empty when the log holds no plan for it."""
    from netops.agent.revert import _plan_of

    audit = ctx.get_audit()
    plan = _plan_of(audit, rec, host) if audit is not None else None
    if plan is None:
        return {}
    out: dict[str, Any] = {"asked": plan.payload.get("intent")}
    for r in audit.of_plan(plan.seq):
        if r.kind == "approval":
            out["by"] = r.payload.get("by")
        elif r.kind == "result":
            state = ((r.payload.get("hosts") or {}).get(host) or {}).get("state")
            out["state"] = state or ("interrupted" if r.payload.get("interrupted") else None)
    return out


def history_around(ctx: Any, changes: dict[str, list[Any]] | None, window: Any,
                   action: str | None = None) -> tuple[dict[str, Any], dict[str, int]]:
    """For each host with no change in ``window``: its newest change before the window (or None),
    and how many changes it has after the window's end (a closed window, "yesterday"), up to
    ``HISTORY_PER_DEVICE`` + 1; with ``action``, of the playbooks that do it only ("was r3 drained
    yesterday?": the drains before and after it, not any change)."""
    audit = ctx.get_audit()
    if audit is None or changes is None or window is None or not window.understood:
        return {}, {}
    empty = [h for h, recs in changes.items() if not recs]

    def of(h: str, n: int, **within: Any) -> list[Any]:
        if action is None:
            return audit.changes(h, n, **within)
        return [r for r in audit.changes(h, 200, **within) if _does(r, action)][:n]

    before = {h: next(iter(of(h, 1, until=window.start)), None) for h in empty}
    after = {h: len(of(h, HISTORY_PER_DEVICE + 1, since=window.end)) for h in empty} \
        if window.end is not None else {}
    return before, after


def answer_history(ctx: Any, hosts: list[str], question: str, records: list[dict[str, Any]] | None = None,
                   now: Any = None) -> str:
    """The Found lines of "what changed on r2 [today]?": the audit log's changes on ``hosts`` in the
    window the words name (:func:`netops.agent.window.history_window`). ``records``, when given, gets
    each change listed as data (:func:`change_record`: its time as the log holds it, ISO-8601 UTC). ``now``
    (aware; default the clock's) is when the question is asked: its window is read in the local zone."""
    from netops.agent.window import _WINDOWISH, Window, history_window

    try:
        window = history_window(question, now)
    except (OverflowError, ValueError):  # "in the last 3000000 weeks", "since 0001-01-01": past the calendar
        m = _WINDOWISH.search(question)
        window = Window(None, None, " ".join(m.group(0).split()) if m else "in the question", understood=False)
    action = action_asked(question)
    changes = recorded_history(ctx, hosts, window, action)
    before, after = history_around(ctx, changes, window, action)
    rolled = rolled_back_records(ctx, changes or {})  # a change its run rolled back is said so
    rolled.update(rolled_back_records(ctx, {h: rec for h, rec in before.items() if rec is not None}))
    if records is not None:
        records.extend(change_record(h, rec, back=rolled.get(rec.seq)) for h, recs in (changes or {}).items()
                       for rec in recs)
        records.extend(change_record(h, rec, before=True, back=rolled.get(rec.seq)) for h, rec in before.items()
                       if rec is not None)
    from netops.agent.router import device_change_log

    runs = {rec.seq: run_of(ctx, h, rec) for h, recs in (changes or {}).items() for rec in recs}
    left = history_left_out(ctx, changes, window, action)
    rolled.update(rolled_back_records(ctx, {h: recs[-1:] for h, recs in left.items()}))
    return chain_warning(ctx) + history_summary(changes, window=window, before=before, after=after,
                                                device_log=device_change_log(question), rolled=rolled, runs=runs,
                                                action=action, left_out=left)


UNVERIFIED = "**The audit log does not verify**"
"""How :func:`chain_warning` starts."""


def chain_warning(ctx: Any) -> str:
    """Said before an answer from the audit log when its chain does not verify (adv37: a record edited in
    the database, an actor or host rewritten, a record deleted, was answered from as if true); empty when
    it verifies or there is no log. The whole chain is walked, as ``netops audit verify`` walks it: an edit
    that hides a change (its host rewritten) is in a record the answer does not quote. About 13 us a
    record (bench/README.md, adv37)."""
    audit = ctx.get_audit()
    if audit is None:
        return ""
    try:
        report = audit.verify()
    except Exception:  # the log cannot be opened at all: the read of its records says so
        return ""
    if report.ok:
        return ""
    first = report.problems[0]
    more = f"; {len(report.problems)} problems in all" if len(report.problems) > 1 else ""
    return (f"{UNVERIFIED} (record {first.seq}: {first.problem}{more}): what it says below "
            f"may have been edited, deleted or forged outside netops, so it is not evidence of what netops did; "
            f"`netops audit verify` names every problem.\n\n")


def change_record(host: str, rec: Any, *, before: bool = False, back: Any = None) -> dict[str, Any]:
    """One change of the audit log as ``--json`` gives it: ``ts`` is the record's own ISO-8601 UTC
    time (the text says it in the local zone); ``before``: the newest change before the window asked
    about, listed because the window holds none; ``rolled_back``: its run rolled it back (``back``, the
    record saying so: true when the configuration is the snapshot again, false when that failed), or None."""
    out = {"host": host, "seq": rec.seq, "ts": rec.ts, "actor": getattr(rec, "actor", None),
           "playbook": rec.payload.get("playbook"), "ok": bool(rec.payload.get("ok")),
           "rolled_back": None if back is None else bool(back.payload.get("ok"))}
    if before:
        out["before_window"] = True
    return out


ROUTE_HISTORY = ("**No routing-table history:** netops keeps none (its audit log holds only the changes netops "
                 "made), so this is each device's **current** routing table, which its read gives with no route "
                 "ages, and its BGP sessions with how long each has been up: a session that reset or flapped has "
                 "been up only since it came back, and the routes learnt over it since then.")
"""Said first in the answer to a history question about routes ("which routes changed on r2 today?")."""


NETOPS_CHANGED = "**What netops itself changed** (its audit log; a change it made may explain a route's):\n\n"
"""Said before the audit log's records under a history question about routes (:data:`ROUTE_HISTORY`)."""


CARRYING = ("**What it carries:** netops reads no traffic counters; whether a router carries traffic is whether it "
            "is drained (below): one not drained carries what its routes attract. \"did the traffic move off r3?\" "
            "reads which routes of the other routers still go via it.")
"""Said first in the answer to "what's r3 carrying right now?" (the drain state read)."""


RECORDED = "**What netops's audit log records** (the changes netops made; the state above is the device's now):\n\n"
"""Said before the audit log's records under a read of the device now ("has r3 been undrained?")."""


def audit_evidence(hosts: list[str]) -> Any:
    """What a "what changed?" answer rests on: netops's own audit log (its ``apply`` records) on
    ``hosts``, an evidence kind of its own (``audit``), not a device read."""
    from netops.agent.evidence import Evidence

    return Evidence("audit", f"netops audit log: changes on {', '.join(hosts)}", host=", ".join(hosts) or None,
                    command="netops audit list --kind apply")


CHANGE_COMMANDS_SHOWN = 4
"""How many of a change's configuration lines "what changed?" quotes (the rest: ``netops audit show``)."""


def local_time(ts: str) -> str:
    """An audit record's UTC ISO time as the answers say it: in the machine's local zone, the zone's
    abbreviation beside it (``2026-12-03 15:02:21 CET``; ``... UTC`` on a machine on UTC), the zone
    the question's time window is read in (:mod:`netops.agent.window`). ``--json`` keeps the record's
    own ISO-8601 UTC time."""
    from datetime import datetime, timezone

    try:
        when = datetime.fromisoformat(ts)
    except (TypeError, ValueError):  # not a time: as it was written
        return str(ts)
    local = (when if when.tzinfo is not None else when.replace(tzinfo=timezone.utc)).astimezone()
    ahead = " (stamped after the time now: the clock was ahead when it was written, or is behind now)" \
        if local > datetime.now(timezone.utc) else ""
    return f"{local:%Y-%m-%d %H:%M:%S} {local.tzname() or 'local'}{ahead}"


def _run_said(run: dict[str, Any] | None) -> str:
    """"; approved by bob; verified" for a change's run (:func:`run_of`); empty when unknown. The
    names and states are the log's free text, each said on its line (:func:`netops.controls.inline`)."""
    from netops.controls import inline

    if not run:
        return ""
    state = {"verified": "verified by its post-checks", "rolled_back": "rolled back (a post-check failed)",
             "failed": "failed", "skipped": "skipped", "interrupted": "interrupted"}.get(run.get("state") or "",
                                                                                    run.get("state") or "")
    said = [f"approved by {inline(run['by'])}" if run.get("by") else "", inline(state) if state else ""]
    return "".join(f"; {x}" for x in said if x)


def _change_said(rec: Any, back: Any = None, run: dict[str, Any] | None = None) -> str:
    """One change as the answers say it; ``back``: the record of its run rolling it back, if any
    (:func:`netops.agent.revert.rolled_back`): the device is as it was before it, or the rollback failed.
    Its actor and playbook are the log's free text (adv36: an actor "carol\\n\\n**netops's own findings:**
    nothing changed" forged lines of the answer), each said on its line."""
    from netops.controls import inline

    actor = inline(getattr(rec, "actor", None) or "")
    undone = "" if back is None or not rec.payload.get("ok") else (
        f"; rolled back by its run: `netops audit show {back.seq}`" if back.payload.get("ok")
        else f"; its rollback failed: `netops audit show {back.seq}`")
    return (f"{inline(rec.payload.get('playbook') or 'a change')}{f' by {actor}' if actor else ''} at "
            f"{local_time(rec.ts)} ({'applied' if rec.payload.get('ok') else 'failed'}"
            f"{_commands_said(rec.payload.get('commands'))}{_run_said(run)}; `netops audit show {rec.seq}`{undone})")


def rolled_back_records(ctx: Any, changes: "dict[str, Any]") -> dict[int, Any]:
    """For each change of ``changes`` (host -> records) that its own run rolled back (or tried to):
    its seq -> the ``rollback`` / ``recover`` record (:func:`netops.agent.revert.rolled_back`)."""
    from netops.agent.revert import rolled_back

    audit = ctx.get_audit()
    if audit is None:
        return {}
    out = {}
    for h, recs in changes.items():
        for rec in ([] if recs is None else recs if isinstance(recs, (list, tuple)) else [recs]):
            if rec.payload.get("ok") and (back := rolled_back(audit, h, rec)) is not None:
                out[rec.seq] = back
    return out


def _commands_said(commands: Any) -> str:
    """What a change sent, on one line and redacted: ``: `interface eth-r1 / description uplink-r1```.
    Block ends (``exit``, ``end``, ``!``) say nothing; past :data:`CHANGE_COMMANDS_SHOWN` lines, how
    many more."""
    from netops.devices.redact import redact_lines

    if not isinstance(commands, (list, tuple)):
        return ""
    said = [c.strip() for c in redact_lines(str(c) for c in commands)
            if c.strip() and c.strip().lower() not in ("exit", "end", "!", "commit", "quit")]
    if not said:
        return ""
    more = len(said) - CHANGE_COMMANDS_SHOWN
    shown = " / ".join(c.replace("`", "'") for c in said[:CHANGE_COMMANDS_SHOWN])
    return f": `{shown}`" + (f" and {more} more line{'s' if more > 1 else ''}" if more > 0 else "")


def history_summary(changes: dict[str, Any] | None, tail: str = "", *, window: Any = None,
                    before: dict[str, Any] | None = None, after: dict[str, int] | None = None,
                    device_log: str | None = None, rolled: dict[int, Any] | None = None,
                    runs: dict[int, Any] | None = None, action: str | None = None,
                    left_out: dict[str, list[Any]] | None = None) -> str:
    """The Found line for "what changed on r2?": the changes netops recorded on each device (its
    audit log; a host's value is one record, a list of them newest first, or None), who made each
    one, and plainly that changes made outside netops are not in it. With a ``window`` (the
    question's, :mod:`netops.agent.window`) understood, the changes are that window's, said as such,
    and a device with none in it gets its newest change ``before`` the window (and a count of those
    ``after`` a closed window); a window not understood is said, and every change listed. With
    ``device_log`` (the words that asked for a device's own commit log, "show system commit"), it says
    that log is not read."""
    unread = (f"The device's own log of its configuration changes (`{device_log}`) is not read: netops runs only its read-only "
              f"getters, and answers from its own audit log of the changes it made." if device_log else "")
    if changes is None:
        return f"**Found:** there is no audit log to read, so netops cannot say what it changed{tail}." + (
            f"\n\n{unread}" if unread else "")
    listed = {h: ([] if v is None else list(v) if isinstance(v, (list, tuple)) else [v]) for h, v in changes.items()}
    within = window is not None and window.understood
    when = f" {window.said}" if within else ""
    rolled = rolled or {}
    runs = runs or {}
    said = [f"{h}: {_change_said(rec, rolled.get(rec.seq), runs.get(rec.seq))}" for h, recs in listed.items() for rec in recs]
    none = [h for h, recs in listed.items() if not recs]
    several = any(len(recs) > 1 for recs in listed.values())
    lines = [(f"**Found:** the changes netops made on each device{when}, newest first (up to "
              f"{HISTORY_PER_DEVICE} each), from its audit log" if several else
              f"**Found:** the last change netops made on each device{when}, from its audit log") + tail + ":"]
    if action is not None:  # "did the drain work?": that action's changes only
        kind = {"drain": "drain", "undrain": "undrain", "shutdown": "shutdown", "enable": "re-enable",
                "clear": "session clear"}.get(action, action)
        lines = [(f"**Found:** the {kind}s netops made{when} (playbooks that {action}), newest first, with who approved "
                  f"each and how its run ended, from its audit log" if several else
                  f"**Found:** the last {kind} netops made on each device{when}, who approved it and how its run "
                  f"ended, from its audit log") + tail + ":"]
    if window is not None and not window.understood:
        lines[0] = lines[0][:-1] + (f' (the time window "{window.said}" was not understood, so no window is '
                                    "applied: these are the newest changes of any time):")
    lines += [f"- {x}" for x in said]
    for h, rest in (left_out or {}).items():  # never a silent cut: the oldest left out is often the night's first
        first = _change_said(rest[-1], rolled.get(rest[-1].seq))
        lines.append(f"- {h}: " + (f"1 earlier change{when} not listed here: {first}" if len(rest) == 1 else
                                   f"{len(rest)} earlier changes{when} not listed here, the first of them {first}")
                     + "; `netops audit list --kind apply` lists them all")
    if none and within:
        for h in none:
            prior = (before or {}).get(h)
            what = kind if action is not None else "change"
            line = f"- no {what} recorded on {h}{when}; " + (f"the newest before it: {_change_said(prior, rolled.get(prior.seq))}" if prior
                                                            else "none before it either")
            if later := (after or {}).get(h):
                line += (f"; {'more than ' + str(HISTORY_PER_DEVICE) if later > HISTORY_PER_DEVICE else later} "
                         f"later {what}{'s' if later > 1 else ''} (ask without the window to see them)")
            lines.append(line)
    elif none:
        lines.append(f"- no {kind if action is not None else 'change'} recorded on {', '.join(none)}")
    lines.append("")  # a paragraph of its own, not a continuation of the last bullet
    if unread:
        lines += [unread, ""]
    lines.append("Changes made outside netops (by hand, by other tools) are not in its audit log; "
                 "`netops audit list --kind apply` lists every change netops made.")
    return "\n".join(lines)


def _changes_line(changes: dict[str, Any]) -> str:
    """When netops last changed each device, to compare with its uptime."""
    said = [f"the last change netops recorded on {h} was {rec.payload.get('playbook') or 'a change'} at "
            f"{local_time(rec.ts)}" for h, rec in changes.items() if rec is not None]
    none = [h for h, rec in changes.items() if rec is None]
    if none:
        said.append(f"the audit log holds no change on {', '.join(none)}")
    return "; ".join(said)


def restart_summary(agg: Any, tail: str = "", changes: dict[str, Any] | None = None) -> str:
    """The Found line for "did r2 reboot?": each device's uptime (how long ago it last restarted),
    or plainly that its platform's ``show version`` gives none, so netops cannot tell; with
    ``changes`` (host -> its newest audit ``apply`` record or None, for "... after the change?"),
    when netops last changed it."""
    known, unknown = [], []
    for h, hr in agg.items():
        if not hr.ok or hr.data is None:
            continue
        if hr.data.uptime_seconds is not None:
            up = duration(hr.data.uptime_seconds)
            known.append(f"{h} has been up {up}, so it last restarted about {up} ago")
        else:
            unknown.append((h, f"{hr.data.vendor} {hr.data.os_version or ''}".strip()))
    parts = list(known)
    if unknown:
        names = ", ".join(h for h, _ in unknown)
        what = "; ".join(dict.fromkeys(v for _, v in unknown))
        one = len(unknown) == 1
        parts.append(f"netops cannot tell whether or when {names} last restarted: {'its' if one else 'their'} "
                     f"`show version` ({what}) reports no uptime, and no other read-only getter gives one "
                     f"(the BGP sessions' uptimes show only when each session last came up)")
    if changes:
        parts.append(_changes_line(changes))
    if not parts:
        return f"**Found:** nothing could be read{tail}."
    return "**Found:** " + "; ".join(parts) + f"{tail}."


def _session(h: str, n: Any) -> str:
    return f"{h}'s session to " + (f"{n.description} ({n.peer})" if _named(n.description) else n.peer)


def reset_summary(rows: list[tuple[str, Any]], on: str, tail: str = "", between: list[str] | None = None) -> str:
    """The Found line for "did a bgp session reset recently?": sessions down now (reset and not
    back), and the Established session(s) with the shortest uptime (the last to come up). For
    the session ``between`` two named routers, ``rows`` are its two sides."""
    if not rows:
        return f"**Found:** no BGP sessions on {on}{tail}."
    down = [(h, n) for h, n in rows if not n.established]
    up = [(h, n) for h, n in rows if n.established and n.uptime_seconds is not None]
    parts = []
    if down:
        parts.append(f"{len(down)} of {len(rows)} BGP sessions down now (not Established again since they went down): "
                     + "; ".join(f"{_session(h, n)}, {n.state}" for h, n in down))
    if up:
        least = min(n.uptime_seconds for _, n in up)
        last = [(h, n) for h, n in up if n.uptime_seconds == least]
        said = [_session(h, n) for h, n in last]
        if len(said) > 3:  # a route reflector's sessions cleared together: three named, the rest counted
            said = said[:3] + [f"{len(last) - 3} more"]
        names = ", ".join(said[:-1]) + f" and {said[-1]}" if len(said) > 1 else said[0]
        d = duration(least)
        if between and not down:
            sides = "; ".join(f"{h}'s side, to {n.peer}: {duration(n.uptime_seconds)}" for h, n in up)
            parts.append(f"the BGP session between {between[0]} and {between[1]} has been up {d} ({sides}): "
                         f"it last came up about {d} ago")
        elif len(up) == 1:
            parts.append(f"{names} has been up {d}: it last came up about {d} ago")
        elif len(last) == len(up):
            parts.append(f"each of the {len(up)} Established BGP sessions on {on} has been up {d}"
                         + (f" ({names})" if len(last) <= 3 else "") + f": none came up later than about {d} ago")
        else:
            parts.append(f"the shortest uptime of the {len(up)} Established BGP sessions on {on} is {names}: up {d}, "
                         f"so {'it' if len(last) == 1 else 'they'} last came up about {d} ago; the others have been "
                         f"up longer")
    unknown = [(h, n) for h, n in rows if n.established and n.uptime_seconds is None]
    if unknown:
        parts.append(f"{len(unknown)} Established session(s) report no uptime")
    return "**Found:** " + "; ".join(parts) + f"{tail}."


def _times(n: int) -> str:
    return "once" if n == 1 else f"{n} times"


def _link_downs(i: Any) -> str:
    """", went down 2 times (last 2026/12/04 23:27:46)" from the device's own counters."""
    if i.link_downs is None:
        return f", link downs not counted by this device (last flapped {i.last_flap})" if i.last_flap else \
            ", link downs not counted by this device"
    return f", went down {_times(i.link_downs)}" + (f" (last {i.last_flap})" if i.last_flap else "") if i.link_downs \
        else ", never went down since the counters started"


def flap_line(reads: dict[str, Any], peers: dict[str, Any] | None = None) -> str | None:
    """The verdict a flap question leads with ("is anything flapping?", "is eth-r3 on r1 flapping?",
    "has the r1-r3 session been flapping?"): netops keeps no history, so a flap between two reads is
    seen only in the devices' own counters, how many times each link went down (:attr:`Interface.link_downs`)
    and each BGP session dropped (:attr:`BgpNeighbor.connections_dropped`), and when last. ``reads``:
    getter -> its per-host results; ``peers``: host -> the one peer kept (the session between two
    routers). A device whose output has no counter is said, not counted as stable. None when neither
    interfaces nor BGP sessions were read."""
    peers = peers or {}
    downs: list[tuple[int, str]] = []
    counted = uncounted = 0
    silent: list[str] = []
    for getter in ("interfaces", "bgp_neighbors"):
        for host, hr in (reads.get(getter) or {}).items():
            if not hr.ok or hr.data is None:
                continue
            if getter == "interfaces":
                for i in hr.data.interfaces:
                    if i.link_downs is None:
                        uncounted += 1
                        if i.last_flap:
                            silent.append(f"{host} {i.name} last flapped {i.last_flap}")
                        continue
                    counted += 1
                    if i.link_downs:
                        downs.append((i.link_downs, f"{host} {i.name} went down {_times(i.link_downs)}"
                                      + (f", last {i.last_flap}" if i.last_flap else "")
                                      + ("" if i.oper_up else ", and is down now")))
            else:
                for n in hr.data.neighbors:
                    if host in peers and n.peer != peers[host]:
                        continue
                    if n.connections_dropped is None:
                        uncounted += 1
                        continue
                    counted += 1
                    if n.connections_dropped:
                        now = (f", up again {duration(n.uptime_seconds)}" if n.established and n.uptime_seconds is not None
                               else f", {n.state} now" + (f" (down {duration(n.down_seconds)})" if n.down_seconds else "")
                               if not n.established else "")
                        downs.append((n.connections_dropped,
                                      f"{_session(host, n)} dropped {_times(n.connections_dropped)}{now}"))
    if not counted and not uncounted:
        return None
    downs.sort(key=lambda d: -d[0])
    said = [d for _, d in downs[:5]] + ([f"{len(downs) - 5} more"] if len(downs) > 5 else [])
    tail = (f"; {uncounted} of {counted + uncounted} read have no such counter on their platform"
            + (f" ({'; '.join(silent[:3])})" if silent else "") if uncounted else "")
    if downs:
        return ("**Went down since the counters started:** " + "; ".join(said) + tail
                + ". netops keeps no history: these are the devices' own counts since boot or the last clear, "
                  "so compare the last time with now.")
    if not counted:
        return (f"**Flaps unknown:** none of the {uncounted} interfaces and sessions read has a down counter on "
                f"its platform" + (f" ({'; '.join(silent[:3])})" if silent else "") + ", and netops keeps no history.")
    return (f"**No flaps counted:** none of the {counted} interfaces and sessions counted went down since the "
            f"counters started{tail}.")


def _errors(i: Any) -> str:
    c = i.counters
    if c is None or (c.rx_errors is None and c.tx_errors is None):
        return ", error counters not reported"
    return f", {c.rx_errors if c.rx_errors is not None else '?'} input errors, " \
           f"{c.tx_errors if c.tx_errors is not None else '?'} output errors"


# What router-drain sets (and router-undrain removes), as the running configuration shows it
DRAIN_LINES = {"bgp graceful-shutdown": "BGP graceful-shutdown", "max-metric router-lsa": "OSPF max-metric"}


def drained_by(text: str) -> list[str]:
    """Which of :data:`DRAIN_LINES` a running configuration holds (each line's start, trimmed)."""
    lines = [line.strip() for line in (text or "").splitlines()]
    return [name for start, name in DRAIN_LINES.items() if any(line.startswith(start) for line in lines)]


def drain_state(text: str) -> str:
    """One line: drained (both), partly drained (one) or not drained (neither), from the running
    configuration (a drained router's BGP sessions stay Established: the summary cannot tell)."""
    on = drained_by(text)
    looked = " and ".join(f"`{k}`" for k in DRAIN_LINES)
    if len(on) == len(DRAIN_LINES):
        return f"- drained: {' and '.join(on)} are on ({looked} in the running configuration)"
    if on:
        off = [n for n in DRAIN_LINES.values() if n not in on]
        return f"- partly drained: {on[0]} is on, {', '.join(off)} is not (read from the running configuration)"
    return f"- not drained: neither {looked.replace(' and ', ' nor ')} is in the running configuration"


# The state a yes/no question asks after (router.effect_asked, "drained" for the drain read), as said
# in the verdict line
_ASKED_WORD = {"shut": "shut down", "enabled": "enabled (not shut)", "down": "down", "up": "up", "drained": "drained"}
# ... and not in that state ("not enabled (not shut)" read as if it were not shut)
_NOT_WORD = {"shut": "not shut down", "enabled": "not enabled (shut down)", "down": "not down", "up": "not up",
             "drained": "not drained"}
# What a row of each read is, counted when there are more than a few of them in one clause
_ROW_KIND = {"bgp_neighbors": "BGP sessions", "interfaces": "interfaces", "config": "routers"}
_NAMED_AT_MOST = 4


def effect_verdict(getter: str, agg: Any, per_host: dict[str, dict[str, Any]]) -> tuple[int, str] | None:
    """netops's own answer to a yes/no question about the state a change leaves ("is neighbor X shut
    on r1?", "is eth-r2 disabled on r1?", "is r3 drained?"; the read's ``_effect``: the state asked),
    from the rows the answer shows (``per_host``: each host's presentation hints, :func:`host_extra`):
    (+1, "**Yes:** ..."), (-1, "**No:** ...") or (0, "**Partly:** ...") when some rows are in that state
    and some not. None when a read failed, nothing matched or the device does not tell (a Junos
    summary says no admin state): the rows below are then the answer."""
    asked = next((x.get("_effect") for x in per_host.values() if x.get("_effect")), None)
    anyof = any(x.get("_any") for x in per_host.values())
    unread = [h for h, hr in (agg or {}).items() if not hr.ok or hr.data is None]
    # a read that failed leaves the answer unknown, but for "is any ... shut?": one found is a yes
    if asked not in _ASKED_WORD or not agg or (unread and not anyof) or len(unread) == len(agg):
        return None
    rows: list[tuple[int, str, str]] = []  # (1 in the state, -1 not, 0 half: a partly drained router), what, detail
    for host, hr in agg.items():
        if host in unread:
            continue
        extra = per_host.get(host) or {}
        if getter == "config" and asked == "drained":
            on = drained_by(hr.data.text)
            rows.append((1 if len(on) == len(DRAIN_LINES) else 0 if on else -1, host,
                         " and ".join(on) + " on" if on else "no drain line in the running configuration"))
        elif getter == "bgp_neighbors" and asked != "drained":
            if "_peer_address" in extra and extra["_peer_address"] is None:
                return None
            found = [n for n in hr.data.neighbors if "_peer_address" not in extra or n.peer == extra["_peer_address"]]
            for n in found:
                state = {"shut": n.admin_down, "enabled": None if n.admin_down is None else not n.admin_down,
                         "down": not n.established, "up": n.established}[asked]
                if state is None:
                    return None
                rows.append((1 if state else -1, f"{host}'s BGP session to {n.peer}",
                             n.state + (", admin down" if n.admin_down else "")))
        elif getter == "interfaces" and asked != "drained":
            names = extra.get("_names")
            for i in (i for i in hr.data.interfaces if not names or i.name in names):
                state = {"shut": not i.admin_up, "enabled": i.admin_up, "down": not i.oper_up, "up": i.oper_up}[asked]
                rows.append((1 if state else -1, f"{host} {i.name}",
                             f"admin {'up' if i.admin_up else 'down'}, oper {'up' if i.oper_up else 'down'}"))
        else:
            return None
    if not rows:
        return None
    said: dict[int, list[str]] = {1: [], 0: [], -1: []}
    for (v, detail), whats in _grouped(rows).items():  # "r1, r2 and r3 are not drained (...)": one clause
        if len(whats) > _NAMED_AT_MOST:  # a fleet's sessions: counted, the devices named
            on = list(dict.fromkeys(w.split("'s ")[0].split(" ")[0] for w in whats))
            who = f"{len(whats)} {_ROW_KIND.get(getter, 'of them')}" + (
                "" if getter == "config" else " on " + (", ".join(on[:-1]) + " and " + on[-1] if len(on) > 1 else on[0]))
        else:
            who = whats[0] if len(whats) == 1 else ", ".join(whats[:-1]) + " and " + whats[-1]
        said[v].append(f"{who} {'is' if len(whats) == 1 else 'are'} "
                       f"{_ASKED_WORD[asked] if v == 1 else 'partly ' + _ASKED_WORD[asked] if v == 0 else _NOT_WORD[asked]}"
                       f" ({detail})")
    verdict = 1 if not said[0] and not said[-1] else -1 if not said[0] and not said[1] else 0
    tail = f"; {', '.join(unread)} could not be read" if unread else ""
    if anyof:  # "is any interface shut on r2?": yes, those that are
        if not said[1] and not said[0]:
            return None if unread else (-1, "**No:** " + "; ".join(said[-1]) + ".")
        return 1, "**Yes:** " + "; ".join(said[1] + said[0]) + tail + "."
    if any(x.get("_all") for x in per_host.values()) and verdict == 0:
        # "are all peers enabled?": one that is not makes it a no (a model's bare "yes" is contradicted)
        return -1, "**No:** " + "; ".join(said[-1] + said[0] + said[1]) + "."
    return verdict, f"**{ {1: 'Yes', -1: 'No', 0: 'Partly'}[verdict] }:** " + "; ".join(said[1] + said[0] + said[-1]) + "."


def convergence(getter: str, agg: Any, extra: dict[str, Any]) -> tuple[int | None, list[str], str]:
    """One neighbour read's part of whether the network settled after a change ("is r2 converged?"):
    (+1, [], what is settled) when every BGP session is Established (a peer shut by configuration is
    settled too, and said) or every OSPF adjacency Full (2-Way between DROthers), one on every inventory
    link (``extra["_links"]``); (-1, what is not, "") otherwise; (None, [], "") when a read failed."""
    if not agg or any(not hr.ok or hr.data is None for hr in agg.values()):
        return None, [], ""
    from netops.devices.models import BGP_SHOULD_RUN

    if getter == "bgp_neighbors":
        rows = [(h, n) for h, hr in agg.items() for n in hr.data.neighbors]
        owners = extra.get("_owners") or {}  # address -> the inventory host it is on

        def owner(n: Any) -> str | None:
            try:
                return owners.get(str(ipaddress.ip_address(str(n.peer).split("%")[0])))
            except ValueError:  # a peer named by interface (unnumbered) or by a peer-group
                return None

        def far_shut(h: str, n: Any) -> bool:
            # the far end read, and it shut its side of this session (bgp-neighbor-shutdown on r1
            # leaves r2's side Active): settled as the change left it, not still converging
            far = owner(n)
            return far in agg and any(m.admin_down and owner(m) == h for m in agg[far].data.neighbors)

        def unread(n: Any) -> str:
            far = owner(n)
            return f" (the far end, {far}, was not read: a session shut there shows as {n.state} here)" \
                if far and far not in agg else ""
        shut = [f"{h}'s session to {n.peer}" for h, n in rows if n.admin_down]
        shut += [f"{h}'s session to {n.peer} ({owner(n)} shut its side)" for h, n in rows
                 if not n.established and not n.admin_down and far_shut(h, n)]
        bad = [f"{h}'s BGP session to {n.peer} is {n.state}{unread(n)}" for h, n in rows
               if not n.established and not n.admin_down and not far_shut(h, n)]
        bad += [f"{h}: {BGP_SHOULD_RUN}" for h, hr in agg.items() if getattr(hr.data, "expected", None)]
        up = [n.uptime_seconds for _, n in rows if n.established and n.uptime_seconds is not None]
        ok = (f"every BGP session Established ({len(rows) - len(shut)}" + (f", the newest up {duration(min(up))}" if up else "")
              + ")" + (f", {' and '.join(shut)} shut by configuration" if shut else "")) if rows else "no BGP sessions"
        return (-1 if bad else 1), bad, ok
    if getter == "ospf_neighbors":
        rows = [(h, n) for h, hr in agg.items() for n in hr.data.neighbors]
        bad = [f"{h}'s OSPF neighbour {n.neighbor_id} on {n.interface or '?'} is {n.state}" for h, n in rows
               if not _full(n) and not str(n.state).lower().startswith("2-way")]
        bad += [f"{h} has no OSPF neighbour on {i} (link to {far})" for h, hr in agg.items()
                for i, far in _silent_links(hr.data, dict(extra, _host=h))]
        return (-1 if bad else 1), bad, (f"every OSPF adjacency Full ({len(rows)})" if rows else "no OSPF neighbours")
    return None, [], ""


def convergence_line(reads: dict[str, Any], extra: dict[str, Any], getters: list[str]) -> tuple[int, str] | None:
    """netops's answer to whether the network settled ("is r2 converged?", "did the drain converge?"),
    over every neighbour read asked for (``getters``; ``reads``: each one's result): "**Yes: converged**"
    with what is settled, "**No: not converged**" with what is not; None when a read failed."""
    parts = [convergence(g, reads.get(g), extra) for g in getters]
    if not parts or any(v is None for v, _, _ in parts):
        return None
    bad = [x for _, b, _ in parts for x in b]
    hosts = ", ".join(dict.fromkeys(h for g in getters for h in (reads.get(g) or {})))
    if bad:
        return -1, f"**No: not converged** on {hosts}: " + "; ".join(bad) + "."
    return 1, f"**Yes: converged** on {hosts}: " + ", ".join(ok for _, _, ok in parts) + "."


def _grouped(rows: list[tuple[int, str, str]]) -> dict[tuple[int, str], list[str]]:
    out: dict[tuple[int, str], list[str]] = {}
    for v, what, detail in rows:
        out.setdefault((v, detail), []).append(what)
    return out


def piped_config(text: str, pipe: str, *, redacted: bool = False) -> str:
    """The running configuration through the line filters said after it (``| include max-metric``),
    run here on the redacted text as every filter is (:mod:`netops.devices.linefilter`); a pattern
    netops does not run (three or more open-ended repeats, a repeated group) is one line saying so."""
    from netops.devices.linefilter import apply_filters, local_filters
    from netops.errors import PolicyViolation

    shown = pipe.replace("`", "'")
    try:
        found = local_filters("show running-config " + pipe)
    except PolicyViolation as exc:
        return f"- the filter `{shown}` was not run: {exc.message}"
    if found is None:
        return f"- the filter `{shown}` is not one netops runs (| include, | exclude, | begin, | section)"
    kept = apply_filters(text.strip(), found[1]).strip("\n")
    if not kept.strip():
        return f"- no line of the running configuration matches `{shown}`"
    cut = kept[:CONFIG_CHARS].rsplit("\n", 1)[0] if len(kept) > CONFIG_CHARS else kept
    more = kept.count("\n") - cut.count("\n")
    return (f"The running configuration{' (redacted)' if redacted else ''} `{shown}`:\n\n```\n{cut}\n```"
            + (f"\n\n({more} more lines)" if more else ""))


def _summarise(getter: str, data: Any, extra: dict[str, Any]) -> str:
    """One or more Markdown lines for one host's typed state."""
    if getter == "bgp_neighbors":
        ident = (f"- BGP router id {data.router_id or 'unknown'}" + (f", local AS {data.local_as}" if data.local_as else ""))
        if extra.get("_router_id"):
            return ident
        neighbors = data.neighbors
        if "_peer_address" in extra:  # "the session between r1 and r3": this side's session to the other
            peer, other = extra["_peer_address"], extra["_peer_name"]
            if peer is None:
                return f"- no BGP session to {other} found: {extra.get('_peer_error') or 'no neighbour matches it'}"
            neighbors = [n for n in neighbors if n.peer == peer]
            if not neighbors:
                return f"- no BGP session to {other}" + (f" ({peer})" if peer != other else "")
        wanted = extra.get("_filter") if "_peer_address" not in extra else None
        if wanted and neighbors:  # "which bgp peers are down?": those, and a line when there are none
            up = sum(1 for n in neighbors if n.established)
            neighbors = [n for n in neighbors if n.established == (wanted == "up")]
            if not neighbors:
                return (f"- no BGP session down: all {up} Established" if wanted == "down"
                        else f"- no BGP session Established ({len(data.neighbors)} configured)")
            return "\n".join(_bgp_row(n, extra.get("_flaps")) for n in neighbors)
        rows = [_bgp_row(n, extra.get("_flaps")) for n in neighbors]
        head = [] if "_peer_address" in extra or not (data.router_id or data.local_as) else [ident]
        return "\n".join([*head, *rows]) if rows else "\n".join([*head, f"- {data.note or 'no BGP neighbours configured'}"])
    if getter == "ospf_neighbors":
        neighbours = data.neighbors
        if wanted := extra.get("_neighbour"):  # "is the ospf neighbour X full?": X by router id or address
            neighbours = [n for n in neighbours if wanted in (n.neighbor_id, n.address)]
            if not neighbours:
                return f"- no OSPF neighbour {wanted}" + (f" ({data.note})" if data.note else "")
        # a neighbour that went down has timed out of the list: the inventory's links say where one was
        silent = [] if extra.get("_neighbour") else \
            [f"- no OSPF neighbour on {i} (the inventory's link to {far})" for i, far in _silent_links(data, extra)]
        if (state := extra.get("_filter")) and neighbours and not extra.get("_neighbour"):
            shown = [n for n in neighbours if _full(n) == (state == "up")]  # "any ospf neighbours not full?"
            if not shown:
                return "\n".join([f"- every OSPF neighbour listed is Full ({len(neighbours)})" if state == "down"
                                   else "- no OSPF neighbour is Full", *silent])
            neighbours = shown
        rows = [f"- {n.neighbor_id} via {n.interface or '?'} ({n.address or '?'})"
                + (f" in VRF {n.vrf}" if getattr(n, "vrf", None) not in (None, "default") else "") + f": {n.state}"
                + (f", up {duration(n.uptime_seconds)}" if getattr(n, "uptime_seconds", None) is not None else "")
                for n in neighbours] + silent
        return "\n".join(rows) or f"- {data.note or 'no OSPF neighbours'}"
    if getter == "interfaces":
        ifs = data.interfaces
        if extra.get("_names"):
            ifs = [i for i in ifs if i.name in extra["_names"]]
            if not ifs and data.interfaces:  # "is eth-r9 disabled on r1?": not "no interfaces"
                names = ", ".join(i.name for i in data.interfaces[:12]) + (", ..." if len(data.interfaces) > 12 else "")
                return f"- no interface {' or '.join(extra['_names'])} on {extra.get('_host') or 'this device'} " \
                       f"(it has: {names})"
        if extra.get("_filter") == "down":
            ifs = [i for i in ifs if not i.oper_up]
            if not ifs:
                return "- no interfaces are down"
        elif extra.get("_filter") == "up":
            ifs = [i for i in ifs if i.oper_up]
        lines = [f"- {i.name}: admin {'up' if i.admin_up else 'down'}, oper {'up' if i.oper_up else 'down'}"
                 + ((f", MTU {i.mtu}" if i.mtu is not None else ", MTU not reported") if extra.get("_mtu") else "")
                 + (_errors(i) if extra.get("_errors") else "")
                 + (_link_downs(i) if extra.get("_flaps") else "")
                 + (f" ({', '.join(i.addresses)})" if i.addresses else "") for i in ifs] or ["- no interfaces"]
        return "\n".join([*lines, *([f"- note: {data.note}"] if data.note else [])])
    if getter == "route":
        if reach := extra.get("_reach"):  # "ping r3 from r1": answered from the routing table
            asked = reach["target"] if reach["target"] == reach["address"] else f"{reach['target']} ({reach['address']})"
            host = extra.get("_host") or "the device"
            probe = reach["verb"] if reach["verb"] in ("ping", "traceroute") else "probe"
            # "latency r1 to r3": a measure no read gives
            measured = {"rtt": "round-trip time", "round": "round-trip time"}.get(reach["verb"], reach["verb"]) \
                if reach["verb"] in ("latency", "rtt", "round", "jitter") else None
            said = f"read from {host}'s routing table; no {probe} was sent"
            if measured:
                said = f"read from {host}'s routing table; netops sends no probes, so {measured} is not measured"
            if not data.found:
                return f"- {asked}: no route on {host}, so it cannot reach it ({said})"
            hops = ", ".join(h.describe() if h.discard else f"{h.address or ''}{' via ' + h.interface if h.interface else ''}".strip()
                             for h in data.next_hops)
            if reach["verb"] == "path":  # "why is traffic from r1 to r3 going via r2?": the first hop is what is read
                return (f"- {asked}: {host} sends it by {data.prefix} via {data.protocol}" + (f" -> {hops}" if hops else "")
                        + f" (the first hop, read from {host}'s routing table; no traceroute was sent, so the hops "
                          f"after it are not read)")
            return (f"- {asked}: {host} has a route, {data.prefix} via {data.protocol}" + (f" -> {hops}" if hops else "")
                    + (f" ({said})" if measured else f" ({said}, so the return path is not tested)"))
        if not data.found:
            return f"- {data.query}: no route"
        hops = ", ".join(x for x in (h.describe() if h.discard else
                                     f"{h.address or ''}{' via ' + h.interface if h.interface else ''}".strip()
                                     for h in data.next_hops) if x)
        return (f"- {data.query}: yes, {data.prefix} via {data.protocol}" + (f" -> {hops}" if hops else "")
                + (f", up {data.uptime}" if data.uptime else ""))
    if getter == "facts":
        return f"- {data.hostname}: {data.vendor} {data.platform} {data.os_version or ''}".rstrip() + (
            f", up {duration(data.uptime_seconds)}" if data.uptime_seconds else "")
    if getter == "config" and extra.get("_drain"):
        return drain_state(data.text)
    if getter == "config" and extra.get("_pipe"):
        return piped_config(data.text, str(extra["_pipe"]), redacted=bool(getattr(data, "redacted", False)))
    if getter == "config":
        text, what = data.text.strip(), "running configuration"
        section = extra.get("_section")
        if names := extra.get("_interfaces"):  # "show the config of eth-r2 on r1": that interface's lines
            from netops.devices.config_sections import interface_section

            parts = [p for n in names if (p := interface_section(text, n))]
            if not parts:
                return f"- no {' or '.join(names)} lines in the {what}"
            text, section = "\n".join(parts), None if section == "interface" else section
            what = f"{' and '.join(names)} lines of the {what}" if not section else \
                f"{section} lines of {' and '.join(names)} in the {what}"
        if section:
            from netops.devices.config_sections import config_section

            part = config_section(text, section)
            if part is None:
                return f"- no {section} lines in the {what}" if not names else \
                    f"- no {section} lines for {' or '.join(names)} in the running configuration"
            text, what = part, what if names else f"{section} lines of the {what}"
        cut = text[:CONFIG_CHARS].rsplit("\n", 1)[0] if len(text) > CONFIG_CHARS else text
        more = text.count("\n") - cut.count("\n")
        return (f"The {what}" + (" (redacted)" if getattr(data, "redacted", False) else "") + ":\n\n```\n"
                + cut + "\n```" + (f"\n\n({more} more lines: `netops state <host> config` shows all)" if more else ""))
    if getter == "routes":
        chosen = [r for r in data.routes if r.selected]
        rows = [f"- {r.prefix} {r.protocol or '?'}"
                + (f" -> {', '.join(h.describe() for h in r.next_hops)}" if r.next_hops else "") for r in chosen]
        other = len(data.routes) - len(chosen)
        tail = [f"- ({other} more routes the device did not choose: `netops state {extra.get('_host', '<host>')} routes {data.query}` lists them)"] \
            if other else []
        return "\n".join([*rows, *tail]) if rows else f"- no routes at or inside {data.query}"
    if getter in ("bgp_advertised", "bgp_received"):
        from netops.devices.peer_routes import describe

        return describe(data, only=extra.get("_prefixes"), peers=extra.get("_peers"))
    return f"- {data}"


def _domain(settings: Any) -> frozenset[str]:
    from netops.agent.router import DOMAIN_WORDS

    path = settings.paths.knowledge_dir / "glossary.md"
    try:
        return _glossary_words(path.read_text(encoding="utf-8")) if path.is_file() else DOMAIN_WORDS
    except Exception:  # a broken team glossary must not break offline answers
        return DOMAIN_WORDS


@lru_cache(maxsize=8)
def _glossary_words(text: str) -> frozenset[str]:
    """The domain words of a glossary's text: read for every question, parsed once per text."""
    from netops.agent.router import vocabulary
    from netops.rag import glossary

    return vocabulary(glossary.parse_glossary(text))


_MATCHERS: dict[str, Any] = {}


def _matcher(settings: Any) -> Any:
    """The embedding half of the router, built on first need and kept for the process."""
    from netops.rag.embedders import make_embedder

    try:
        embedder = make_embedder(settings)
    except Exception:  # no embedder reachable: the keyword half still works
        return None
    if embedder is None:
        return None
    key = embedder.fingerprint
    if key not in _MATCHERS:
        from netops.agent.router import SemanticMatcher

        _MATCHERS[key] = SemanticMatcher(embedder)
    return _MATCHERS[key]


def _covered(question: str, kb: Any, hits: list[Any]) -> Any:
    """Whether the retrieved passages answer the question (:mod:`netops.agent.abstain`)."""
    from netops.agent.abstain import assess

    if not hits:
        return None
    try:
        embed = kb.embedder.embed_query if getattr(kb, "embedder", None) is not None else None
        counts = getattr(getattr(kb, "lexical", None), "term_counts", None)
        from netops.agent.grounding import GroundingBudget, section_text, trim

        # the similarity on the sentences nearest the question, as the grounded path judges it: the
        # two modes gave one question opposite verdicts ("DR election": 0.48 here, 0.68 there)
        focus = [f"{h.chunk.citation}: {trim(section_text(kb, h.chunk), question, GroundingBudget().passage_tokens)}"
                 for h in hits]
        return assess(question, [f"{h.chunk.citation} {h.chunk.title}\n{h.chunk.text}" for h in hits],
                      counts=counts, embed=embed, expand=getattr(kb, "expand", None), focus=focus)
    except Exception:  # the answer without the verdict is still the retrieval answer
        return None


def via_documents(r: Any, question: str, ctx: ToolContext, hosts: list[str]) -> Any:
    """``r``, or a knowledge-base route when ``r`` placed ``question`` nowhere and the documents
    cover it. "who owns the SBCs?", "where are the leaf RMA spares kept?": no device, no protocol
    word, but the team's own runbooks answer it. The router's vocabulary is the built-in
    glossary's, never a team's, so the passages judge, with the same coverage check as a spec
    question; a question they do not cover keeps "no known intent", and so does one that names a
    device ("show the LSDB on r1" is a device read netops has no getter for, not a search).
    Offline that was the answer without a look at the runbooks; with a model, the model answered
    with no sources (SmolLM2: "The leaf RMA spares are kept in the "R" package.")."""
    from netops.agent.router import _ANY_DEVICE, NO_INTENT, Route, entities

    if r.kind == "unknown" and r.reason == NO_INTENT and not r.asks \
            and not entities(question, hosts)["hosts"] and not _ANY_DEVICE.search(question) \
            and _documents_cover(question, ctx):
        return Route("spec", "spec", "kb_search", {"query": question},
                     reason="no device intent matched; answered from your documents")
    return r


def _documents_cover(question: str, ctx: ToolContext) -> bool:
    """Whether the knowledge base holds passages that answer ``question`` (nothing indexed: no)."""
    from netops.agent.abstain import question_terms, subject

    if len(question_terms(question)) < 2:
        return False  # "yes, fix it", "thanks": one word is no subject to search (and matched one)
    try:
        # what is indexed now, never the first-use indexing of the defaults: "tell me a joke" on a
        # fresh home must not index anything (nor create the index)
        if ctx.kb is not None:
            kb = ctx.kb
        elif not ctx.settings.paths.kb_db.exists() and not ctx.settings.chroma_url:
            return False
        elif ctx.session is not None:
            kb = ctx.session.kb
        else:
            kb = ctx.get_kb()
        if kb is None or kb.is_empty():
            return False
        hits = kb.search(subject(question), top_k=3)
    except NetopsError:
        return False
    covered = _covered(question, kb, hits)
    return covered is not None and covered.covered


def answer_offline(question: str, ctx: ToolContext, toolbox: ToolBox, previous: "list[str] | str" = "") -> "Answer":
    """Answer without a model: route ``question`` to one read-only tool of ``toolbox`` or to a
    retrieval answer from ``ctx``'s knowledge base. Everything it uses comes in as arguments.
    ``previous`` (the person's earlier questions in a continued conversation, oldest first)
    completes a short follow-up ("and on r2?")."""
    from netops.agent.router import followup, meaning, route_named
    from netops.assistant import Answer

    settings = ctx.settings
    answer = Answer(question=question, text="", mode="offline")
    has_inventory = ctx.devices is not None or settings.paths.inventory.exists()
    hosts = inventory_hosts(ctx.get_devices()) if has_inventory else []
    index = device_index(ctx.get_devices()) if hosts else None
    from netops.agent.router import change_followup

    if (said := change_followup(question, previous, hosts)) is not None:
        answer.text, answer.asks = f"{LABEL}: {said}", True  # "what about r2?" after "drain r1": nothing read
        return answer
    meant = followup(question, meaning(previous, hosts), hosts)
    r, read_as = route_named(meant, hosts, index, _domain(settings), matcher=lambda: _matcher(settings))
    if meant != question:
        if r.kind == "tool":
            answer.notice = f"read as a follow-up of your previous question: \"{meant}\""
        else:  # the follow-up reading found nothing to read: the question as asked
            r, read_as = route_named(question, hosts, index, _domain(settings), matcher=lambda: _matcher(settings))
    if read_as:  # a device named by its address, router id or AS: say which device was read
        answer.notice = "; ".join(x for x in (answer.notice, *read_as) if x)
    asked = None
    if r.kind == "change" and r.read is not None:
        # "restart whatever is down": the state question's read, then no change (fleet_change)
        asked, r = r.picked, r.read
    unread = r.unread  # "what is broken on r2, r7?": r7 is not in the inventory, said under the heading
    from netops.agent.grounding import anchor, knowledge_query
    from netops.agent.router import Route, continues_spec

    # a follow-up is searched with the question before it ("and the keepalive?"), and one with no
    # subject of its own ("and what is the minimum value?") after a spec question is one too, as
    # with a model (grounding._prepare)
    last = anchor(previous) if isinstance(previous, list) else previous
    searched = knowledge_query(question, last) if r.kind in ("spec", "unknown") else question
    from netops.agent import plugin_route

    if plugin_route.routable(r) and (ran := plugin_route.run(question, toolbox.tools.values(), toolbox.call)):
        # a plugin's tool claims a question netops reads no device for ("who is AS64499?"): its result
        picked, result = ran
        ev = plugin_route.evidence(picked)
        shown = plugin_route.shown(result)
        answer.text = (f"{LABEL}, intent: {picked.tool} (a plugin's tool), {ev.label.partition(': ')[2] or 'no arguments'}."
                       f"\n\n" + ((shown or "(the tool returned nothing)") if result.ok else f"Failed: {result.error}"))
        answer.tool_calls = list(toolbox.calls)
        answer.evidence = [*ctx.evidence, ev] if result.ok else list(ctx.evidence)
        answer.notice = plugin_route.notice(picked)
        return answer
    if continues_spec(question, r, last, hosts, _domain(settings), matcher=lambda: _matcher(settings)):
        r = Route("spec")
    r = via_documents(r, searched, ctx, hosts)
    if r.kind == "spec":
        from netops.agent.abstain import preferred, subject
        from netops.rag.answer import retrieval_answer

        # "what does our runbook say about X": X is searched, the runbooks' passages about it first
        ra = retrieval_answer(ctx.get_kb(), subject(searched), top_k=3, prefer=preferred(question))
        from netops.agent.evidence import spec_evidence

        if not ra.citations and r.reason:
            answer.text = f"{LABEL}: {r.reason}, and the knowledge base has nothing close.\n\n{NO_MODEL}"
            return answer
        answer.text = ra.text
        answer.evidence = [spec_evidence(c) for c in ra.citations]
        from netops.agent.abstain import absent

        covered, also = absent(searched, ctx.get_kb(), _covered(searched, ctx.get_kb(), ra.hits))
        if covered is not None and not covered.covered:
            from netops.agent.abstain import NOT_COVERED

            # The passages are still shown (they are what is nearest), under an honest heading.
            answer.text = f"**{NOT_COVERED}** ({covered.reason}).\n\n{ra.text}"
            answer.abstained = True
        answer.notice = "; ".join(x for x in (r.reason, _no_hosts_note(settings, hosts, r.reason, question), ra.notice, also)
                                  if x) or None
        return answer
    if r.kind != "tool":
        from netops.agent.router import ALL_LEFT_OUT, TYPED_NOT_READ, names_unknown

        # an unknown device is not something a model would fix: say only what is wrong
        # (nor is a question back to the person, "from which router?": it stands alone)
        answer.text = f"{LABEL}: {r.reason}." + (
            "" if names_unknown(r.reason) or r.reason.startswith((ALL_LEFT_OUT, TYPED_NOT_READ)) or r.asks
            else f"\n\n{NO_MODEL}")
        answer.asks = r.asks
        if names_unknown(r.reason):  # with no usable inventory, say where it was looked for
            answer.notice = _no_hosts_note(settings, hosts, r.reason)
            answer.not_found = True
        return answer
    if r.tool == "change_history":  # "what changed on r2?": netops's audit log alone, no device read
        targets = list(r.args.get("hosts") or [])
        answer.text = (f"{LABEL}, intent: {r.intent} on {', '.join(targets)}.\n\n"
                       + (f"**Not read:** {unread}.\n\n" if unread else "")
                       + answer_history(ctx, targets, str(r.args.get("_when") or question), answer.changes))
        answer.evidence = [audit_evidence(targets)]
        return answer
    extra = {k: v for k, v in r.args.items() if k.startswith("_")}
    if extra.get("_changes"):  # "did r2 reboot after the change?": when netops last changed it
        extra["_changes"] = recorded_changes(ctx, r.args.get("hosts") or [])
    args = {k: v for k, v in r.args.items() if not k.startswith("_")}
    if "ospf_neighbors" in (args.get("getter"), *extra.get("_also", ())) and \
            (extra.get("_fleet") or extra.get("_filter") == "down" or extra.get("_converged")):
        extra["_links"] = inventory_links(index)  # where a neighbour that went down is missing
    if extra.get("_converged"):
        extra["_owners"] = address_owners(index)  # a session down here because the far end shut it
    result = toolbox.call(r.tool or "", args)
    reads = {args.get("getter"): result.data} if result.data is not None else {}
    answer.tool_calls = list(toolbox.calls)
    answer.evidence = list(ctx.evidence)
    if r.tool == "diagnose_route":
        answer.text = (f"{LABEL}, intent: route diagnosis.\n\n" + (f"**Not read:** {unread}.\n\n" if unread else "")
                       + (result.data.render() if result.ok else f"Failed: {result.error}"))
        return answer
    if r.tool == "list_devices":
        rows = result.data or []
        body = "\n".join(f"- {d['name']} ({d['platform']})" for d in rows) or "- no devices"
        answer.text = f"{LABEL}, intent: list devices.\n\n" + (f"**Not read:** {unread}.\n\n" if unread else "") + body
        return answer
    parts = [f"{LABEL}, intent: {r.intent} on {', '.join(args['hosts'])}."]
    if read_as:  # said here, in front of what was read, so not again in the notice
        parts[0] += " " + "; ".join(read_as) + "."
        answer.notice = "; ".join(x for x in (answer.notice or "").split("; ") if x and x not in read_as) or None
    agg = result.data
    peers: dict[str, Any] = {}
    if agg is None:
        parts.append(f"Failed: {result.error}")
    elif extra.get("_also"):  # an open question about a device's health: its basic state, getter by getter
        if extra.get("_fleet"):  # "what's down?", "which neighbors are down?": every device, and which
            left = [h for h in hosts if h not in args["hosts"]]
            parts[0] = (f"{LABEL}, intent: {r.intent} on every inventory device ({', '.join(args['hosts'])})"
                        + (f" but {', '.join(left)}" if left else "") + ": the question names none; read: "
                        + ", ".join([args["getter"], *extra["_also"]]) + ".")
        for getter, res in [(args["getter"], result),
                            *((g, toolbox.call(r.tool or "", {**args, "getter": g})) for g in extra["_also"])]:
            parts.append(f"**{getter}**")
            if res.data is None:
                parts.append(f"- failed: {res.error}")
                continue
            reads[getter] = res.data
            for host, hr in res.data.items():
                parts.append(f"**{host}** ({hr.command}):")
                parts.append(_summarise(getter, hr.data, dict(extra, _host=host)) if hr.ok else f"- failed: {hr.error}")
            if (extra.get("_fleet") or extra.get("_found")) and (found := fleet_summary(getter, res.data, extra)):
                parts.append(found)  # the count over the devices read, under each getter's rows
        if str(r.intent or "").startswith("health") and not extra.get("_fleet") and \
                (line := health_line(reads, list(args["hosts"]), [args["getter"], *extra["_also"]])):
            parts.insert(1, line)
        answer.tool_calls = list(toolbox.calls)
        answer.evidence = list(ctx.evidence)
    else:
        if between := extra.get("_between"):
            parts[0] = f"{LABEL}, intent: the BGP session between {between[0]} and {between[1]}."
        if extra.get("_fleet"):  # no device named: say that every one was read, and which
            left = [h for h in hosts if h not in args["hosts"]]
            parts[0] = (f"{LABEL}, intent: {r.intent} on every inventory device ({', '.join(args['hosts'])})"
                        + (f" but {', '.join(left)}" if left else "") + ": the question names none.")
        hints: dict[str, dict[str, Any]] = {}
        for host, hr in agg.items():
            per_host = hints[host] = host_extra(extra, host, hr, lambda h, o: _peer_of(ctx, h, o, args.get("vrf")))
            if "_peer_address" in per_host:
                peers[host] = per_host["_peer_address"]
            parts.append(f"**{host}** ({hr.command}):")
            parts.append(_summarise(args["getter"], hr.data, per_host) if hr.ok else f"- failed: {hr.error}")
        if extra.get("_origin"):
            parts.append(originator(args["prefix"], agg)[1])
        if extra.get("_mtu") and len(agg) > 1 and (compared := mtu_line(agg, index)):
            parts.insert(1, compared)  # "mtu mismatch?": both ends of each link read, compared
        if extra.get("_off"):  # "did the traffic move off r3?": which routes still go via r3, first (history37)
            parts.insert(1, moved_off_line(str(extra["_off"]), agg, index))
        if extra.get("_carrying"):  # "what's r3 carrying right now?" (history37)
            parts.insert(1, CARRYING)
        verdict = effect_verdict(args["getter"], agg, hints) if extra.get("_effect") else None
        if verdict:
            parts.insert(1, verdict[1])  # "is r3 drained?": yes, no or partly, before the rows it rests on
        # ("are r1 and r3 drained?": the drain count after the rows said the verdict again)
        if not (verdict and extra.get("_drain")) and \
                (extra.get("_fleet") or extra.get("_found") or (extra.get("_filter") and len(agg) > 1)) and \
                (found := fleet_summary(args["getter"], agg, {**extra, "_peers": peers})):
            parts.append(found)
        answer.evidence = list(ctx.evidence)
    if extra.get("_flaps") and (flapped := flap_line(reads if extra.get("_also") else {args["getter"]: agg or {}},
                                                      peers)):
        parts.insert(1, flapped)  # "is anything flapping?": the devices' own down counts first
    if extra.get("_converged") and (settled := convergence_line(reads, extra, [args["getter"], *extra.get("_also", ())])):
        parts.insert(1, settled[1])  # "is r2 converged?": yes or no first, from every neighbour read
    if extra.get("_route_history"):  # "which routes changed on r2 today?": no history of device state
        targets = list(args.get("hosts") or [])
        parts.insert(1, ROUTE_HISTORY)
        parts.append(NETOPS_CHANGED + answer_history(ctx, targets, str(extra.get("_when") or question), answer.changes))
        answer.evidence = [*answer.evidence, audit_evidence(targets)]
    if extra.get("_recorded"):  # "has r3 been undrained?": the device now (above) and netops's record of it
        targets = list(args.get("hosts") or [])
        parts.append(RECORDED + answer_history(ctx, targets, str(extra["_recorded"]), answer.changes))
        answer.evidence = [*answer.evidence, audit_evidence(targets)]
    if extra.get("_whatif"):  # "what would break if r1 eth-r2 went down?": nothing predicted; what uses it now
        parts.insert(1, str(extra["_whatif"]))
    if r.typed:  # a typed command no typed read covers: what was read is only its nearest
        parts.insert(1, f"**Not the command you typed:** {r.typed}.")
    if asked is not None:
        _refuse_picked(answer, asked, reads, parts, ctx)
    if unread:
        parts.insert(1, f"**Not read:** {unread}.")
    answer.text = "\n\n".join(parts)
    return answer


_DOWN = {"interfaces": "an interface that is admin up is down",
         "bgp_neighbors": "a BGP session is not Established",
         "ospf_neighbors": "an OSPF adjacency is neither Full nor 2-Way"}
_UP = {"interfaces": "every interface up", "bgp_neighbors": "every BGP session Established",
       "ospf_neighbors": "every OSPF adjacency Full"}


def health_line(reads: dict[str, Any], hosts: list[str], getters: list[str] | None = None) -> str | None:
    """One line over an open health question's reads ("is r2 healthy?" offline), from the same
    per-getter reading that checks a model's verdict (:func:`netops.agent.grounding._health`): which
    device has something down, or that nothing read is down. None when that is unclear (a read
    failed, an interface shut by hand, nothing listed): the facts below are then the answer.
    ``getters`` are those asked for: one whose read failed on every device is not in ``reads``, and
    no all-clear leaves it out. Before this, "is r2 healthy?" with bgpd stopped listed facts only, with no word of a verdict."""
    from netops.agent.grounding import _health
    from netops.devices.models import BGP_SHOULD_RUN

    down: list[str] = []
    clear = True
    for host in hosts:
        what = []
        for getter, agg in reads.items():
            if getter not in _DOWN or not agg or host not in agg:
                continue
            verdict = _health(getter, {host: agg[host]})
            if verdict == -1:
                hr = agg[host]
                expected = getter == "bgp_neighbors" and getattr(hr.data, "expected", None)
                what.append(BGP_SHOULD_RUN if expected else _DOWN[getter])
            elif verdict is None:
                clear = False
        if what:
            down.append(f"{host}: {'; '.join(what)}")
    if down:
        return "**Not healthy:** " + ". ".join(down) + " (what was read is below)."
    read = [g for g in _UP if g in reads]
    if any(g in _UP and g not in reads for g in getters or ()):
        clear = False  # a read that failed everywhere: "nothing read is down" would skip it
    if clear and read:
        return (f"**Nothing read is down** on {', '.join(hosts)}: "
                + ", ".join(_UP[g] for g in read) + ".")
    return None


def _refuse_picked(answer: "Answer", asked: Any, reads: dict[str, Any], parts: list[str], ctx: ToolContext) -> None:
    """A change of targets the words picked by their state: after the read, no change, and per
    target found the request for its vetted playbook (:mod:`netops.agent.fleet_change`)."""
    from netops.agent.change_intent import ChangeMatch, playbooks_from
    from netops.agent.change_tools import catalogue_of
    from netops.agent.fleet_change import REFUSAL, requests, targets

    try:
        playbooks = playbooks_from(catalogue_of(ctx))
    except Exception:  # no catalogue: no request to give, the refusal stands
        playbooks = []
    parts[0] = parts[0].replace(f"{LABEL}, intent:", f"{LABEL}, intent: change ({asked.verb}) of what "
                                f"\"{asked.question}\" finds; first the read,", 1)
    parts.append(requests(asked, reads, playbooks))
    found = targets(asked, reads, playbooks)
    answer.change = ChangeMatch("clarify", hosts=[], code="picked", reason=REFUSAL,
                                examples=[t.request for t in found if t.request],
                                candidates=list(dict.fromkeys(t.playbook for t in found if t.playbook)))


def host_extra(extra: dict[str, Any], host: str, hr: Any,
               peer_of: "Callable[[str, str], dict[str, Any]]") -> dict[str, Any]:
    """The router's presentation hints for one host: for a question about the session between
    two named routers, that host's neighbour address for the other one (``peer_of(host, other)``);
    for the link between them, that host's interfaces on it."""
    out = dict(extra, _host=host)
    if extra.get("_facing", {}).get(host) and not extra.get("_names"):
        out["_names"] = extra["_facing"][host]  # the link between two routers: this one's side of it
    between = extra.get("_between")
    if between and host in between and hr.ok:
        out.update(peer_of(host, between[1] if host == between[0] else between[0]))
    return out


def _peer_of(ctx: ToolContext, host: str, other: str, vrf: str | None = None) -> dict[str, Any]:
    """``host``'s neighbour address for inventory router ``other`` (in ``vrf``, the one the
    neighbours were read in), resolved through the device service (audited reads), for narrowing
    a neighbour list to the session between them."""
    try:
        found = ctx.get_devices().peer_address(host, other, vrf=vrf or "default")
    except Exception as e:  # no such peer, or more than one: said in the answer, not raised
        return {"_peer_address": None, "_peer_name": other, "_peer_error": str(e)}
    return {"_peer_address": found.address, "_peer_name": other}


def _same_network(a: str | None, b: str) -> bool:
    import ipaddress

    try:
        return a is not None and ipaddress.ip_network(a, strict=False) == ipaddress.ip_network(b, strict=False)
    except ValueError:
        return False


def _default_route(prefix: str | None) -> bool:
    """A default route (0.0.0.0/0, ::/0) covers every address: it originates none of them."""
    import ipaddress

    try:
        return prefix is not None and ipaddress.ip_network(prefix, strict=False).prefixlen == 0
    except ValueError:
        return False


_ORIGINATED = {"connected", "static", "kernel", "local", "direct", "blackhole", "aggregate"}


def originator(prefix: str, agg: Any) -> tuple[list[str], str]:
    """Which devices have ``prefix`` from no other router (a connected, static or local route; a
    prefix learnt over BGP, OSPF or IS-IS came from someone else), and a line saying so."""
    own = [h for h, hr in agg.items() if hr.ok and hr.data is not None and hr.data.found
           and (hr.data.protocol or "").lower() in _ORIGINATED and not _default_route(hr.data.prefix)
           and ("/" not in prefix or _same_network(hr.data.prefix, prefix))]
    failed = [h for h, hr in agg.items() if not hr.ok]
    tail = f" ({', '.join(failed)} could not be read)" if failed else ""
    if not own:
        return own, (f"**Originated by:** no device in the inventory has {prefix} as a connected, static or local "
                     f"route; it is learnt from outside the inventory or not present{tail}.")
    how = ", ".join(f"{h} ({agg[h].data.protocol} {agg[h].data.prefix})" for h in own)
    return own, f"**Originated by:** {how}: the other devices learn it from a routing protocol{tail}."
