"""The shared real-FRR lab for integration tests.

``lab`` (session scope) brings up a lab under a session temp home, waits for BGP/OSPF, and
always tears it down. Its id is the first of 9, 10, ... that no other pytest session holds
(a lock in ``/run/netops-lab/locks``), so usually lab 9: SSH on 127.0.109.1-3, namespaces
``nl9-r*``, user ``netops9``. Never hard-code those: read them from ``lab.info``.
It yields a :class:`RunningLab`:

* ``lab.info``      -- :class:`netops.lab.LabInfo` (routers, key_file, username, password, ...)
* ``lab.settings``  -- a ``Settings`` whose ``inventory`` and ``known_hosts`` are the lab's
                       (its ``home`` is the session dir; ``settings.model_copy(update=...)``
                       to move it)
* ``lab.lab``       -- the :class:`netops.lab.Lab` (``vtysh``, ``set_link``, ``status``...)

``lab_clean`` (function scope) is the same object, but after the test every link is set up
again and any router whose running config changed is restarted from its original config.
``lab_password_env`` exports the lab password under ``info.password_env`` for one test.
Tests that use these must be marked ``@pytest.mark.lab``.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import has_root, missing_lab_tools

LAB_IDS = range(9, 60)
"""Ids the session lab may use; 90-98 are for tests that build a throwaway lab."""
SPARE_IDS = range(90, 99)
LOCK_DIR = Path("/run/netops-lab/locks")


@contextmanager
def claim_lab_id(ids: range) -> Iterator[int]:
    """Hold an exclusive lock on the first free id in ``ids`` (concurrent pytest sessions on
    one machine must not tear down each other's labs). A free lock with leftovers behind it
    means a crashed session: the caller's ``down()`` sweeps them."""
    LOCK_DIR.mkdir(parents=True, exist_ok=True)
    for lab_id in ids:
        f = open(LOCK_DIR / f"{lab_id}.lock", "w")
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            f.close()
            continue
        try:
            yield lab_id
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)
            f.close()
        return
    pytest.skip(f"every lab id in {ids.start}..{ids.stop - 1} is in use by other test sessions")


@dataclass
class RunningLab:
    info: "object"  # netops.lab.LabInfo (kept lazy so collection never imports the lab)
    settings: "object"  # netops.settings.Settings
    lab: "object"  # netops.lab.Lab
    converge_s: float
    baseline: dict[str, str]
    """router -> running config right after convergence."""
    received: dict[str, dict[str, int]] = field(default_factory=dict)
    """router -> BGP neighbour -> prefixes received, once convergence has settled."""
    daemon_baseline: dict[str, dict[str, str]] | None = None
    """router -> daemon -> its running config read over its vty socket, right after convergence
    (None: not read; ``restore`` then always takes the vtysh path)."""


def _skip_reason() -> str | None:
    if not has_root():
        return "the FRR lab needs root (network namespaces, users)"
    missing = missing_lab_tools()
    from netops.lab.system import missing_packages

    missing = sorted(set(missing) | set(missing_packages()))
    if missing:
        return "lab packages missing: apt-get install " + " ".join(missing)
    return None


@pytest.fixture(scope="session")
def lab(tmp_path_factory) -> Iterator[RunningLab]:
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    with claim_lab_id(LAB_IDS) as lab_id:
        yield from _session_lab(tmp_path_factory, lab_id)


def _session_lab(tmp_path_factory, lab_id: int) -> Iterator[RunningLab]:
    from netops.lab import Lab
    from netops.settings import Settings

    home = tmp_path_factory.mktemp("lab-home")
    # session fixtures run before the per-test env isolation: keep host NETOPS_* and config out
    with pytest.MonkeyPatch.context() as mp:
        for key in list(os.environ):
            if key.startswith("NETOPS_"):
                mp.delenv(key)
        mp.setenv("XDG_CONFIG_HOME", str(home / "xdg-config"))
        base = Settings(home=home, ollama_url="http://127.0.0.1:9")
    the_lab = Lab(base, lab_id)
    the_lab.down()  # leftovers of an interrupted earlier session
    try:
        info = the_lab.up()
        converge_s = the_lab.wait_converged(30.0)
        settings = base.model_copy(update={"inventory": info.inventory_path,
                                           "known_hosts": info.known_hosts_path})
        baseline = {r.name: the_lab.running_config(r.name) for r in info.routers}
        running = RunningLab(info=info, settings=settings, lab=the_lab, converge_s=converge_s, baseline=baseline)
        running.received = _settled_prefixes(running)
        running.daemon_baseline = _daemon_configs(running)
        yield running
    finally:
        the_lab.down()


