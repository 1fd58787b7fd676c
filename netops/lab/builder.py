"""``Lab``: build, inspect and tear down a real FRRouting lab on this machine.

Each router is a network namespace running zebra, staticd, ospfd and bgpd (Debian ``frr``)
in its own UTS namespace, reachable over real OpenSSH on a loopback address (see
:mod:`netops.lab.topology` for the addressing scheme and :mod:`netops.lab.sshd` for the
forced router CLI). Everything the lab creates is recorded in ``state.json`` before it is
created, so :meth:`Lab.down` removes it all, also after a failed ``up``.
"""

from __future__ import annotations

import json
import os
import secrets
import shlex
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import SecretStr

from netops.errors import LabError
from netops.lab import system
from netops.lab.frrconf import VTYSH_CONF, render_frr_conf
from netops.lab.inventory import render_inventory
from netops.lab.sshd import (
    known_hosts_lines,
    merge_lines,
    remove_lines,
    render_cli_script,
    render_launcher,
    render_sshd_config,
    socat_listen_address,
)
from netops.lab.state import LabState, UserRecord
from netops.lab.topology import RouterSpec, Topology, build_topology
from netops.lab.types import LabInfo, LabStatus, RouterInfo, RouterStatus

if TYPE_CHECKING:
    from netops.settings import Settings

ProgressFn = Callable[[str, int, int], None]
"""``on_progress(step_description, steps_done, steps_total)``."""

PASSWORD_ENV = "NETOPS_LAB_PASSWORD"


def _no_progress(_msg: str, _done: int, _total: int) -> None:
    pass


