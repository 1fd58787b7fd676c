"""Bench helper for the device benches: use a running lab or bring one up (and tear it down)."""

from __future__ import annotations

import contextlib
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


@contextlib.contextmanager
def lab_settings(lab_id: int, home: str | None) -> Iterator[tuple[object, object]]:
    """``(settings, info)`` for lab ``lab_id``: reuse it if up under ``home``, else build it and
    remove it afterwards."""
    from netops.lab import Lab
    from netops.settings import Settings

    tmp = None
    if home is None:
        tmp = tempfile.TemporaryDirectory(prefix="netops-bench-")
        home = tmp.name
    base = Settings(home=home, ollama_url="http://127.0.0.1:9")
    lab = Lab(base, lab_id)
    ours = not lab.is_up()
    try:
        if ours:
            print(f"bringing up lab {lab_id} ...", file=sys.stderr)
            info = lab.up()
            lab.wait_converged(30.0)
        else:
            info = lab.info()
        yield base.model_copy(update={"inventory": info.inventory_path, "known_hosts": info.known_hosts_path}), info
    finally:
        if ours:
            lab.down()
        if tmp is not None:
            tmp.cleanup()


def fanned_inventory(info, path: Path, per_router: int) -> Path:
    """An inventory with ``per_router`` aliases of every lab router (distinct sessions)."""
    import yaml

    hosts = {}
    for r in info.routers:
        for i in range(1, per_router + 1):
            hosts[f"{r.name}-s{i:02d}"] = {"hostname": r.ssh_host, "port": r.ssh_port}
    doc = {"defaults": {"username": info.username, "platform": "frr", "ssh_key_file": str(info.key_file)},
           "hosts": hosts}
    path.write_text(yaml.safe_dump(doc))
    return path
