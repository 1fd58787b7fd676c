"""Human rendering of typed device state (``netops state``): one rich table per host."""

from __future__ import annotations

from typing import Any


def _yn(v: Any) -> str:
    return "up" if v else "down"


def bgp_state(n: Any) -> str:
    """A peer's state for a person: ``Idle (admin down)`` when the configuration shuts it, so a
    session someone turned off is not read as a broken one."""
    return f"{n.state} (admin down)" if getattr(n, "admin_down", None) else n.state


def render_state(out: Any, getter: str, agg: Any) -> None:
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    from netops.cli._common import print_wide

    named = len(agg) > 1 and not out.is_terminal

    def emit(renderable: Any) -> None:
        """Piped, for several hosts: every line starts ``host: `` as ``netops show`` does, so
        ``netops state all bgp | grep Established`` says which router each session is on."""
        if not named:
            print_wide(out, renderable)
            return
        title = getattr(renderable, "title", None)
        if isinstance(title, str) and title.startswith(f"{host}: "):
            renderable.title = title[len(host) + 2:]  # the line already names the host
        with out.capture() as cap:
            print_wide(out, renderable)
        for line in cap.get().splitlines():
            out.out(f"{host}: {line}", highlight=False)

    for host, r in agg.items():
        if r.failed:
            why = f"{r.error_type}: {r.error}" + (f"\nhint: {r.hint}" if r.hint else "")
            emit(Panel(Text(why), title=host, border_style="red"))
            continue
        d = r.data
        if getter == "config":
            emit(Panel(Text(d.text), title=f"{host}: running config (redacted)"))
            continue
        table = Table(title=f"{host}: {getter}")
        if getter == "facts":
            for col in ("hostname", "vendor", "platform", "version", "model", "uptime"):
                table.add_column(col)
            table.add_row(d.hostname, d.vendor, d.platform, d.os_version or "-", d.model or "-",
                          f"{d.uptime_seconds:.0f}s" if d.uptime_seconds is not None else "-")
        elif getter == "interfaces":
            table.caption = d.note
            for col in ("name", "admin", "oper", "addresses", "mtu", "description"):
                table.add_column(col)
            for i in d.interfaces:
                table.add_row(i.name, _yn(i.admin_up), _yn(i.oper_up), " ".join(i.addresses),
                              str(i.mtu or "-"), i.description or "")
        elif getter == "bgp_neighbors":
            table.caption = d.note or f"router-id {d.router_id} AS {d.local_as}"
            for col in ("peer", "vrf", "family", "remote AS", "state", "up/down", "pfx rcvd", "description"):
                table.add_column(col)
            for n in d.neighbors:
                since = n.uptime or "-"
                if not n.uptime and n.down_seconds:  # how long it has been down (trial36: "since when?")
                    from netops.agent.offline import duration

                    since = f"down {duration(n.down_seconds)}"
                table.add_row(n.peer, f"{n.instance}/{n.vrf}" if n.instance else n.vrf, n.afi_safi, str(n.remote_as), bgp_state(n), since,
                              "-" if n.prefixes_received is None else str(n.prefixes_received), n.description or "")
        elif getter == "ospf_neighbors":
            table.caption = d.note
            vrfs = any(n.vrf not in (None, "default") for n in d.neighbors)  # a VRF's OSPF too (Junos, NX-OS, IOS-XR, EOS)
            for col in ("neighbor id", *(("vrf",) if vrfs else ()), "address", "interface", "state", "dead time"):
                table.add_column(col)
            for n in d.neighbors:
                table.add_row(n.neighbor_id, *((n.vrf or "-",) if vrfs else ()), n.address or "-", n.interface or "-",
                              n.state, f"{n.dead_time_seconds:.1f}s" if n.dead_time_seconds is not None else "-")
        elif getter == "route":
            if not d.found:
                emit(Panel(Text(f"no route to {d.query}"), title=host, border_style="yellow"))
                continue
            for col in ("prefix", "protocol", "distance/metric", "next hops"):
                table.add_column(col)
            hops = ", ".join(h.describe() for h in d.next_hops)
            table.add_row(d.prefix or "-", d.protocol or "-", f"{d.distance}/{d.metric}", hops)
        elif getter == "routes":
            table.caption = f"every route at or inside {d.query}" if d.routes else f"no route at or inside {d.query}"
            for col in ("prefix", "protocol", "selected", "distance/metric", "next hops"):
                table.add_column(col)
            for r in d.routes:
                hops = ", ".join(h.describe() for h in r.next_hops)
                table.add_row(r.prefix, r.protocol or "-", "yes" if r.selected else "no", f"{r.distance}/{r.metric}", hops)
        elif getter == "bgp_routes":
            table.caption = d.note or (f"BGP paths at or inside {d.query}" if d.paths else f"no BGP path at or inside {d.query}")
            for col in ("prefix", "from", "next hop", "AS path", "valid", "best"):
                table.add_column(col)
            for x in d.paths:
                src = "local" if x.peer is None else f"{x.peer_name} ({x.peer})" if x.peer_name else x.peer
                table.add_row(x.prefix, src, x.next_hop or "-", x.as_path or "-", "yes" if x.valid else "no",
                              "yes" if x.best else "no")
        elif getter in ("bgp_advertised", "bgp_received") and getattr(d, "peers", None) is not None:
            verb = "advertised to" if d.direction == "advertised" else "accepted from"
            table.title = f"{host}: routes {verb} each BGP peer" + ("" if d.vrf == "default" else f", VRF {d.vrf}")
            notes = [f"{p.peer}: {p.note}" for p in d.peers if p.note] + ([d.note] if d.note else [])
            table.caption = "\n".join(notes) or None
            for col in ("peer", "prefix", "next hop", "AS path", "origin"):
                table.add_column(col)
            for p in d.peers:
                who = f"{p.peer_name} ({p.peer})" if p.peer_name and p.peer_name != p.peer else p.peer
                for x in p.routes:
                    table.add_row(who, x.prefix, x.next_hop or "-", x.as_path or "-", x.origin or "-")
                if not p.routes:
                    table.add_row(who, "(none)", "-", "-", "-")
        elif getter in ("bgp_advertised", "bgp_received"):
            from netops.devices.peer_routes import heading

            table.title = f"{host}: {heading(d)}"
            table.caption = d.note
            for col in ("prefix", "next hop", "AS path", "origin"):
                table.add_column(col)
            for x in d.routes:
                table.add_row(x.prefix, x.next_hop or "-", x.as_path or "-", x.origin or "-")
        emit(table)
