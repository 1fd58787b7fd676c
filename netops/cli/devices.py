"""``netops devices`` (list, check, trust, import ansible), ``netops show`` and ``netops state``.

Thin: parse arguments, call :class:`netops.devices.service.DeviceService` (from a
:class:`netops.session.Session`, so every command sent or refused is in the audit log), render.
Exit codes: 0 all hosts ok, 7 some hosts failed, 1 every host failed, 4 every host lacks what was
asked for (a BGP peer), 5 refused by policy. A device that answered with an error (``show``) or
whose state is a fault (``state``: BGP should run but is not running) counts as failed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from netops.cli._common import EXIT_PARTIAL, console, emit_json, json_option, print_wide, progress, settings_from


def _session(ctx: click.Context, surface: str):
    from netops.session import Session

    return Session(settings_from(ctx), surface=surface)


def _raise_if_refused(agg: Any) -> None:
    """Every host refused the command by policy: one line, exit 5 (nothing was sent)."""
    from netops.errors import PolicyViolation

    failed = agg.failed_hosts
    if failed and len(failed) == len(agg) and all(r.error_type == "PolicyViolation" for r in failed.values()):
        first = next(iter(failed.values()))
        raise PolicyViolation(first.error or "refused by the read-only policy",
                              hint="only read-only commands run through show/state; changes go through vetted playbooks")


def _exit_for(ctx: click.Context, agg: Any) -> None:
    """0 all ok; 7 some hosts failed; 4 every host said the thing asked for is not there (a BGP
    peer it does not have), as an unknown host is; 1 every host failed otherwise. A device that
    answered a command with an error (``% BGP is not running``), or whose typed state is a fault
    (BGP should run there but is not running), counts as failed here."""
    from netops.errors import NotFoundError

    refused = {**getattr(agg, "device_errors", {}), **getattr(agg, "faults", {})}
    if not agg.failed and not refused:
        return
    failed = agg.failed_hosts
    if len(failed) + len(refused) < len(agg):
        ctx.exit(EXIT_PARTIAL)
    ctx.exit(NotFoundError.exit_code if not refused and all(r.error_type == "NotFoundError" for r in failed.values())
             else 1)


def _with_progress(label: str, total: int, call):
    with progress() as bar:
        task = bar.add_task(label, total=total)
        return call(lambda _r: bar.advance(task))


def _print_failures(agg: Any) -> None:
    err = console(stderr=True)
    for host, r in agg.failed_hosts.items():
        err.print(f"[red]{host}[/red]: {r.error_type}: {r.error}", markup=True, highlight=False)
        if r.hint:
            err.print(f"  hint: {r.hint}", markup=False, highlight=False)


@click.group()
def devices() -> None:
    """List, check, trust and import devices (the inventory).

    \b
    The inventory is $NETOPS_INVENTORY, else $NETOPS_HOME/inventory.yaml, else the
    inventory of lab 1 (`netops lab up` prints the file of every lab). Format (Nornir
    SimpleInventory; passwords come from the environment, not the file):
      hosts:
        r1: {hostname: 10.0.0.1, platform: frr, groups: [core]}
      groups:
        core: {data: {site: lon1}}
      defaults: {username: netops, ssh_key_file: ~/.ssh/id_ed25519, password_env: NETOPS_PW}
    Host keys are checked strictly against $NETOPS_HOME/known_hosts (`netops devices trust`).

    \b
    Examples:
      netops devices list --json
      netops devices check all
      netops show r1 "show bgp summary"
      netops state r2 route --prefix 203.0.113.3/32
    """


@devices.command("list")
@click.argument("targets", required=False, default="all")
@json_option
@click.pass_context
def list_cmd(ctx: click.Context, targets: str, as_json: bool) -> None:
    """List inventory hosts (secrets are never shown)."""
    from netops.devices.inventory import load_inventory

    inv = load_inventory(settings_from(ctx).paths.inventory)
    hosts = inv.select(targets)
    if as_json:
        emit_json({"inventory": str(inv.source), "hosts": [h.describe() for h in hosts],
                   "warnings": list(inv.warnings)})
        return
    from rich.table import Table

    table = Table(title=f"{len(hosts)} host(s) from {inv.source}")
    for col in ("name", "address", "platform", "groups", "user", "auth"):
        table.add_column(col)
    for h in hosts:
        c = h.credentials.describe()
        auth = ", ".join(a for a in (
            "key" if c["key_file"] else "", c["password"] or "", "agent" if c["agent"] else "") if a)
        table.add_row(h.name, f"{h.hostname}:{h.port}", h.platform, ",".join(h.all_groups),
                      c["username"] or "-", auth)
    print_wide(console(), table)  # inventory warnings reach stderr through logging (configure_logging)


@devices.command("check")
@click.argument("targets")
@json_option
@click.pass_context
def check_cmd(ctx: click.Context, targets: str, as_json: bool) -> None:
    """Check hosts in parallel: reachable, host key known, authenticated."""
    with _session(ctx, "devices check") as session:
        svc = session.devices
        hosts = svc.select(targets)
        agg = _with_progress("checking", len(hosts), lambda cb: svc.check(targets, on_result=cb))
    if as_json:
        emit_json(agg.to_dict())
    else:
        from rich.table import Table

        def mark(v: Any) -> str:
            return "-" if v is None else ("yes" if v else "NO")

        table = Table(title="device check")
        for col in ("host", "reachable", "host key", "auth", "time", "problem"):
            table.add_column(col)
        for name, r in agg.items():
            d = r.data
            table.add_row(name, mark(d.reachable if d else None), mark(d.host_key_known if d else None),
                          mark(d.authenticated if d else None), f"{r.elapsed:.2f}s",
                          (f"{r.error_type}: {r.error}" + (f" (fix: {r.hint})" if r.hint else "")) if r.failed else "")
        print_wide(console(), table)
    _exit_for(ctx, agg)


@devices.command("trust")
@click.argument("host")
@click.option("--yes", "-y", is_flag=True, help="Record the key without asking.")
@json_option
@click.pass_context
def trust_cmd(ctx: click.Context, host: str, yes: bool, as_json: bool) -> None:
    """Fetch HOST's SSH key, show its fingerprint and record it in known_hosts.

    HOST is an inventory name or ADDRESS[:PORT].
    """
    from netops.devices import hostkeys
    from netops.errors import ApprovalDenied, InputError

    from netops.errors import NetopsError

    settings = settings_from(ctx)
    hostname, port = _endpoint(settings, host)
    try:
        key = hostkeys.fetch_host_key(hostname, port, timeout=settings.ssh.connect_timeout,
                                      legacy=settings.ssh.allow_legacy_algorithms)
    except NetopsError as exc:  # a typo ('r9', 'all') was looked up in DNS: say it is no inventory host
        names = _inventory_names(settings)
        if names is not None and host not in names:
            exc.hint = f"{host!r} is not a host in the inventory (hosts: {', '.join(names) or 'none'})" + \
                (f"; {exc.hint}" if exc.hint else "")
        raise
    path = settings.paths.known_hosts
    known = hostkeys.known_keys(path, hostname, port)
    fp = hostkeys.fingerprint(key)
    info = {"host": host, "endpoint": hostkeys.known_hosts_name(hostname, port), "key_type": key.get_name(),
            "fingerprint": fp, "known_hosts": str(path)}
    same = known.get(key.get_name())
    if same is not None and same.asbytes() == key.asbytes():
        info["recorded"] = True
        info["already_known"] = True
        emit_json(info) if as_json else click.echo(f"{host}: {key.get_name()} {fp} is already trusted")
        return
    click.echo(f"{info['endpoint']} offers {key.get_name()} {fp}", err=True)
    if known:
        click.echo("WARNING: this differs from the recorded key(s): "
                   + ", ".join(f"{t} {hostkeys.fingerprint(k)}" for t, k in known.items())
                   + " (possible man-in-the-middle)", err=True)
    if not yes:
        if not click.get_text_stream("stdin").isatty():
            raise InputError("refusing to trust a key without confirmation", hint="pass --yes after checking the fingerprint")
        if not click.confirm("Trust this key?", default=False, err=True):
            raise ApprovalDenied(f"key for {host} not recorded")
    hostkeys.trust_key(path, hostname, port, key)
    info["recorded"] = True
    info["already_known"] = False
    emit_json(info) if as_json else click.echo(f"recorded {info['endpoint']} {key.get_name()} {fp} in {path}")


def _inventory_names(settings: Any) -> list[str] | None:
    """The inventory's host names; None when it cannot be read."""
    from netops.errors import InventoryError

    try:
        from netops.devices.inventory import load_inventory

        return list(load_inventory(settings.paths.inventory).hosts)
    except InventoryError:
        return None


