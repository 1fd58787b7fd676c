"""``netops lab``: a real FRRouting lab on this machine (needs root)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from netops.cli._common import emit_json, json_option, progress, settings_from

id_option = click.option("--id", "lab_id", type=click.IntRange(1, 99), default=None,
                         help="Which lab (labs with different ids run side by side). Default: for up, 1; "
                              "otherwise the only lab of this NETOPS_HOME, else 1.")


def _lab_id_or_only(lab_id: int | None, home_labs: "Path | None" = None) -> tuple[int, str | None]:
    """The lab a subcommand acts on: the id given; with none, the one lab brought up in this home
    (and a line saying so), else lab 1. After `netops lab up --id 6`, `netops lab status` said
    "lab 1 is not up"."""
    if lab_id is not None:
        return lab_id, None
    if home_labs is None:
        home_labs = settings_from().paths.lab_dir
    ids = sorted(int(p.parent.name) for p in home_labs.glob("*/state.json") if p.parent.name.isdigit()) \
        if home_labs.is_dir() else []
    if len(ids) == 1 and ids[0] != 1:
        return ids[0], f"lab {ids[0]}: the only lab in {home_labs} (--id {ids[0]}; give another --id for another lab)"
    return 1, None


@click.group()
def lab() -> None:
    """Run three FRR routers (r1, r2, r3) in network namespaces behind real OpenSSH.

    Lab N answers SSH on 127.0.<100+N>.1-3 port 22; `up` writes an inventory and merges the
    routers' host keys into netops' known_hosts. Lab 1's inventory is the default one, and so is
    the inventory of the only lab in NETOPS_HOME (`lab up --id 6` alone needs no export); with
    two or more labs, `up` prints the NETOPS_INVENTORY to export. Without --id, `up` is lab 1;
    status, down and reset act on the only lab of the home. Needs root and: apt-get install frr openssh-server socat.
    """


def _lab(lab_id: int | None):
    from netops.lab import Lab

    lab_id, said = _lab_id_or_only(lab_id)
    if said:
        click.echo(said, err=True)
    return Lab(settings_from(), lab_id)


@contextmanager
def _routers_locked(lab_obj) -> Iterator[None]:
    """Hold the change locks of the lab's routers (in this NETOPS_HOME) while it is torn down: a
    change under way on one of them keeps the lab up (its rollback needs the router), and no
    change starts on a router that is being removed."""
    from netops.errors import DeviceBusy
    from netops.playbook.hostlock import HostLocks

    names = [r.name for r in lab_obj.topology.routers]
    try:
        locks = HostLocks.acquire(lab_obj.settings.paths.home, names, run=f"lab {lab_obj.lab_id} teardown",
                                  playbook="(netops lab down)")
    except DeviceBusy as exc:
        raise DeviceBusy(f"lab {lab_obj.lab_id} was left up: {exc.message.removesuffix('; nothing was changed')}",
                         hint="let that change finish (Ctrl-C in it rolls it back), then try again") from None
    try:
        yield
    finally:
        locks.release()


def _bring_up(lab_obj, wait: bool, as_json: bool, reset: bool) -> None:
    start = time.monotonic()
    with progress() as bar:
        task = bar.add_task("lab", total=9)

        def on_progress(msg: str, done: int, total: int) -> None:
            bar.update(task, description=msg, completed=done, total=total + 1)

        if reset:
            with _routers_locked(lab_obj):
                info = lab_obj.reset(on_progress)
        else:
            info = lab_obj.up(on_progress)
        converged = None
        if wait:
            bar.update(task, description="waiting for BGP and OSPF")
            converged = lab_obj.wait_converged(30.0)
    elapsed = time.monotonic() - start
    env = _env_to_use(lab_obj, info)
    if as_json:
        emit_json({"lab": info, "converged_s": converged, "elapsed_s": round(elapsed, 2),
                   "inventory_in_use": not env, "env": env})
        return
    click.echo(f"lab {info.lab_id} is up ({elapsed:.1f} s" + (", converged)" if wait else ")"))
    for r in info.routers:
        click.echo(f"  {r.name}  ssh {info.username}@{r.ssh_host}  AS{r.asn}  loopback {r.loopback}  netns {r.namespace}")
    click.echo(f"inventory:   {info.inventory_path}")
    click.echo(f"known_hosts: {info.known_hosts_path} (also merged into {lab_obj.settings.paths.known_hosts})")
    click.echo(f"ssh key:     {info.key_file}")
    click.echo(f"password:    source {info.password_file}  (sets ${info.password_env})")
    if env:
        click.echo("use it:      " + " ".join(f"export {k}={v};" for k, v in env.items())
                   + " netops devices check all")
    else:
        click.echo("use it:      netops devices check all  (netops uses this inventory by default)")
    click.echo(f"try:         ssh -i {info.key_file} -o UserKnownHostsFile={info.known_hosts_path} "
               f"{info.username}@{info.routers[0].ssh_host} 'show bgp summary'")


def _env_to_use(lab_obj, info) -> dict[str, str]:
    """Environment a new shell needs so netops finds this lab's inventory (empty: none).

    Only lab 1 publishes the default inventory; other ids (side-by-side labs) do not, and the
    user cannot guess that without reading the code, so say it.
    """
    from netops.paths import Paths

    in_use = Paths.from_settings(lab_obj.settings).inventory
    if in_use.resolve() == info.inventory_path.resolve():
        return {}
    if lab_obj.lab_id == 1 and in_use.resolve() == (lab_obj.home_lab_dir / "inventory.yaml").resolve():
        return {}
    return {"NETOPS_INVENTORY": str(info.inventory_path)}


@lab.command()
@id_option
@click.option("--wait/--no-wait", default=True, show_default=True, help="Wait until BGP and OSPF are up.")
@json_option
def up(lab_id: int, wait: bool, as_json: bool) -> None:
    """Build and start the lab, then print how to reach it.

    \b
    Examples:
      netops lab up                 # lab 1 becomes the default inventory
      netops lab up --id 3          # alone in NETOPS_HOME: its inventory is the default one;
                                    # beside another lab: export NETOPS_INVENTORY=.../lab/3/inventory.yaml
      netops lab status --id 3 --json
    """
    from netops.lab import Lab

    # "netops lab up" is lab 1, as its example says, whatever else is up (review21 T5: it re-upped
    # the home's only lab, 6); status, down and reset act on the only lab
    _bring_up(Lab(settings_from(), lab_id or 1), wait, as_json, reset=False)


@lab.command()
@id_option
@click.option("--wait/--no-wait", default=True, show_default=True, help="Wait until BGP and OSPF are up.")
@json_option
def reset(lab_id: int, wait: bool, as_json: bool) -> None:
    """Tear the lab down and build it again (fresh configs)."""
    _bring_up(_lab(lab_id), wait, as_json, reset=True)


@lab.command()
@id_option
@json_option
def down(lab_id: int, as_json: bool) -> None:
    """Stop the lab and remove everything it created (safe to repeat)."""
    lab_obj = _lab(lab_id)
    lab_id = lab_obj.lab_id
    with _routers_locked(lab_obj):
        removed = lab_obj.down()
    if as_json:
        emit_json({"lab_id": lab_id, "removed": removed})
    else:
        click.echo(f"lab {lab_id} removed" if removed else f"lab {lab_id} was not up")


@lab.command()
@id_option
@json_option
def status(lab_id: int, as_json: bool) -> None:
    """Per router: namespace, daemons, SSH, BGP and OSPF neighbours.

    Exit 0 healthy, 1 degraded, 4 not up (so `lab status || lab up` works)."""
    from netops.lab import system

    system.preflight()
    lab_obj = _lab(lab_id)
    lab_id = lab_obj.lab_id
    st = lab_obj.status()
    code = 0 if st.healthy else 4 if not st.up and not st.routers else 1
    if as_json:
        emit_json({**_asdict(st), "healthy": st.healthy})
        click.get_current_context().exit(code)
    if not st.up and not st.routers:
        click.echo(f"lab {lab_id} is not up (netops lab up --id {lab_id})")
        click.get_current_context().exit(code)
    _print_status(lab_id, st)
    click.get_current_context().exit(code)


def _print_status(lab_id: int, st) -> None:
    click.echo(f"lab {lab_id}: {'healthy' if st.healthy else 'DEGRADED'}")
    for r in st.routers:
        daemons = " ".join(f"{d}:{pid or 'DOWN'}" for d, pid in r.daemons.items())
        click.echo(f"  {r.name} netns {r.namespace} {'present' if r.namespace_present else 'MISSING'}; {daemons}")
        click.echo(f"     ssh {r.ssh_host}:{r.ssh_port} {'ok' if r.ssh_reachable else 'UNREACHABLE'}")
        click.echo("     bgp  " + (", ".join(f"{k} {v}" for k, v in r.bgp_peers.items()) or "none"))
        click.echo("     ospf " + (", ".join(f"{k} {v}" for k, v in r.ospf_neighbors.items()) or "none"))


def _asdict(obj):
    from dataclasses import asdict

    return asdict(obj)
