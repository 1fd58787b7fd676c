"""How well device-state questions are routed without a model, on phrasings written blind.

The questions and their expected outcomes are data (``tests/unit/agent/data/state_phrasings_blind.yaml``,
written from the lab inventory and the getter names before the router was read; the holdout
``state_phrasings_holdout.yaml`` after the first fixes). Each question goes through the real offline
Session/ask path (``Assistant.ask(question, offline=True)``: the worded-change matcher, then the
offline router and its tools) on a Session over the lab's inventory (r1, r2, r3 with their AS,
router id and link addresses, as ``netops lab up`` writes it), FRR 8.4 captures replayed by
:class:`~netops.testing.transport.FakeTransport` (``--inventory`` reads a live lab instead), the
shipped vetted playbooks and an empty knowledge base. What it did is observed, not asked of the router:

- every getter the device service ran (host, getter, arguments), and any raw command or configuration;
- whether the knowledge base was searched;
- whether the answer is the change path (a proposal, dry run or clarification of a worded change).

    python bench/state_phrasings.py [--json] [--data FILE] [--inventory LAB_INVENTORY]

A case may also say what the answer must show (``shows``: strings its text contains, ``hides``:
strings it does not), e.g. only the interfaces of a link. Prints the accuracy and every miss (expected vs. got). A miss is UNSAFE when a change was answered
by a read, a device was read that the words did not ask about (the wrong device, or any device for
a knowledge question or an unknown device), or anything but a read-only getter ran; else SAFE.
A case whose reads failed (a live lab without known_hosts, a timeout) read nothing: it is a miss,
counted apart ("read failed"). A change case may say which reads it makes first (``reads``: hosts
and getters as a read case says them), for a change asked of what the words pick by its state.
``expect: audit`` is an answer from netops's own audit log: the log was read, no device and no
knowledge base (``may``: devices the words name, whose read is a SAFE miss). A data file's top-level
``audit`` list is appended to the bench's fresh audit log before the first case (``actor``, ``kind``,
``payload``; ``"$plan"`` as a value is the seq of the ``plan`` record appended last).
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
for _k, _v in {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "ORT_DISABLE_TELEMETRY": "1",
               "ANONYMIZED_TELEMETRY": "False"}.items():
    os.environ.setdefault(_k, _v)

DATA = REPO / "tests" / "unit" / "agent" / "data" / "state_phrasings_blind.yaml"
FIXTURES = REPO / "tests" / "fixtures" / "devices" / "frr"
HOSTS = ["r1", "r2", "r3"]
PREFIX_GETTERS = ("route", "routes", "bgp_routes", "bgp_inbound")
PEER_GETTERS = ("bgp_advertised", "bgp_received")
# The lab's links (netops/lab/topology.py): (router, interface, address, peer, peer address).
LINKS = [("r1", "eth-r2", "198.51.100.1/30", "r2", "198.51.100.2"), ("r2", "eth-r1", "198.51.100.2/30", "r1", "198.51.100.1"),
         ("r2", "eth-r3", "198.51.100.5/30", "r3", "198.51.100.6"), ("r3", "eth-r2", "198.51.100.6/30", "r2", "198.51.100.5"),
         ("r1", "eth-r3", "198.51.100.9/30", "r3", "198.51.100.10"), ("r3", "eth-r1", "198.51.100.10/30", "r1", "198.51.100.9")]


def inventory_yaml() -> str:
    """The lab's inventory as ``netops lab up`` writes it (hosts r1..r3 in group ``lab``, with their
    AS, loopback, router id, links and BGP neighbours as host data), on loopback addresses."""
    import yaml

    hosts: dict[str, Any] = {}
    for n, h in enumerate(HOSTS, start=1):
        links = [link for link in LINKS if link[0] == h]
        hosts[h] = {"hostname": f"127.0.1.{n}", "groups": ["lab"], "data": {
            "asn": 65000 + n, "loopback": f"203.0.113.{n}", "router_id": f"203.0.113.{n}", "role": "router",
            "interfaces": {i: {"address": a, "peer": p, "peer_address": pa, "description": f"link to {p}"}
                           for _, i, a, p, pa in links},
            "bgp_neighbors": {pa: {"peer": p, "remote_as": 65000 + int(p[1:])} for _, _, _, p, pa in links}}}
    return yaml.safe_dump({"defaults": {"username": "netops", "password_env": "STATE_PHRASINGS_PW"},
                           "groups": {"lab": {"platform": "frr"}}, "hosts": hosts}, sort_keys=False)


def cases(data: Path = DATA) -> list[dict]:
    import yaml

    return yaml.safe_load(Path(data).read_text())["cases"]


def audit_seed(data: Path = DATA) -> list[dict]:
    """The records ``data`` has appended to the audit log before its cases (none by default)."""
    import yaml

    return yaml.safe_load(Path(data).read_text()).get("audit") or []


class Harness:
    """A Session on the offline ask path whose device service and knowledge base record what they did."""

    def __init__(self, home: Path, inventory: Path | None = None, transport: Any = None) -> None:
        from netops.devices.service import DeviceService
        from netops.rag.kb import KnowledgeBase
        from netops.session import Session
        from netops.settings import load_settings
        from netops.testing.transport import FakeTransport

        os.environ["NETOPS_HOME"] = str(home)
        os.environ.setdefault("STATE_PHRASINGS_PW", "unused")
        if inventory is None:
            inventory = home / "inventory.yaml"
            inventory.write_text(inventory_yaml())
        settings = load_settings()
        settings = settings.model_copy(update={"inventory": inventory, "ollama_url": "http://127.0.0.1:9",
                                               "kb": settings.kb.model_copy(update={"embedder": "none"})})
        self.log: list[tuple] = []
        log = self.log
        import threading

        resolving = threading.local()

        class Recording(DeviceService):
            def _get(self, targets, getter, *, raw, **kw):  # noqa: ANN001 - same signature as the service's
                from netops.devices.getters import canonical

                args = {k: v for k, v in kw.items() if k in ("prefix", "peer", "vrf", "family")}
                # a read the service makes to find a named peer's address is not an answer: kept apart
                kind = "resolve" if getattr(resolving, "on", False) else "get"
                for h in self.select(targets):
                    log.append((kind, h.name, canonical(getter), args))
                agg = super()._get(targets, getter, raw=raw, **kw)
                for h, hr in agg.items():  # a read that failed (no known_hosts, a timeout) read nothing
                    if not hr.ok and kind == "get":
                        log.append(("failed", h, canonical(getter), {"error": hr.error}))
                return agg

            def _peer_lookup(self, name, kw, cancel):  # noqa: ANN001
                found = super()._peer_lookup(name, kw, cancel)
                if callable(found.get("peer_addresses")):
                    inner = found["peer_addresses"]

                    def lookup(*a, **k):  # noqa: ANN002, ANN003
                        resolving.on = True
                        try:
                            return inner(*a, **k)
                        finally:
                            resolving.on = False

                    found = {**found, "peer_addresses": lookup}
                return found

            def run(self, targets, command, **kw):  # noqa: ANN001
                log.append(("run", str(targets), command, {}))
                return super().run(targets, command, **kw)

            def configure(self, host, lines, **kw):  # noqa: ANN001
                log.append(("configure", host, "; ".join(lines), {}))
                return super().configure(host, lines, **kw)

        if transport is None and inventory == home / "inventory.yaml":
            transport = FakeTransport.from_dir(FIXTURES)
            # a peer's advertised/received routes are captured only beside the peer-route tests:
            # without them those reads fail (and a failed read is a miss)
            for host_dir in sorted((FIXTURES / "peer-routes").glob("r[0-9]")):
                table = transport.outputs.setdefault(host_dir.name, {})
                for f in sorted(host_dir.glob("show_bgp_ipv*_unicast_neighbors_*.txt")):
                    table.setdefault(f.stem, f.read_text(encoding="utf-8"))
        devices = Recording(settings, transport_factory=transport) if transport else Recording(settings)
        kb = KnowledgeBase(settings)
        search = kb.search

        def recorded_search(query: str, *a: Any, **k: Any) -> Any:
            log.append(("kb", "", query, {}))
            return search(query, *a, **k)

        kb.search = recorded_search  # type: ignore[method-assign]
        self.session = Session(settings, kb=kb, devices=devices)
        self.devices = devices
        audit = self.session.audit
        read = audit._read

        def recorded_read(sql: str, args: Any = ()) -> Any:  # every query of the log goes through here
            log.append(("audit", "", sql, {}))
            return read(sql, args)

        audit._read = recorded_read  # type: ignore[method-assign]

    def seed(self, records: list[dict]) -> None:
        """Append ``records`` to the audit log (``"$plan"``: the seq of the last ``plan`` record)."""
        plan = None
        for r in records:
            payload = {k: (plan if v == "$plan" else v) for k, v in (r.get("payload") or {}).items()}
            seq = self.session.audit.append(r["kind"], payload, actor=r["actor"]).seq
            plan = seq if r["kind"] == "plan" else plan

    def ask(self, question: str, after: list[str] | None = None) -> dict:
        """What the offline ask path did for ``question`` (after ``after`` in the same conversation)."""
        from netops.assistant import Assistant
        from netops.playbook.approval import DenyAll

        assistant = Assistant(self.session, approver=DenyAll())
        cid = None
        for earlier in after or []:
            cid = assistant.ask(earlier, offline=True, conversation_id=cid).conversation_id
        self.log.clear()
        answer = assistant.ask(question, offline=True, conversation_id=cid)
        return outcome(answer, list(self.log))

    def close(self) -> None:
        self.session.close()


def outcome(answer: Any, log: list[tuple]) -> dict:
    """The answer in the data's vocabulary."""
    reads = [{"host": h, "getter": g, **a} for kind, h, g, a in log if kind == "get"]
    failed = [f"{h} {g}" for kind, h, g, _ in log if kind == "failed"]
    # (reads of kind "resolve" found a named peer's address for a peer getter: the peer is named)
    other = [f"{kind} {h}: {g}" for kind, h, g, _ in log if kind in ("run", "configure")]
    audit = any(kind == "audit" for kind, *_ in log)  # netops's own audit log was read
    first = (answer.text or "").strip().splitlines()[0][:160] if (answer.text or "").strip() else ""
    text = answer.text or ""
    m = getattr(answer, "change", None)
    if m is not None and (m.kind in ("change", "clarify", "unmatched")
                          or (m.kind == "question" and m.would_be is not None and m.would_be.is_change)):
        # a plan's dry run reads the devices with its pre-check commands (read-only, through the
        # command policy); only a configuration would be a step too far
        # (a change asked of what the words pick by state reads it first: ``reads``)
        return {"expect": "change", "kind": m.kind, "playbook": m.playbook, "hosts": list(m.hosts or []),
                "other": [o for o in other if o.startswith("configure")], "said": first, "text": text,
                "reads": reads, "failed": failed, "audit": audit}
    if reads:
        return {"expect": "read", "reads": reads, "other": other, "said": first, "text": text, "failed": failed,
                "audit": audit}
    if m is not None or any(kind == "kb" for kind, *_ in log):
        return {"expect": "kb", "other": other, "said": first, "text": text, "failed": failed, "audit": audit}
    return {"expect": "ask", "other": other, "said": first, "text": text, "failed": failed, "audit": audit}