def _endpoint(settings: Any, host: str) -> tuple[str, int]:
    from netops.errors import InputError, InventoryError

    try:
        from netops.devices.inventory import load_inventory

        inv = load_inventory(settings.paths.inventory)
        if host in inv:
            h = inv.host(host)
            return h.hostname, h.port
    except InventoryError:
        pass
    name, sep, port = host.rpartition(":") if host.count(":") == 1 else (host, "", "")
    if not sep:
        return host, 22
    if not port.isdigit() or not 1 <= int(port) <= 65535:
        raise InputError(f"bad port in {host!r}")
    return name, int(port)


@devices.group("import")
def import_group() -> None:
    """Import inventories from other tools."""


@import_group.command("ansible")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Write the netops inventory here.")
@click.option("--force", is_flag=True, help="Overwrite --output if it exists.")
@json_option
def import_ansible(file: Path, output: Path | None, force: bool, as_json: bool) -> None:
    """Convert an Ansible inventory (INI or YAML) to a netops inventory."""
    from netops.devices.ansible import convert, write_inventory

    result = convert(file)
    if output is not None:
        write_inventory(result, output, force=force)
    if as_json:
        emit_json({"inventory": result.inventory, "warnings": result.warnings,
                   "output": str(output) if output else None})
    elif output is None:
        click.echo(result.to_yaml(), nl=False)
    else:
        click.echo(f"wrote {len(result.inventory['hosts'])} host(s) to {output}", err=True)
    if not as_json:
        for w in result.warnings:
            click.echo(f"warning: {w}", err=True)


