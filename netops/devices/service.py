"""DeviceService: the library API for live device state (what the CLI, agent and playbooks use).

::

    with DeviceService(settings) as devices:
        agg = devices.run("r1,r2", "show bgp summary")        # read-only, policy-checked
        bgp = devices.get("all", "bgp_neighbors")              # typed models in .data
        devices.configure("r1", ["router bgp 65001", " ..."])  # privileged: playbook runner only

Read commands are checked by :mod:`netops.devices.policy` for every target before anything is
sent; refused hosts get a failed result with ``error_type="PolicyViolation"``. All output is
redacted before it is returned or recorded: command output by shape (JSON structurally, text by
the platform's line rules), getter results by field after parsing (parsers see the text unredacted, so
a secret-looking description can never break their JSON, but without control characters and
Unicode line separators: :func:`netops.controls.printable`, as the person sees it). Only the playbook runner reads an
unredacted running config (``running_config(host, redacted=False)``), to compare in memory.
Connections are pooled per host for the life of the service and closed by :meth:`close`
(or leaving the ``with`` block).
"""

from __future__ import annotations

import contextvars
import hashlib
import logging
import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from netops.controls import printable
from netops.devices.fanout import failed_result, fan_out
from netops.devices.inventory import Host, Inventory, load_inventory
from netops.devices.platforms import get_platform
from netops.devices.policy import check_command
from netops.devices.redact import redact, redact_data, redact_lines, redact_output
from netops.devices.results import AggregateResult, HostResult
from netops.devices.transport import CommandOutput, Connection, TransportFactory
from netops.errors import (Cancelled, CommandTimeout, DeviceError, InputError, NetopsError, PolicyViolation,
                           SessionClosed)

if TYPE_CHECKING:
    from netops.cancel import CancelToken
    from netops.settings import Settings

log = logging.getLogger("netops.devices")

Recorder = Callable[[dict[str, Any]], None]



_SHARED_READS: contextvars.ContextVar[dict[tuple[str, str], tuple[CommandOutput, str]] | None] = \
    contextvars.ContextVar("netops_shared_reads", default=None)


@contextmanager
def shared_reads() -> Iterator[None]:
    """One moment's view of the devices: inside this block (in this thread and the fan-outs it
    starts) a read command a host has answered answers again from that answer, without being
    sent or recorded again. For a playbook plan, whose prechecks and diff base read the same
    running config a moment apart; a run's prechecks, snapshot and postchecks read outside it."""
    token = _SHARED_READS.set({})
    try:
        yield
    finally:
        _SHARED_READS.reset(token)


class ConnectionPool:
    """One open connection per host, reused across commands; one command at a time per host."""

    def __init__(self, factory: TransportFactory, settings: "Settings") -> None:
        self._factory = factory
        self._settings = settings
        self._conns: dict[str, Connection] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def lock(self, host: Host) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(host.name, threading.Lock())

    def acquire(self, host: Host) -> tuple[Connection, bool]:
        """The pooled connection for ``host`` (caller holds :meth:`lock`); ``(conn, reused)``."""
        conn = self._conns.get(host.name)
        if conn is not None and conn.is_alive():
            return conn, True
        if conn is not None:
            self.discard(host)
        conn = self._factory(host, self._settings)
        self._conns[host.name] = conn
        return conn, False

    def discard(self, host: Host) -> None:
        conn = self._conns.pop(host.name, None)
        if conn is not None:
            try:
                conn.close()
            except Exception:  # closing a broken session must not mask the real error
                log.debug("closing %s failed", host.name, exc_info=True)

    def forget(self, host: Host, conn: Connection) -> None:
        """Drop ``conn`` from the pool if it is still ``host``'s (without closing it)."""
        with self._guard:
            if self._conns.get(host.name) is conn:
                self._conns.pop(host.name, None)

    def close_all(self) -> None:
        with self._guard:
            names = list(self._conns)
        for name in names:
            conn = self._conns.pop(name, None)
            if conn is not None:
                try:
                    conn.close()
                except Exception:
                    log.debug("closing %s failed", name, exc_info=True)

    def __len__(self) -> int:
        return len(self._conns)