def _hosts(value: Any) -> list[str]:
    return list(HOSTS) if value == "all" else list(value or [])


def _same_prefix(a: Any, b: Any) -> bool:
    try:
        return ipaddress.ip_network(str(a), strict=False) == ipaddress.ip_network(str(b), strict=False)
    except ValueError:
        return False


def _peer_names(host: str, peer: Any) -> set[str]:
    """``peer`` and what it stands for on ``host``: a router's name and its address on the link."""
    out = {str(peer)}
    for h, _, _, p, pa in LINKS:
        if h == host and (p == peer or pa == peer):
            out |= {p, pa}
    return out


def _meets(read: dict, getter: str, want: dict) -> bool:
    if read["getter"] != getter:
        return False
    if getter in PREFIX_GETTERS and want.get("prefix") is not None and not _same_prefix(read.get("prefix"), want["prefix"]):
        return False
    if getter in PEER_GETTERS and want.get("peer") is not None and \
            not _peer_names(read["host"], want["peer"]) & {str(read.get("peer"))}:
        return False
    if getter in PEER_GETTERS and want.get("family") and (read.get("family") or "ipv4") != want["family"]:
        return False
    if getter == "bgp_neighbors" and want.get("vrf") and str(read.get("vrf") or "default").lower() != want["vrf"].lower():
        return False
    return True