@pytest.fixture
def lab_clean(lab: RunningLab) -> Iterator[RunningLab]:
    """The session lab, restored after the test (links up, changed routers restarted)."""
    yield lab
    restore(lab)


def restore(lab: RunningLab) -> None:
    """Links up; routers whose running config drifted from the baseline restart clean; then
    every BGP session Established and every OSPF adjacency Full again."""
    the_lab = lab.lab
    for r in lab.info.routers:
        for link in r.links:
            the_lab.set_link(r.name, link.peer, True)
    if _untouched(lab):
        return
    seen = _states(lab)
    changed = [name for name, (config, _, _) in seen.items() if config != lab.baseline[name]]
    if not changed and all(up for _, up, _ in seen.values()):
        return
    reverted = [name for name in changed if _revert_in_place(lab, name, seen[name][0])]
    for name in changed:
        if name not in reverted:
            the_lab.restart_router(name)
    seen = _states(lab) if changed else seen
    undone = [name for name in reverted if seen[name][0] != lab.baseline[name]]
    for name in undone:  # reverted in place, yet not the baseline exactly: restart it clean
        the_lab.restart_router(name)
    _wait_restored(lab, None if undone else seen)


def _vty(path: Path, *commands: str, timeout: float = 5.0) -> list[str]:
    """``commands`` sent to one FRR daemon over its vty socket (as vtysh does, without starting
    vtysh: ~1 ms instead of ~80 ms of vtysh's start per call); raises OSError when a command fails."""
    import socket

    outputs = []
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(timeout)
        sock.connect(str(path))
        for command in commands:
            sock.sendall(command.encode() + b"\0")
            buf = b""
            while len(buf) < 4 or buf[-4:-1] != b"\0\0\0":  # the output ends with 3 NULs and a status byte
                data = sock.recv(65536)
                if not data:
                    raise OSError(f"{path}: closed during {command!r}")
                buf += data
            if buf[-1] != 0:
                raise OSError(f"{path}: {command!r} failed ({buf[-1]}): {buf[:-4][-200:]!r}")
            outputs.append(buf[:-4].decode("utf-8", "replace"))
    return outputs


def _daemon_configs(lab: RunningLab) -> dict[str, dict[str, str]] | None:
    """router -> daemon -> its running config, read over the daemons' vty sockets (every daemon
    vtysh would ask); None when a socket does not answer."""
    try:
        return {r.name: {sock.stem: _vty(sock, "enable", "show running-config")[1]
                         for sock in sorted(Path(r.vty_dir).glob("*.vty"))}
                for r in lab.info.routers}
    except OSError:
        return None


def daemon_configs(lab: RunningLab) -> dict[str, str]:
    """router -> the configuration its daemons run, read over their vty sockets (what vtysh's
    running config is made of, one daemon after another; ~1 ms a router instead of ~80 ms of
    vtysh's start). For before/after comparisons within a test: equal exactly when every
    daemon's running config is. Raises OSError when a daemon does not answer."""
    found = _daemon_configs(lab)
    if found is None:
        raise OSError("a lab daemon did not answer on its vty socket")
    return {name: "".join(f"!! {daemon}\n{text}" for daemon, text in parts.items()) for name, parts in found.items()}


def _vty_routing(lab: RunningLab) -> dict[str, tuple[str | None, bool, dict[str, int]]]:
    """:func:`_states`' reading without vtysh and without the running config (None in its
    place): whether every BGP session is Established and every OSPF adjacency Full, and BGP
    neighbour -> prefixes received, read from bgpd and ospfd over their vty sockets. Raises
    OSError or ValueError when a daemon does not answer or answers something else."""
    import json

    out = {}
    for r in lab.info.routers:
        vty = Path(r.vty_dir)
        bgp = json.loads(_vty(vty / "bgpd.vty", "enable", "show bgp summary json")[1] or "{}")
        ospf = json.loads(_vty(vty / "ospfd.vty", "enable", "show ip ospf neighbor json")[1] or "{}")
        out[r.name] = (None, *_sessions_up(bgp, ospf, len(r.links)))
    return out