class DeviceService:
    """Inventory, pooled sessions, read-only commands, typed getters and (privileged) config."""

    def __init__(self, settings: "Settings", *, transport_factory: TransportFactory | None = None,
                 recorder: Recorder | None = None, inventory: Inventory | None = None) -> None:
        from netops.devices.transport import ssh_transport

        self.settings = settings
        self.recorder = recorder
        self.default_transport = transport_factory is None
        """True with the real SSH transport: another process (the playbook guard) can reach
        the same hosts with the same settings."""
        self._inventory = inventory
        self._pool = ConnectionPool(transport_factory or ssh_transport, settings)

    # -- inventory --------------------------------------------------------------------------
    @property
    def inventory(self) -> Inventory:
        """The inventory at ``settings.paths.inventory`` (loaded on first use)."""
        if self._inventory is None:
            self._inventory = load_inventory(self.settings.paths.inventory)
        return self._inventory

    def select(self, targets: str | Sequence[str]) -> list[Host]:
        """Hosts for names, groups, ``all``, ``platform=frr``, ``group=core``; unknown -> NotFoundError."""
        return self.inventory.select(targets)

    def _preflight(self, hosts: Sequence[Host]) -> None:
        """Configuration every host needs, checked once before any is tried: a broken
        known_hosts is one :class:`ConfigError`, not a failed result per host."""
        if hosts and self.default_transport:
            from netops.devices.hostkeys import check_known_hosts

            check_known_hosts(self.settings.paths.known_hosts)

    # -- reads ------------------------------------------------------------------------------
    def run(self, targets: str | Sequence[str], command: str, *, timeout: float | None = None,
            on_result: Callable[[HostResult], None] | None = None,
            cancel: "CancelToken | None" = None, filter_here: bool = False) -> AggregateResult:
        """Run one read-only command on every target, in parallel. Policy is checked first.

        ``filter_here`` (a command a model wrote): line filters (``| include`` ...) are run by
        netops on the redacted output, not by the device on the raw one, so a guess at a secret
        in a pattern reads the same right or wrong (:mod:`netops.devices.linefilter`).

        ``cancel``: when it fires, this returns at once; hosts still running get a failed result
        (``error_type="Cancelled"``) and their SSH sessions are closed (the command is abandoned,
        recorded as failed, and the next command reconnects)."""
        hosts = self.select(targets)
        decisions = {h.name: check_command(command, h.platform) for h in hosts}
        allowed = [h for h in hosts if decisions[h.name].allowed]
        refused = {h.name: failed_result(h.name, PolicyViolation(f"refused {command!r}: {decisions[h.name].reason}"),
                                         command=command)
                   for h in hosts if not decisions[h.name].allowed}
        for h in hosts:
            if h.name in refused:
                self._record(h, command, ok=False, elapsed=0.0, text="", kind="read",
                             refused=decisions[h.name].reason)
        for r in refused.values():
            if on_result:
                on_result(r)
        self._preflight(allowed)

        def one(host: Host) -> HostResult:
            return self._run_read(host, decisions[host.name].command, timeout, cancel, filter_here=filter_here)

        agg = self._fan_out(f"run {redact(command)!r}", allowed, one, on_result, cancel,
                            {h.name: decisions[h.name].command for h in allowed})
        out = AggregateResult(name=agg.name)
        for h in hosts:
            out.add(refused.get(h.name) or agg[h.name])
        return out

    def get(self, targets: str | Sequence[str], getter: str, *,
            on_result: Callable[[HostResult], None] | None = None, cancel: "CancelToken | None" = None,
            **kw: Any) -> AggregateResult:
        """Typed state from every target, by getter name (the table in :mod:`netops.devices.getters`:
        ``facts``, ``interfaces``, ``bgp_neighbors``, ``ospf_neighbors``, ``config``; ``route``,
        ``routes``, ``bgp_routes``, ``bgp_inbound`` with ``prefix=...``; ``bgp_advertised``,
        ``bgp_received`` with ``peer=...``). Models are in ``.data``, redacted by field after
        parsing. ``cancel`` as for :meth:`run`."""
        return self._get(targets, getter, on_result=on_result, raw=False, cancel=cancel, **kw)

    def _get(self, targets: str | Sequence[str], getter: str, *, raw: bool,
             on_result: Callable[[HostResult], None] | None = None, cancel: "CancelToken | None" = None,
             **kw: Any) -> AggregateResult:
        from netops.devices.getters import resolve_getter

        name, impl = resolve_getter(getter, kw)
        hosts = self.select(targets)
        self._preflight(hosts)
        extra = self._peer_lookup(name, kw, cancel)

        def one(host: Host) -> HostResult:
            start = time.monotonic()
            commands: list[str] = []
            outputs: list[str] = []

            def read(command: str, timeout: float | None = None) -> str:
                decision = check_command(command, host.platform)
                if not decision.allowed:  # getters only use allowlisted commands; keep it checked
                    self._record(host, command, ok=False, elapsed=0.0, text="", kind="read",
                                 refused=decision.reason)
                    raise PolicyViolation(f"refused {command!r}: {decision.reason}")
                commands.append(decision.command)
                out, clean = self._send(host, decision.command, timeout, kind="read", cancel=cancel)
                outputs.append(clean)
                if out.truncated:
                    raise DeviceError(f"{host.name}: output of {command!r} exceeded "
                                      f"{self.settings.ssh.max_output_bytes} bytes; cannot parse it")
                # a parser reads what the person is shown (only the runner's snapshot keeps the
                # device's bytes): a U+2028 or a CR in a description breaks no line of a table
                return out.text if raw else printable(out.text)

            try:
                data = impl(host, read, **kw, **extra)
                if raw and name == "config":
                    data = type(data)(text=data.text, redacted=False)
                else:
                    data = redact_data(data, host.platform)
            except Exception as exc:
                return failed_result(host.name, exc, command="; ".join(commands) or name,
                                     elapsed=time.monotonic() - start)
            return HostResult(host=host.name, ok=True, command="; ".join(commands), data=data,
                              output=outputs[-1] if outputs and name == "config" else None,
                              elapsed=time.monotonic() - start, fault=getattr(data, "fault", None))

        return self._fan_out(f"get {name}", hosts, one, on_result, cancel, {h.name: name for h in hosts})

    def _peer_lookup(self, name: str, kw: dict[str, Any], cancel: "CancelToken | None") -> dict[str, Any]:
        """For a peer getter asked about an inventory host by name: ``peer_addresses``, a callable
        giving that host's addresses (its interfaces, read once and only if the asking router's
        descriptions and announced host names do not name it; and its inventory address)."""
        from netops.devices.peer_routes import PEER_GETTERS, is_address

        peer = str(kw.get("peer") or "")
        if name not in PEER_GETTERS or not peer or is_address(peer):
            return {}
        target = next((h for h in self.inventory.hosts.values() if h.name.lower() == peer.lower()), None)
        if target is None:
            return {}
        found: list[list[str]] = []
        once = threading.Lock()

        def addresses() -> list[str]:
            with once:
                if not found:
                    out = [target.hostname] if is_address(target.hostname) else []
                    r = self._get(target.name, "interfaces", raw=False, cancel=cancel)[target.name]
                    if r.ok and r.data is not None:
                        out += [a.split("/")[0] for i in r.data.interfaces for a in i.addresses]
                    found.append(out)
                return found[0]

        return {"peer_addresses": addresses}

    def peer_address(self, host: str, name: str, *, family: str | None = None, vrf: str = "default",
                     cancel: "CancelToken | None" = None) -> "PeerAddress":
        """The address of ``host``'s BGP neighbour that inventory host ``name`` is, read on ``host``
        through this (audited) service as the peer getters resolve a name: neighbour description,
        announced host name, then ``name``'s own addresses. Raises :class:`NotFoundError` (no such
        peer, naming those tried), :class:`InputError` (more than one) or the read's error."""
        from netops.devices.peer_routes import resolve

        r = self.get(host, "bgp_neighbors", cancel=cancel)[host]
        if not r.ok or r.data is None:
            raise DeviceError(f"could not read {host}'s BGP neighbours: {r.error or 'no data'}")
        lookup = self._peer_lookup("bgp_advertised", {"peer": name}, cancel).get("peer_addresses")
        address, n = resolve(r.data, name, family, host, lookup, vrf=vrf)  # the session in the asked VRF
        want = name.lower()
        if want in (n.description or "").lower():
            how = f"its neighbour description {n.description!r}"
        elif (n.hostname or "").lower() == want:
            how = f"the host name {n.hostname!r} the peer announced"
        else:
            how = f"{name}'s own addresses"
        return PeerAddress(address, how)

    def check(self, targets: str | Sequence[str], *,
              on_result: Callable[[HostResult], None] | None = None) -> AggregateResult:
        """Connect to every target (pooled): reachable, host key known, authenticated.

        Sends no command. ``.data`` is a :class:`~netops.devices.models.HostCheck`; a host that
        fails any step is a failed result whose ``error``/``error_type`` say which.
        """
        from netops.devices.models import HostCheck
        from netops.errors import AuthError, HostKeyError

        hosts = self.select(targets)
        self._preflight(hosts)

        def one(host: Host) -> HostResult:
            start = time.monotonic()
            try:
                with self._pool.lock(host):
                    self._pool.acquire(host)
            except Exception as exc:
                r = failed_result(host.name, exc, elapsed=time.monotonic() - start)
                if isinstance(exc, HostKeyError):
                    r.data = HostCheck(reachable=True, host_key_known=False)
                elif isinstance(exc, AuthError):
                    r.data = HostCheck(reachable=True, host_key_known=True)
                else:
                    r.data = HostCheck(reachable=False)
                return r
            return HostResult(host=host.name, ok=True, data=HostCheck(reachable=True, host_key_known=True,
                                                                       authenticated=True),
                              elapsed=time.monotonic() - start)

        return fan_out("check", hosts, one, max_workers=self.settings.ssh.max_workers, on_result=on_result)

    def running_config(self, host: str, *, redacted: bool = True) -> str:
        """The running configuration of one host (raises on failure), redacted by default.

        ``redacted=False`` is PRIVILEGED, for the playbook runner's snapshot and rollback check
        only: a changed secret must count as a difference, and a restore must put back the
        real line. Never show, log or store that text.
        """
        result = self._get(host, "config", raw=not redacted)[self.inventory.host(host).name]
        if result.failed:
            raise _error_from(result)
        return result.data.text

    # -- privileged -------------------------------------------------------------------------
    def configure(self, host: str, lines: Sequence[str], *, timeout: float | None = None) -> HostResult:
        """Apply configuration lines to one host. PRIVILEGED: for the playbook runner only.

        Never exposed through ``show``/``state`` or the agent's tools. The lines are sent as
        given (no policy check), once, without retry; the result's output is redacted.
        """
        h = self.inventory.host(host)
        clean = [ln.rstrip() for ln in lines]
        for ln in clean:
            if re.search(r"[\x00-\x08\x0a-\x1f\x7f]", ln):
                raise InputError(f"configuration line {ln!r} contains a control character")
        clean = [ln for ln in clean if ln.strip()]
        if not clean:
            raise InputError("no configuration lines given")
        command = "\n".join(clean)
        shown = "\n".join(redact_lines(clean, h.platform))  # what results and the audit log get
        start = time.monotonic()
        try:
            with self._pool.lock(h):
                conn, _ = self._pool.acquire(h)
                t0 = time.monotonic()
                try:
                    out = conn.send_config(clean, timeout=timeout or self.settings.ssh.command_timeout)
                except BaseException as exc:
                    if isinstance(exc, SessionClosed):
                        self._pool.discard(h)
                    self._record(h, shown, ok=False, elapsed=time.monotonic() - t0, text="", kind="config")
                    raise
            text = redact(out.text, h.platform) or ""
            ok = out.exit_status in (0, None)
            self._record(h, shown, ok=ok, elapsed=out.elapsed or time.monotonic() - t0, text=text, kind="config")
        except Exception as exc:
            return failed_result(h.name, exc, command=shown, elapsed=time.monotonic() - start)
        return HostResult(host=h.name, ok=ok, command=shown, output=text,
                          error=None if ok else (text.strip().splitlines() or ["configuration failed"])[-1],
                          error_type=None if ok else "DeviceError",
                          elapsed=time.monotonic() - start, truncated=out.truncated)

    # -- lifecycle --------------------------------------------------------------------------
    def close(self) -> None:
        """Close every pooled session."""
        self._pool.close_all()

    def __enter__(self) -> "DeviceService":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- internals --------------------------------------------------------------------------
    def _fan_out(self, name: str, hosts: Sequence[Host], one: Callable[[Host], HostResult],
                 on_result: Callable[[HostResult], None] | None, cancel: "CancelToken | None",
                 commands: dict[str, str]) -> AggregateResult:
        """:func:`fan_out`, or with ``cancel``: the fan-out in a worker this returns from as soon
        as the token fires (finished hosts keep their results, the rest are ``Cancelled``)."""
        if cancel is None:
            return fan_out(name, hosts, one, max_workers=self.settings.ssh.max_workers, on_result=on_result)
        finished: dict[str, HostResult] = {}
        box: dict[str, Any] = {}
        wake = threading.Event()
        lock = threading.Lock()

        def settled(r: HostResult) -> None:
            with lock:
                if box.get("returned"):
                    return  # the caller has moved on: a late result is not reported
                finished[r.host] = r
            if on_result:
                on_result(r)

        def work() -> None:
            try:
                box["agg"] = fan_out(name, hosts, one, max_workers=self.settings.ssh.max_workers,
                                     on_result=settled)
            except BaseException as exc:  # handed to the caller's thread
                box["error"] = exc
            finally:
                wake.set()

        if not cancel.cancelled:
            threading.Thread(target=contextvars.copy_context().run, args=(work,), name="netops-devices",
                             daemon=True).start()
            cancel.on_cancel(wake.set)
            wake.wait()
        with lock:
            box["returned"] = True
            if "agg" in box:
                return box["agg"]
            if "error" in box:
                raise box["error"]
            done = dict(finished)
        agg = AggregateResult(name=name)
        reason = cancel.reason or "cancelled"
        for h in hosts:
            r = done.get(h.name) or failed_result(h.name, Cancelled(f"cancelled ({reason})"),
                                                  command=commands.get(h.name))
            if h.name not in done and on_result:
                on_result(r)
            agg.add(r)
        return agg

    def _abort_on_cancel(self, cancel: "CancelToken | None", host: Host, conn: Connection) -> list[bool]:
        """Close ``conn`` if ``cancel`` fires while the returned flag is ``[True]`` (clear it when
        the command is over): a blocked read ends with SessionClosed instead of running on."""
        active = [True]
        if cancel is None:
            return active

        def abort() -> None:
            if not active[0]:
                return
            self._pool.forget(host, conn)
            # closing may wait on the SSH transport thread: never in the cancelling (UI) thread
            threading.Thread(target=_quiet_close, args=(conn, host.name), name="netops-ssh-abort",
                             daemon=True).start()

        cancel.on_cancel(abort)
        return active

    def _run_read(self, host: Host, command: str, timeout: float | None,
                  cancel: "CancelToken | None" = None, *, filter_here: bool = False) -> HostResult:
        from netops.devices.linefilter import apply_filters, local_filters

        start = time.monotonic()
        # a model's "| include X" is run here on the redacted output, not by the device on the
        # raw one, where a guess at a secret would print its line or nothing (netops.devices.linefilter)
        local = local_filters(command, quoted=get_platform(host.platform).quoted_pipes) if filter_here else None
        out, clean = self._send(host, local[0] if local else command, timeout, kind="read", cancel=cancel)
        said = _refusal(host.platform, out, clean)  # before a filter of ours drops the device's error line
        if local:
            clean = apply_filters(clean, local[1])
            # the device's error is no output for our filter to drop: an empty "| include Idle"
            # under "% BGP not active" read as "no session down"
            if said and said not in clean:
                clean = f"{said}\n{clean}" if clean.strip() else said
            if out.truncated:  # lines past the cap were never read: a count or a miss says nothing of them
                cap = self.settings.ssh.max_output_bytes
                clean = (f"{clean}\n[netops: the device's output was cut at {cap} bytes; the filter saw only "
                         "those, not the lines after them]")
        data, unparsed = (None, None) if out.truncated or local else _parsed(host.platform, command, printable(out.text))  # parse unredacted, then redact
        fault = said
        if said and _BGP_OFF.search(said) and re.search(r"\bbgp\b", command, re.I):
            fault = self._bgp_off(host, said, timeout, cancel)  # None: a device without BGP said so
        return HostResult(host=host.name, ok=True, command=redact(command, host.platform), output=clean,
                          data=None if data is None else redact_data(data, host.platform),
                          elapsed=time.monotonic() - start, truncated=out.truncated, device_error=fault,
                          parse_error=None if said else unparsed)  # the device's words say why already

    def _bgp_off(self, host: Host, said: str, timeout: float | None, cancel: "CancelToken | None") -> str | None:
        """A BGP read the device answered with "BGP is not running" (``% BGP not active``, ``bgpd
        is not running``, ...): a fault only where BGP should run (the ``bgp`` getter's rule,
        :func:`netops.devices.getters.expected_bgp`: BGP in the running configuration, or the
        inventory where that cannot tell); a device without BGP simply has no sessions. ``None``
        then (no device error); else the getter's note, which says why BGP should run."""
        from netops.devices.getters import expected_bgp
        from netops.devices.models import BgpNeighbors
        from netops.devices.parsers import not_running_note

        def read(command: str) -> str:
            decision = check_command(command, host.platform)
            if not decision.allowed:
                raise PolicyViolation(f"refused {command!r}: {decision.reason}")
            out, _ = self._send(host, decision.command, timeout, kind="read", cancel=cancel)
            return out.text

        try:
            found = expected_bgp(host, read, BgpNeighbors(note=not_running_note("BGP", said)))
        except Exception:  # noqa: BLE001  (unknown platform, no getters: the device's words stand)
            return said
        return found.note if found.expected else None

    def _send(self, host: Host, command: str, timeout: float | None, *, kind: str,
              cancel: "CancelToken | None" = None) -> tuple[CommandOutput, str]:
        """Send one command over the pooled session, record it; ``(raw output, redacted text)``.
        Reads retry once on a stale pooled session (safe: they are read-only). A ``cancel``
        closes the session under a running command (see :meth:`run`)."""
        shared = _SHARED_READS.get() if kind == "read" else None
        if shared is not None and (host.name, command) in shared:
            return shared[(host.name, command)]
        timeout = timeout or self.settings.ssh.command_timeout
        with self._pool.lock(host):
            for attempt in (1, 2):
                if cancel is not None:
                    cancel.raise_if_cancelled()
                try:
                    conn, reused = self._pool.acquire(host)
                except BaseException as exc:  # never sent, but asked for: the log still says so
                    self._record(host, command, ok=False, elapsed=0.0, text="", kind=kind,
                                 not_sent=str(exc) or type(exc).__name__)
                    raise
                if cancel is not None:
                    cancel.raise_if_cancelled()  # connecting took a while: send nothing now
                active = self._abort_on_cancel(cancel, host, conn)
                t0 = time.monotonic()
                try:
                    out = conn.run(command, timeout=timeout)
                except SessionClosed as exc:
                    self._pool.discard(host)
                    if cancel is not None and cancel.cancelled:
                        self._record(host, command, ok=False, elapsed=time.monotonic() - t0, text="", kind=kind,
                                     cancelled=True)
                        raise Cancelled(f"{host.name}: {command!r} cancelled ({cancel.reason})") from exc
                    if reused and attempt == 1:
                        continue
                    self._record(host, command, ok=False, elapsed=time.monotonic() - t0, text="", kind=kind)
                    raise
                except CommandTimeout:
                    # the device may still be running it (a probe, a pager, a prompt): the next
                    # command must not be typed into that session, nor read this one's late output
                    self._pool.discard(host)
                    self._record(host, command, ok=False, elapsed=time.monotonic() - t0, text="", kind=kind)
                    raise
                except BaseException:
                    self._record(host, command, ok=False, elapsed=time.monotonic() - t0, text="", kind=kind)
                    raise
                finally:
                    active[0] = False
                break
        clean = redact_output(out.text, host.platform) or ""
        out.elapsed = out.elapsed or time.monotonic() - t0
        self._record(host, command, ok=True, elapsed=out.elapsed, text=clean, kind=kind)
        if shared is not None and not out.truncated:
            shared[(host.name, command)] = (out, clean)
        return out, clean

    def _record(self, host: Host, command: str, *, ok: bool, elapsed: float, text: str, kind: str,
                refused: str | None = None, cancelled: bool = False, not_sent: str | None = None) -> None:
        """One record per command: who (the recorder's actor), host, command, output digest;
        a command the policy refused is recorded too, with ``refused: true`` and why (not sent)."""
        if self.recorder is None:
            return
        event: dict[str, Any] = {  # a command line can carry a secret (| include key 7 K)
            "host": host.name, "command": redact(command, host.platform) or command, "ok": ok, "elapsed": round(elapsed, 4),
            "output_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(), "kind": kind,
            "refused": refused is not None,
        }
        if refused is not None:
            event["reason"] = refused
            event["sent"] = False
        if not_sent is not None:
            event["sent"] = False
            event["error"] = not_sent
        if cancelled:
            event["cancelled"] = True
        try:
            self.recorder(event)
        except NetopsError as exc:
            sink = _UNRECORDED.get()
            if sink is None:
                raise
            sink.append(exc.message)  # the command was sent and answered: its result stands

    @contextmanager
    def recording_best_effort(self) -> Iterator[list[str]]:
        """Inside (this context and the fan-out workers it starts): a command whose audit record
        cannot be written (full disk, damaged log) still counts; why is appended to the list
        yielded. For putting a device back only (:func:`netops.playbook.recover.restore_snapshot`):
        a restore must not wait for a writable audit log. Everywhere else an unrecorded command
        fails."""
        sink: list[str] = []
        token = _UNRECORDED.set(sink)
        try:
            yield sink
        finally:
            _UNRECORDED.reset(token)