def _alts(case: dict) -> list[dict]:
    alt = case.get("alt")
    return [] if alt is None else (alt if isinstance(alt, list) else [alt])


def allowed_hosts(case: dict) -> set[str]:
    """Hosts any acceptable outcome of ``case`` reads."""
    out: set[str] = set()
    for want in [case, *_alts(case)]:
        want = {"expect": "read", **want["reads"]} if want["expect"] == "change" and want.get("reads") else want
        if want["expect"] == "read":
            out |= set(_hosts(want.get("hosts"))) | set(_hosts(want.get("may")))
        if want["expect"] == "audit":  # the devices the words name: reading them is not the answer, nor unsafe
            out |= set(_hosts(want.get("may")))
    return out


def _shown(want: dict, got: dict) -> bool:
    """The answer's text has every string of ``shows`` and none of ``hides``."""
    text = got.get("text", "")
    return all(s in text for s in want.get("shows", [])) and not any(s in text for s in want.get("hides", []))


def _graded_one(want: dict, got: dict) -> bool:
    if not _shown(want, got):
        return False
    if want["expect"] == "change":
        if want.get("reads"):  # a change asked of what is down: read as the fleet question would
            return got["expect"] == "change" and not got["other"] and \
                _graded_one({"expect": "read", **want["reads"]}, {**got, "expect": "read", "other": []})
        return got["expect"] in ("change", "ask") and not got["other"]
    if want["expect"] == "audit":  # from the audit log alone: no device, no knowledge base
        return got["expect"] == "ask" and bool(got.get("audit")) and not got["other"]
    if want["expect"] != got["expect"] or got["other"]:
        return False
    if want["expect"] != "read":
        return True
    hosts = _hosts(want.get("hosts"))
    if any(r["host"] not in set(hosts) | set(_hosts(want.get("may"))) for r in got["reads"]):
        return False

    def satisfied(h: str) -> bool:
        mine = [r for r in got["reads"] if r["host"] == h]
        return all(any(_meets(r, g, want) for r in mine for g in entry.split("|")) for entry in want["getters"])

    return any(map(satisfied, hosts)) if want.get("hosts_any") else all(map(satisfied, hosts))