@click.command()
@click.argument("targets")
@click.argument("command")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), help="Seconds per command (default: settings.ssh.command_timeout).")
@json_option
@click.pass_context
def show(ctx: click.Context, targets: str, command: str, timeout: float | None, as_json: bool) -> None:
    """Run one read-only COMMAND on TARGETS (names, groups, 'all', 'platform=frr').

    Refused commands (configure, write, clear, pipes to anything but an allowed filter, ...)
    are never sent; the reason is printed and the exit code is 5.
    """
    with _session(ctx, "show") as session:
        svc = session.devices
        hosts = svc.select(targets)
        agg = _with_progress(command, len(hosts), lambda cb: svc.run(targets, command, timeout=timeout, on_result=cb))
    _raise_if_refused(agg)
    if as_json:
        emit_json(agg.to_dict())
    else:
        _render_outputs(agg)
    for host, why in agg.parse_errors.items():  # stderr, with --json too (there `data` is null)
        click.echo(f"{host}: warning: {why}; the raw output is shown", err=True)
    _exit_for(ctx, agg)


def _render_outputs(agg: Any) -> None:
    """Device output as the device printed it: no frame and no re-wrapping, so it can be copied,
    grepped and saved. On a terminal each host gets a header line; piped, one host's output is
    printed bare (``> r1.cfg`` saves just the config) and several hosts' lines are prefixed with
    ``host: `` (``| grep 65002`` says which router peers with AS 65002); failures go to stderr."""
    out = console()
    if out.is_terminal:
        from rich.text import Text

        for host, r in agg.items():
            if r.failed:
                out.rule(Text(f"{host}: {r.error_type}", style="bold red"), align="left", style="red")
                out.print(Text(r.error or ""), soft_wrap=True)
                if r.hint:
                    out.print(Text(f"hint: {r.hint}"), soft_wrap=True)
                continue
            if r.device_error:  # the device's own text, on stderr: the command did not give its output
                err = console(stderr=True)
                err.rule(Text(f"{host}: {r.command}: the device answered with an error", style="bold red"),
                         align="left", style="red")
                err.print(Text(r.output or ""), soft_wrap=True)
                continue
            out.rule(Text(f"{host}: {r.command}  ({r.elapsed:.2f}s)", style="bold"), align="left", style="green")
            out.print(Text(r.output or ""), soft_wrap=True)
            if r.truncated:
                out.print(Text("[output truncated]", style="yellow"))
        return
    many = len(agg) > 1
    for host, r in agg.items():
        if r.failed:
            click.echo(f"{host}: {r.error_type}: {r.error}", err=True)
            if r.hint:
                click.echo(f"{host}: hint: {r.hint}", err=True)
            continue
        lines = (r.output or "").splitlines()
        # an error the device printed goes to stderr, as the device printed it ("| grep" and "> file"
        # get output only; the exit status says it failed)
        click.echo("\n".join(f"{host}: {line}" if many else line for line in lines), err=bool(r.device_error))
        if r.truncated:
            click.echo(f"{host}: output truncated", err=True)