_UNRECORDED: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar("netops_unrecorded", default=None)


_BGP_OFF = re.compile(r"\bbgp(?: instance(?: '[^']*')?)?:?\s+(?:is\s+)?(?:not active|inactive|not running|not configured"
                      r"|not enabled|disabled|not found)\b|\bno bgp (?:process|instance)|\bbgpd is not running", re.I)
"""The device's words for "BGP is not running" (IOS ``% BGP not active``, EOS ``% BGP inactive``,
XR ``% BGP instance 'default' not active``, FRR ``% BGP instance not found`` / ``bgpd is not
running``, Junos ``BGP is not running``, SR OS ``... - BGP is not configured``)."""


def _refusal(platform: str, out: CommandOutput, clean: str) -> str | None:
    """The device's error line when it answered a command with an error instead of output (read
    from the redacted text), or its first line when the command exited non-zero."""
    from netops.devices.parsers import command_error

    said = command_error(platform, clean)
    if said is None and out.exit_status not in (0, None):
        said = next((ln.strip() for ln in clean.splitlines() if ln.strip()), f"exit status {out.exit_status}")
    return said


def _parsed(platform: str, command: str, text: str) -> tuple[Any, str | None]:
    """Structured data from a parser registered for this command (built-in or plugin), if any,
    and why there is none when its parser failed (one line naming the plugin and the parser,
    redacted). A parser that fails leaves the raw text as the result: reads never fail for it."""
    from netops.devices.parser_registry import parse_output

    try:
        return parse_output(platform, command, text), None
    except DeviceError as exc:  # redacted by parse_output
        return None, exc.message


def _error_from(result: HostResult) -> DeviceError:
    import netops.errors as errors

    cls = getattr(errors, result.error_type or "", None)
    if not (isinstance(cls, type) and issubclass(cls, DeviceError)):
        cls = DeviceError
    error = result.error or "failed"
    named = re.match(rf"{re.escape(result.host)}(:| \()", error)  # "r1: ..." or "r1 (10.0.0.1:22): ..."
    return cls(error if named else f"{result.host}: {error}")  # the host named once


def _quiet_close(conn: Connection, name: str) -> None:
    try:
        conn.close()
    except Exception:  # the session is being abandoned; its errors are of no use now
        log.debug("closing %s after a cancel failed", name, exc_info=True)


@dataclass(frozen=True)
class PeerAddress:
    """A BGP neighbour's address on one router, and how the name was matched to it."""

    address: str
    how: str