def graded(case: dict, got: dict) -> bool:
    """Does ``got`` (see :func:`outcome`) meet ``case``'s expectation or one of its ``alt``s?"""
    return any(_graded_one(want, got) for want in [case, *_alts(case)])


def safety(case: dict, got: dict) -> str:
    """UNSAFE: a change answered by a read, a device read the words did not ask about, or anything
    but a read-only getter run; SAFE otherwise."""
    if got["other"]:
        return "UNSAFE"
    if got["expect"] == "change" and got.get("reads") and any(w.get("reads") for w in [case, *_alts(case)]):
        return "UNSAFE" if {r["host"] for r in got["reads"]} - allowed_hosts(case) else "SAFE"
    if got["expect"] != "read":
        return "SAFE"
    if case["expect"] == "change" and not any(a["expect"] == "read" for a in _alts(case)):
        return "UNSAFE"
    return "UNSAFE" if {r["host"] for r in got["reads"]} - allowed_hosts(case) else "SAFE"


def run(data: Path = DATA, inventory: Path | None = None, transport: Any = None) -> dict:
    """Every case of ``data`` asked and graded. A case whose reads failed (no known_hosts on a live
    lab, a timeout) read nothing: a miss whatever else it did, counted in ``read_failed``."""
    out = {"total": 0, "ok": 0, "read_failed": 0, "graded_but_failed": 0, "misses": [], "results": []}
    with tempfile.TemporaryDirectory(prefix="state-phrasings-") as tmp:
        h = Harness(Path(tmp), inventory, transport)
        try:
            h.seed(audit_seed(data))
            for case in cases(data):
                got = h.ask(case["text"], case.get("after"))
                failed = got.get("failed") or []
                right = graded(case, got)
                ok = right and not failed
                out["total"] += 1
                out["ok"] += ok
                out["read_failed"] += bool(failed)
                out["graded_but_failed"] += bool(failed) and right  # what the bench scored before
                out["results"].append({"text": case["text"], "ok": ok, "got": got})
                if not ok:
                    want = {k: v for k, v in case.items() if k != "text"}
                    out["misses"].append({"text": case["text"], "want": want, "got": got, "safety": safety(case, got),
                                          "read_failed": failed})
        finally:
            h.close()
    out["accuracy"] = round(out["ok"] / out["total"], 3) if out["total"] else None
    out["unsafe"] = sum(1 for m in out["misses"] if m["safety"] == "UNSAFE")
    return out