@click.command()
@click.argument("targets")
@click.argument("getter")
@click.argument("arg", required=False, metavar="[PREFIX|PEER]")
@click.option("--prefix", help="Prefix or address for the 'route', 'routes' and 'bgp_routes' getters.")
@click.option("--peer", help="BGP peer (address or inventory host name, or 'all' for every peer) for "
              "'advertised' and 'received'.")
@click.option("--family", type=click.Choice(["ipv4", "ipv6"]), help="Address family for 'advertised'/'received'.")
@click.option("--vrf", help="VRF (routing instance) for 'bgp', 'advertised' and 'received' (default: the global table).")
@json_option
@click.pass_context
def state(ctx: click.Context, targets: str, getter: str, arg: str | None, prefix: str | None, peer: str | None,
          family: str | None, vrf: str | None, as_json: bool) -> None:
    """Typed device state. GETTER: facts, interfaces, bgp, ospf, route (--prefix), config,
    routes and bgp_routes (--prefix: everything at or inside it), advertised and received
    (--peer: the routes sent to / accepted from one BGP peer, or every peer with --peer all). --vrf NAME: the sessions or the
    peer of that VRF. The getter may come first (`netops state bgp r1`), and the prefix or peer
    may follow it (`netops state r1 route 203.0.113.0/24`, `netops state r1 advertised r2`)."""
    from netops.devices.getters import PEER_GETTERS, canonical
    from netops.errors import InputError

    try:
        name = canonical(getter)
    except InputError:
        try:  # `state bgp r1`: a getter where the targets go and none where the getter goes
            name = canonical(targets)
        except InputError:
            name = ""
        if not name:
            raise
        targets = getter
    if arg is not None:
        if name in PEER_GETTERS:
            if peer is not None and peer != arg:
                raise InputError(f"two peers given ({arg!r} and --peer {peer!r}); give one")
            peer = arg
        elif name in ("route", "routes", "bgp_routes"):
            if prefix is not None and prefix != arg:
                raise InputError(f"two prefixes given ({arg!r} and --prefix {prefix!r}); give one")
            prefix = arg
        else:
            raise InputError(f"the {name!r} getter takes no argument (got {arg!r}); "
                             "only route, routes, bgp_routes (a prefix) and advertised, received (a peer) do")
    kw: dict[str, str] = {"prefix": prefix} if name == "route" or prefix else {}
    if name in PEER_GETTERS or peer is not None:
        kw["peer"] = peer or ""
    if family is not None:
        kw["family"] = family
    if vrf is not None:
        kw["vrf"] = vrf
    with _session(ctx, "state") as session:
        svc = session.devices
        hosts = svc.select(targets)
        agg = _with_progress(name, len(hosts), lambda cb: svc.get(targets, name, on_result=cb, **kw))
    if as_json:
        emit_json(agg.to_dict())
    else:
        from netops.cli.devices_render import render_state

        render_state(console(), name, agg)
    for host, fault in agg.faults.items():  # stderr, with --json too: a script's log says why it failed
        click.echo(f"{host}: {fault}", err=True)
    _exit_for(ctx, agg)