class Lab:
    """One lab (``lab_id`` 1..99) whose files live under ``<home>/lab/<lab_id>/``."""

    def __init__(self, settings: "Settings", lab_id: int = 1) -> None:
        self.settings = settings
        self.topology: Topology = build_topology(lab_id)
        self.lab_id = lab_id
        self.home_lab_dir = settings.paths.lab_dir
        self.lab_dir = self.home_lab_dir / str(lab_id)
        self.runtime_dir = Path(self.topology.runtime_dir)
        self.state_path = self.lab_dir / "state.json"
        self.key_file = self.lab_dir / "id_ed25519"
        self.password_file = self.lab_dir / "lab.env"
        self.known_hosts_path = self.lab_dir / "known_hosts"
        self.inventory_path = self.lab_dir / "inventory.yaml"
        self.log_dir = self.lab_dir / "logs"

    # Paths per router ---------------------------------------------------------------------
    def vty_dir(self, router: str) -> Path:
        return self.runtime_dir / router

    def config_dir(self, router: str) -> Path:
        return self.lab_dir / router

    @property
    def user_marker(self) -> str:
        """GECOS of the login user, so a lab only ever deletes an account it created."""
        return f"netops-lab-{self.lab_id}"

    # Building -----------------------------------------------------------------------------
    def up(self, on_progress: ProgressFn | None = None) -> LabInfo:
        """Build and start the lab; returns how to reach it. Raises LabError (nothing left
        behind but ``logs/``) when any step fails."""
        progress = on_progress or _no_progress
        system.preflight()
        existing = LabState.load(self.state_path)
        if existing is not None and existing.phase == "up":
            raise LabError(f"lab {self.lab_id} is already up",
                           hint=f"netops lab status --id {self.lab_id}, or reset --id {self.lab_id}")
        if existing is not None:
            self.down(keep_logs=True)  # leftovers of a failed up
        self._check_free()

        state = LabState(lab_id=self.lab_id, lab_dir=str(self.lab_dir), runtime_dir=str(self.runtime_dir))
        password = secrets.token_urlsafe(18)
        steps: list[tuple[str, Callable[[], None]]] = [
            ("prepare directories and keys", lambda: self._prepare(state, password)),
            ("create login user", lambda: self._create_user(state, password)),
            ("create namespaces", lambda: self._create_namespaces(state)),
            ("wire links", self._create_links),
            ("start FRR daemons", lambda: self._start_daemons(state)),
            ("load router configs", self._load_configs),
            ("start SSH endpoints", lambda: self._start_ssh(state)),
            ("write inventory and known_hosts", lambda: self._publish(state, password)),
        ]
        try:
            for n, (title, step) in enumerate(steps):
                progress(title, n, len(steps))
                step()
                state.save(self.state_path)
            state.phase = "up"
            state.save(self.state_path)
            progress("lab is up", len(steps), len(steps))
        except BaseException as exc:
            try:
                self.down(keep_logs=True)
            except Exception:  # the original failure matters more than a failed cleanup
                pass
            if isinstance(exc, LabError):
                raise LabError(exc.message, hint=f"logs: {self.log_dir}") from exc
            raise
        return self.info(password)

    def _check_free(self) -> None:
        present = system.netns_list()
        clash = [r.namespace for r in self.topology.routers if r.namespace in present]
        if clash:
            raise LabError(f"namespace {clash[0]} already exists (lab {self.lab_id} up from another NETOPS_HOME?)",
                           hint=f"netops lab down --id {self.lab_id} removes it, or pick another --id")
        for r in self.topology.routers:
            if system.port_in_use(r.ssh_host, r.ssh_port):
                raise LabError(f"{r.ssh_host}:{r.ssh_port} is already in use",
                               hint=f"netops lab down --id {self.lab_id}, or pick another --id")

    def _prepare(self, state: LabState, password: str) -> None:
        import grp

        state.save(self.state_path)  # first record: the directories themselves
        self.lab_dir.mkdir(parents=True, exist_ok=True)
        os.chmod(self.lab_dir, 0o700)
        self.log_dir.mkdir(exist_ok=True)
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # sshd's privilege-separation dir
        self.runtime_dir.mkdir(parents=True, exist_ok=True)
        os.chmod(self.runtime_dir.parent, 0o755)
        os.chmod(self.runtime_dir, 0o755)
        frr_uid = _uid("frr")
        vty_gid = grp.getgrnam("frrvty").gr_gid
        for r in self.topology.routers:
            vty = self.vty_dir(r.name)
            vty.mkdir(exist_ok=True)
            os.chown(vty, frr_uid, vty_gid)
            os.chmod(vty, 0o775)
            cfg = self.config_dir(r.name)
            cfg.mkdir(exist_ok=True)
            (cfg / "frr.conf").write_text(render_frr_conf(r), encoding="utf-8")
            (cfg / "vtysh.conf").write_text(VTYSH_CONF, encoding="utf-8")
        _write_secret(self.password_file, f"export {PASSWORD_ENV}={shlex.quote(password)}\n")
        self.key_file.unlink(missing_ok=True)
        system.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", self.user_marker,
                    "-f", str(self.key_file)])
        pub = Path(str(self.key_file) + ".pub").read_text(encoding="utf-8").strip()
        auth = self.runtime_dir / "authorized_keys"
        auth.write_text(pub + "\n", encoding="utf-8")
        os.chmod(auth, 0o644)

    def _create_user(self, state: LabState, password: str) -> None:
        name = self.topology.username
        comment = system.user_comment(name)
        if comment is not None and comment != self.user_marker:
            raise LabError(f"user {name!r} already exists and was not created by lab {self.lab_id}",
                           hint="remove that account or use another --id")
        state.user = UserRecord(name=name, created=True)
        state.save(self.state_path)
        if comment is None:
            system.run(["useradd", "-M", "-d", "/", "-s", "/bin/bash", "-G", "frrvty",
                        "-c", self.user_marker, name])
        # the password travels on stdin, never in argv
        system.run(["chpasswd"], input=f"{name}:{password}\n")

    def _create_namespaces(self, state: LabState) -> None:
        for r in self.topology.routers:
            state.namespaces.append(r.namespace)
            state.save(self.state_path)
            system.run(["ip", "netns", "add", r.namespace])
            system.run(["ip", "-n", r.namespace, "link", "set", "lo", "up"])

    def _create_links(self) -> None:
        done: set[frozenset[str]] = set()
        for r in self.topology.routers:
            for link in r.links:
                pair = frozenset((r.name, link.peer))
                if pair in done:
                    continue
                done.add(pair)
                peer = self.topology.router(link.peer)
                back = self.topology.link(link.peer, r.name)
                system.run(["ip", "link", "add", "name", link.interface, "netns", r.namespace,
                            "type", "veth", "peer", "name", back.interface, "netns", peer.namespace])
        for r in self.topology.routers:
            for link in r.links:
                system.run(["ip", "-n", r.namespace, "link", "set", link.interface, "up"])

    def _start_daemons(self, state: LabState, only: str | None = None) -> None:
        routers = [r for r in self.topology.routers if only in (None, r.name)]
        for daemon in system.DAEMONS:  # every zebra first: the others connect to it
            for r in routers:
                vty = self.vty_dir(r.name)
                pidfile = vty / f"{daemon}.pid"
                cmd = [str(system.FRR_DIR / daemon), "-d", "-P", "0", "-f", "/dev/null",
                       "--vty_socket", str(vty), "-z", str(vty / "zserv.api"), "-i", str(pidfile),
                       "--log", f"file:{self.log_dir / f'{r.name}-{daemon}.log'}"]
                with open(self.log_dir / f"{r.name}-{daemon}.out", "ab") as out:
                    proc = system.run(self._in_router(r, cmd), check=False, timeout=20)
                    out.write((proc.stdout + proc.stderr).encode())
                pid = system.read_pidfile(pidfile)
                if proc.returncode != 0 or not system.pid_alive(pid):
                    raise LabError(f"{daemon} did not start on {r.name} (exit {proc.returncode})")
                state.daemon_pids.setdefault(r.name, {})[daemon] = pid  # type: ignore[assignment]
                state.save(self.state_path)

    def _load_configs(self, only: str | None = None) -> None:
        for r in [r for r in self.topology.routers if only in (None, r.name)]:
            cmd = ["vtysh", "--vty_socket", str(self.vty_dir(r.name)),
                   "--config_dir", str(self.config_dir(r.name)), "-b"]
            proc = system.run(self._in_router(r, cmd), check=False, timeout=30)
            if proc.returncode != 0:
                tail = (proc.stdout + proc.stderr).strip().splitlines()
                raise LabError(f"{r.name}: loading frr.conf failed: {tail[-1] if tail else proc.returncode}")

    def _start_ssh(self, state: LabState) -> None:
        user = self.topology.username
        cli = self.runtime_dir / "cli"
        cli.write_text(render_cli_script(), encoding="utf-8")
        os.chmod(cli, 0o755)
        # the login user cannot read /etc/frr; give its vtysh a config it can read
        (self.runtime_dir / "vtysh.conf").write_text(VTYSH_CONF, encoding="utf-8")
        os.chmod(self.runtime_dir / "vtysh.conf", 0o644)
        for r in self.topology.routers:
            vty = self.vty_dir(r.name)
            ssh_dir = self.runtime_dir / f"{r.name}-ssh"
            ssh_dir.mkdir(mode=0o700, exist_ok=True)
            key = ssh_dir / "ssh_host_ed25519_key"
            key.unlink(missing_ok=True)
            system.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", f"{r.name}.{self.user_marker}",
                        "-f", str(key)])
            conf = ssh_dir / "sshd_config"
            conf.write_text(render_sshd_config(host_key=key, authorized_keys=self.runtime_dir / "authorized_keys",
                                               user=user, cli_script=cli, vty_dir=vty,
                                               vtysh_conf_dir=self.runtime_dir), encoding="utf-8")
            system.run(["/usr/sbin/sshd", "-t", "-f", str(conf)])
            launcher = ssh_dir / "launch"
            launcher.write_text(render_launcher(namespace=r.namespace, hostname=r.name, sshd_config=conf),
                                encoding="utf-8")
            os.chmod(launcher, 0o700)
            log = self.log_dir / f"{r.name}-ssh.log"
            socat = [system.which("socat") or "socat", "-lf", str(log),
                     socat_listen_address(r.ssh_host, r.ssh_port),
                     f"EXEC:{launcher},nofork"]
            # `&` in a throwaway shell detaches socat (its parent becomes init), so no
            # zombie is left in long-lived callers such as a pytest session.
            proc = system.run(["/bin/sh", "-c", shlex.join(socat) + " </dev/null >/dev/null 2>&1 & echo $!"])
            state.socat_pids[r.name] = int(proc.stdout.strip())
            state.save(self.state_path)
        deadline = time.monotonic() + 5
        for r in self.topology.routers:
            while system.ssh_banner(r.ssh_host, r.ssh_port, timeout=1.0) is None:
                if time.monotonic() > deadline:
                    raise LabError(f"sshd for {r.name} does not answer on {r.ssh_host}:{r.ssh_port}")
                time.sleep(0.05)

    def _publish(self, state: LabState, password: str) -> None:
        lines: list[str] = []
        for r in self.topology.routers:
            pub = (self.runtime_dir / f"{r.name}-ssh" / "ssh_host_ed25519_key.pub").read_text().strip()
            lines += known_hosts_lines(r.ssh_host, r.ssh_port, pub, f"{r.name}.{self.user_marker}")
        targets = [self.known_hosts_path, self.home_lab_dir / "known_hosts", self.settings.paths.known_hosts]
        for target in dict.fromkeys(targets):
            state.known_hosts[str(target)] = lines
            state.save(self.state_path)
            merge_lines(target, lines)
        info = self.info(password)
        inventories = [self.inventory_path]
        if self.lab_id == 1:
            inventories.append(self.home_lab_dir / "inventory.yaml")
        for path in inventories:
            if path.parent != self.lab_dir:
                state.files.append(str(path))
                state.save(self.state_path)
            path.write_text(render_inventory(info), encoding="utf-8")

    def _in_router(self, r: RouterSpec, cmd: list[str]) -> list[str]:
        """``cmd`` inside the router's network namespace and a UTS namespace named after it."""
        return ["ip", "netns", "exec", r.namespace, "unshare", "--uts", "/bin/sh", "-c",
                f'hostname {r.name} && exec "$@"', "sh", *cmd]

    # Reading ------------------------------------------------------------------------------
    def info(self, password: str | None = None) -> LabInfo:
        """How to reach this lab (read from its files when ``password`` is not given)."""
        if password is None:
            password = self._read_password()
        routers = tuple(
            RouterInfo(
                name=r.name, namespace=r.namespace, ssh_host=r.ssh_host, ssh_port=r.ssh_port,
                asn=r.asn, loopback=r.loopback, router_id=r.router_id,
                links=r.links,
                vty_dir=self.vty_dir(r.name), config_file=self.config_dir(r.name) / "frr.conf",
            )
            for r in self.topology.routers
        )
        return LabInfo(
            lab_id=self.lab_id, lab_dir=self.lab_dir, runtime_dir=self.runtime_dir, routers=routers,
            inventory_path=self.inventory_path, known_hosts_path=self.known_hosts_path,
            key_file=self.key_file, username=self.topology.username,
            password=SecretStr(password), password_file=self.password_file, password_env=PASSWORD_ENV,
        )

    def _read_password(self) -> str:
        try:
            text = self.password_file.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            raise LabError(f"lab {self.lab_id} is not up (no {self.password_file})",
                           hint=f"netops lab up --id {self.lab_id}") from None
        return shlex.split(text.split("=", 1)[1])[0]

    def is_up(self) -> bool:
        state = LabState.load(self.state_path)
        return state is not None and state.phase == "up"

    def vtysh(self, router: str, *commands: str, timeout: float = 20.0) -> str:
        """Run router CLI commands directly with vtysh (no SSH); returns the output.

        Raises LabError when vtysh fails (unknown command, daemon down)."""
        r = self.topology.router(router)
        args = ["vtysh", "--vty_socket", str(self.vty_dir(router))]
        for c in commands:
            args += ["-c", c]
        proc = system.run(self._in_router(r, args), check=False, timeout=timeout)
        if proc.returncode != 0:
            out = (proc.stdout + proc.stderr).strip()
            raise LabError(f"vtysh on {router} failed (exit {proc.returncode}): {out.splitlines()[-1] if out else ''}")
        return proc.stdout

    def vtysh_json(self, router: str, command: str) -> dict:
        out = self.vtysh(router, command)
        try:
            return json.loads(out) if out.strip() else {}
        except json.JSONDecodeError as exc:
            raise LabError(f"{router}: {command!r} did not return JSON") from exc

    def bgp_peers(self, router: str) -> dict[str, str]:
        """neighbour address -> BGP state."""
        data = self.vtysh_json(router, "show bgp summary json")
        peers = (data.get("ipv4Unicast") or {}).get("peers") or {}
        return {addr: p.get("state", "?") for addr, p in peers.items()}

    def ospf_neighbors(self, router: str) -> dict[str, str]:
        """neighbour router-id -> OSPF state (``Full``, ``Init``, ...; the DR role dropped)."""
        data = self.vtysh_json(router, "show ip ospf neighbor json")
        out: dict[str, str] = {}
        for rid, entries in (data.get("neighbors") or {}).items():
            entry = entries[0] if isinstance(entries, list) and entries else entries
            state = entry.get("nbrState") or entry.get("state") or "?"
            out[rid] = state.split("/")[0]
        return out

    def wait_converged(self, timeout: float = 30.0) -> float:
        """Wait until every BGP session is Established and every OSPF adjacency Full.

        Returns the seconds it took; raises LabError naming what is still down."""
        start = time.monotonic()
        expected = {r.name: len(r.links) for r in self.topology.routers}
        pending: list[str] = []
        while True:
            pending = []
            for r in self.topology.routers:
                try:
                    bgp = self.bgp_peers(r.name)
                    ospf = self.ospf_neighbors(r.name)
                except LabError as exc:
                    pending.append(f"{r.name}: {exc.message}")
                    continue
                up_bgp = sum(1 for s in bgp.values() if s == "Established")
                up_ospf = sum(1 for s in ospf.values() if s == "Full")
                if up_bgp < expected[r.name]:
                    pending.append(f"{r.name}: BGP {up_bgp}/{expected[r.name]} Established")
                if up_ospf < expected[r.name]:
                    pending.append(f"{r.name}: OSPF {up_ospf}/{expected[r.name]} Full")
            if not pending:
                return time.monotonic() - start
            if time.monotonic() - start > timeout:
                raise LabError(f"lab {self.lab_id} not converged after {timeout:g} s: " + "; ".join(pending),
                               hint=f"netops lab status --id {self.lab_id}")
            time.sleep(0.2)

    def set_link(self, router_a: str, router_b: str, up: bool) -> None:
        """Bring router_a's end of the a-b link up or down (a fault for tests)."""
        r = self.topology.router(router_a)
        link = self.topology.link(router_a, router_b)
        system.run(["ip", "-n", r.namespace, "link", "set", link.interface, "up" if up else "down"])

    def set_latency(self, seconds: float) -> None:
        """Make every exec request wait ``seconds`` before the router answers (0 turns it off).

        Emulates a real device's response time for benchmarks (no netem on these machines);
        interactive sessions are not delayed.
        """
        path = self.runtime_dir / "latency_s"
        if seconds <= 0:
            path.unlink(missing_ok=True)
            return
        path.write_text(f"{seconds:.3f}\n", encoding="utf-8")
        os.chmod(path, 0o644)

    def running_config(self, router: str) -> str:
        """``show running-config`` without the volatile header lines."""
        out = self.vtysh(router, "show running-config")
        return "\n".join(ln for ln in out.splitlines()
                         if not ln.startswith(("Building configuration", "Current configuration")))

    def restart_router(self, router: str) -> None:
        """Restart one router's daemons from its original ``frr.conf`` (a clean restore)."""
        system.preflight()
        state = LabState.load(self.state_path)
        if state is None or state.phase != "up":
            raise LabError(f"lab {self.lab_id} is not up", hint=f"netops lab up --id {self.lab_id}")
        r = self.topology.router(router)
        pids = [p for d in system.DAEMONS
                if (p := system.read_pidfile(self.vty_dir(router) / f"{d}.pid")) is not None]
        system.terminate(pids, grace=3.0)
        # addresses outlive zebra: drop them so a changed address does not linger
        for dev in [link.interface for link in r.links]:
            system.run(["ip", "-n", r.namespace, "addr", "flush", "dev", dev], check=False)
            system.run(["ip", "-n", r.namespace, "link", "set", dev, "up"], check=False)
        system.run(["ip", "-n", r.namespace, "addr", "flush", "dev", "lo", "scope", "global"], check=False)
        self._start_daemons(state, only=router)
        self._load_configs(only=router)
        state.save(self.state_path)

    def status(self) -> LabStatus:
        """Per router: namespace, daemon pids, SSH reachability, BGP and OSPF neighbours."""
        state = LabState.load(self.state_path)
        if state is None:
            return LabStatus(lab_id=self.lab_id, up=False, lab_dir=self.lab_dir)
        present = system.netns_list()
        routers = []
        for r in self.topology.routers:
            daemons: dict[str, int | None] = {}
            for d in system.DAEMONS:
                pid = system.read_pidfile(self.vty_dir(r.name) / f"{d}.pid")
                daemons[d] = pid if system.pid_alive(pid) else None
            banner = system.ssh_banner(r.ssh_host, r.ssh_port)
            bgp: dict[str, str] = {}
            ospf: dict[str, str] = {}
            if r.namespace in present:
                try:
                    bgp = self.bgp_peers(r.name)
                    ospf = self.ospf_neighbors(r.name)
                except LabError:
                    pass
            routers.append(RouterStatus(
                name=r.name, namespace=r.namespace, namespace_present=r.namespace in present,
                daemons=daemons, ssh_host=r.ssh_host, ssh_port=r.ssh_port,
                ssh_reachable=banner is not None, ssh_banner=banner, bgp_peers=bgp, ospf_neighbors=ospf,
            ))
        return LabStatus(lab_id=self.lab_id, up=state.phase == "up", lab_dir=self.lab_dir,
                         routers=tuple(routers))

    # Tearing down -------------------------------------------------------------------------
    def down(self, keep_logs: bool = False) -> bool:
        """Remove everything the lab created. Idempotent; returns False when nothing was up.

        Besides what ``state.json`` records, it sweeps by this lab's naming scheme
        (namespaces ``nl<id>-r*``, its socat listeners, the user marked ``netops-lab-<id>``),
        so a lab started from another NETOPS_HOME can be removed too."""
        system.preflight()
        state = LabState.load(self.state_path)
        found = state is not None
        # 1. the SSH listeners (and any session they spawned inside the namespaces, below)
        prefix = f"TCP-LISTEN:22,bind=127.0.{100 + self.lab_id}."
        candidates = set(state.socat_pids.values()) if state else set()
        candidates |= set(system.pids_matching(prefix))
        socat = {p for p in candidates if _is_our_socat(p, prefix)}
        found |= bool(socat)
        system.terminate(sorted(socat))
        # 2. every process inside our namespaces, then the namespaces
        present = system.netns_list()
        names = set(state.namespaces) if state else set()
        names |= {r.namespace for r in self.topology.routers}
        for ns in sorted(names & present):
            found = True
            system.terminate(system.netns_pids(ns), grace=3.0)
        if state:
            system.terminate([p for pids in state.daemon_pids.values() for p in pids.values()])
        for ns in sorted(names & present):
            system.run(["ip", "netns", "del", ns], check=False)
        # 3. the login user, only if it carries this lab's marker
        name = state.user.name if state and state.user else self.topology.username
        if system.user_comment(name) == self.user_marker:
            found = True
            system.run(["userdel", "-f", name], check=False)
        # 4. known_hosts lines and files outside the lab dir
        if state:
            for path, lines in state.known_hosts.items():
                remove_lines(Path(path), lines)
            for f in state.files:
                Path(f).unlink(missing_ok=True)
        # 5. directories
        if self.runtime_dir.exists():
            found = True
            shutil.rmtree(self.runtime_dir, ignore_errors=True)
        if self.lab_dir.exists():
            if keep_logs:
                for child in self.lab_dir.iterdir():
                    if child != self.log_dir:
                        shutil.rmtree(child) if child.is_dir() else child.unlink()
            else:
                shutil.rmtree(self.lab_dir, ignore_errors=True)
        return found

    def reset(self, on_progress: ProgressFn | None = None) -> LabInfo:
        """``down`` then ``up``."""
        self.down()
        return self.up(on_progress)


def _is_our_socat(pid: int, prefix: str) -> bool:
    cmd = system.proc_cmdline(pid)
    return bool(cmd) and Path(cmd[0]).name == "socat" and any(a.startswith(prefix) for a in cmd)


def _uid(user: str) -> int:
    import pwd

    try:
        return pwd.getpwnam(user).pw_uid
    except KeyError:
        raise LabError(f"system user {user!r} is missing", hint="apt-get install --reinstall frr") from None


def _write_secret(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