def _short(got: dict) -> str:
    if got["expect"] == "read" or (got["expect"] == "change" and got.get("reads")):
        reads = ", ".join(f"{r['getter']}@{r['host']}" + "".join(f" {k}={r[k]}" for k in ("prefix", "peer", "vrf", "family")
                                                                if r.get(k)) for r in got["reads"])
        head = f"change {got.get('kind')} {got.get('playbook')} {got.get('hosts')} after a " if got["expect"] == "change" else ""
        return f"{head}read {reads}" + (f" OTHER {got['other']}" if got["other"] else "")
    extra = f" {got.get('kind')} {got.get('playbook')} {got.get('hosts')}" if got["expect"] == "change" else ""
    extra += " (audit log read)" if got.get("audit") else ""
    return f"{got['expect']}{extra}: {got['said']!r}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--data", type=Path, default=DATA, help="phrasings file (default: %(default)s)")
    ap.add_argument("--inventory", type=Path, help="a live lab's inventory.yaml (default: FRR captures)")
    args = ap.parse_args()
    res = run(args.data, args.inventory)
    if args.json:
        print(json.dumps(res, indent=2, default=str))
        return
    print(f"{args.data.stem}: {res['ok']}/{res['total']} = {res['accuracy']:.1%} "
          f"({len(res['misses']) - res['unsafe']} safe misses, {res['unsafe']} unsafe, {res['read_failed']} read failed"
          + (f", {res['graded_but_failed']} of them graded right otherwise" if res["graded_but_failed"] else "") + ")")
    for miss in res["misses"]:
        want = {k: v for k, v in miss["want"].items() if k not in ("after",)}
        failed = f"\n      read failed: {', '.join(miss['read_failed'])}" if miss["read_failed"] else ""
        print(f"  {miss['safety']} {miss['text']!r}\n      want {want}\n      got  {_short(miss['got'])}{failed}")
        if (want.get("shows") or want.get("hides")) and not _shown(miss["want"], miss["got"]):
            print(f"      text {' / '.join(miss['got'].get('text', '').split(chr(10)))[:300]!r}")


if __name__ == "__main__":
    main()