def _untouched(lab: RunningLab) -> bool:
    """Every daemon of every router runs its baseline config (what vtysh's running config is
    made of), every BGP session is Established and every OSPF adjacency Full (as
    :func:`_router_state` requires): what ``restore`` used to learn with one vtysh per router,
    read over the vty sockets. False whenever that cannot be told (the vtysh path then decides)."""
    if not lab.daemon_baseline or _daemon_configs(lab) != lab.daemon_baseline:
        return False
    try:
        return all(up for _, up, _ in _vty_routing(lab).values())
    except (OSError, ValueError, AttributeError):
        return False


def _routing(lab: RunningLab) -> dict[str, tuple[str | None, bool, dict[str, int]]]:
    """:func:`_vty_routing` (no vtysh), or :func:`_states` when a daemon's socket cannot tell."""
    try:
        return _vty_routing(lab)
    except (OSError, ValueError, AttributeError):
        return _states(lab)


def _states(lab: RunningLab) -> dict[str, tuple[str | None, bool, dict[str, int]]]:
    """Every router's :func:`_router_state`, read at once (a vtysh call mostly waits on the
    daemons: one call per router, all routers in parallel)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(len(lab.info.routers)) as pool:
        return dict(zip([r.name for r in lab.info.routers],
                        pool.map(lambda r: _router_state(lab, r), lab.info.routers)))


def _wait_restored(lab: RunningLab, first: dict | None = None, converge_timeout: float = 30.0,
                   settle_timeout: float = 20.0) -> None:
    """Until every BGP session is Established and every OSPF adjacency Full (as
    ``Lab.wait_converged`` requires, which names what is still down after ``converge_timeout``),
    then until every router has received the prefixes it had after the session lab settled:
    Established is not the routes, and the next test reads them (a session that came back a
    moment ago may not have sent its UPDATEs yet); after ``settle_timeout`` whatever they are.
    Each round reads bgpd and ospfd of every router over their vty sockets (:func:`_routing`;
    one vtysh per router when they cannot tell); ``first`` is a round read since the last
    change to the lab."""
    import time

    start = time.monotonic()
    converged_at = None
    while True:
        seen, first = first or _routing(lab), None
        now = time.monotonic()
        if all(up for _, up, _ in seen.values()):
            converged_at = converged_at or now
            if {name: received for name, (_, _, received) in seen.items()} == lab.received:
                return
            if now - converged_at > settle_timeout:
                return
        elif now - start > converge_timeout:
            lab.lab.wait_converged(0.0)  # raises, naming what is still down (or it just came up)
            converged_at = converged_at or time.monotonic()
        time.sleep(0.1)


def _received(lab: RunningLab, name: str) -> dict[str, int]:
    """BGP neighbour -> prefixes received on ``name`` ({} when it does not answer)."""
    from netops.errors import LabError

    try:
        peers = (lab.lab.vtysh_json(name, "show bgp summary json").get("ipv4Unicast") or {}).get("peers") or {}
    except LabError:
        return {}
    return {addr: int(p.get("pfxRcd") or 0) for addr, p in peers.items()}


def _settled_prefixes(lab: RunningLab, until: dict[str, dict[str, int]] | None = None,
                      timeout: float = 20.0) -> dict[str, dict[str, int]]:
    """Every router's received-prefix counts once they stop moving (the same on two reads 0.5 s
    apart), or once they equal ``until``; after ``timeout`` whatever they are."""
    import time

    deadline = time.monotonic() + timeout
    last = None
    while True:
        now = {r.name: _received(lab, r.name) for r in lab.info.routers}
        if (now == until) if until is not None else (now == last):
            return now
        if time.monotonic() > deadline:
            return now
        last = now
        time.sleep(0.5 if until is None else 0.1)


def _blocks(config: str) -> dict[str, list[str]] | None:
    """A running config as {block header: its lines} ("" holds the top-level lines); None when
    it is not in the shape FRR prints (every block ended by its own ``exit``)."""
    blocks: dict[str, list[str]] = {"": []}
    header = None
    for line in config.splitlines():
        if not line.strip() or line.strip() == "!":
            continue
        if header is None:
            if line.startswith(" "):
                return None
            if line.startswith(("interface ", "router ", "route-map ", "line ")):
                header = line
                if header in blocks:
                    return None
                blocks[header] = []
            else:
                blocks[""].append(line)
        elif line == "exit":
            header = None
        else:
            blocks[header].append(line)
    return None if header is not None else blocks


def _negate(line: str) -> str:
    # an interface's "no description" takes no text (a description may hold anything)
    return "no description" if line.startswith("description ") else f"no {line}"


def _revert_in_place(lab: RunningLab, name: str, current: str | None) -> bool:
    """Undo a test's drift through vtysh, without a restart (seconds per router, mostly BGP and
    OSPF coming back): lines a test added inside blocks that both configs have (a description, a
    neighbour, a password) are negated, lines it removed are put back. Only one-level lines; False
    when that cannot be done (the caller restarts the router), True when the commands were taken
    (the caller checks that the running config now equals the baseline exactly)."""
    from netops.errors import LabError

    base, cur = _blocks(lab.baseline[name]), _blocks(current or "")
    if base is None or cur is None or base.keys() != cur.keys():
        return False
    commands: list[str] = []
    for header, lines in cur.items():
        before = base[header]
        if lines == before:
            continue
        added = [ln for ln in lines if ln not in before]
        removed = [ln for ln in before if ln not in lines]
        if any(ln.startswith("  ") or ln.lstrip().startswith(("address-family", "exit")) for ln in added + removed):
            return False
        body = [_negate(ln.strip()) for ln in reversed(added)] + [ln.strip() for ln in removed]
        commands += [header, *body, "exit"] if header else body
    try:
        lab.lab.vtysh(name, "configure terminal", *commands)
    except LabError:
        return False
    return True  # the caller reads the running config again: a restart when it is not the baseline


def _router_state(lab: RunningLab, router) -> tuple[str | None, bool, dict[str, int]]:
    """(running config as ``Lab.running_config`` returns it, whether every BGP session is
    Established and every OSPF adjacency Full as ``Lab.wait_converged`` requires, BGP neighbour
    -> prefixes received as :func:`_received` reads them), read with one vtysh call; (None,
    False, {}) when the router does not answer."""
    import json

    from netops.errors import LabError

    try:
        out = lab.lab.vtysh(router.name, "show bgp summary json", "show ip ospf neighbor json",
                            "show running-config")
    except LabError:
        return None, False, {}
    decoder = json.JSONDecoder()
    try:
        bgp, at = decoder.raw_decode(out, len(out) - len(out.lstrip()))
        ospf, at = decoder.raw_decode(out, at + len(out[at:]) - len(out[at:].lstrip()))
    except ValueError:
        return lab.lab.running_config(router.name), False, {}
    text = out[at:]
    if "Building configuration" not in text:
        return lab.lab.running_config(router.name), False, {}
    text = text[text.index("Building configuration"):]
    config = "\n".join(ln for ln in text.splitlines()
                       if not ln.startswith(("Building configuration", "Current configuration")))
    return (config, *_sessions_up(bgp, ospf, len(router.links)))


def _sessions_up(bgp: dict, ospf: dict, links: int) -> tuple[bool, dict[str, int]]:
    """From FRR's BGP summary and OSPF neighbour JSON: whether every BGP session is Established and
    every OSPF adjacency Full (one of each per link), and BGP neighbour -> prefixes received."""
    peers = (bgp.get("ipv4Unicast") or {}).get("peers") or {}
    full = 0
    for entries in (ospf.get("neighbors") or {}).values():
        entry = entries[0] if isinstance(entries, list) and entries else entries
        full += (entry.get("nbrState") or entry.get("state") or "?").split("/")[0] == "Full"
    established = sum(p.get("state") == "Established" for p in peers.values())
    received = {addr: int(p.get("pfxRcd") or 0) for addr, p in peers.items()}
    return established >= links and full >= links, received


@pytest.fixture
def spare_lab_id() -> Iterator[int]:
    """A lab id (90-98) reserved for this test, for tests that build their own lab."""
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    with claim_lab_id(SPARE_IDS) as lab_id:
        yield lab_id


@pytest.fixture
def lab_password_env(lab: RunningLab, monkeypatch) -> str:
    """Export the lab password (for inventories using ``password_env``); returns the var name."""
    monkeypatch.setenv(lab.info.password_env, lab.info.password.get_secret_value())
    return lab.info.password_env
