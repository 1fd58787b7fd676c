"""Audit anchors: the head of the audit chain, exported where the database's owner cannot reach.

``netops audit anchor --to FILE`` appends one JSON line per anchor; ``--syslog`` sends the
same facts as one syslog message (``netops-audit-anchor db=... seq=N hash=H key_id=K``). Both
forms are read back by :func:`read_anchors`, so ``audit verify --anchor`` takes the anchor
file, or a syslog file (or an excerpt of it) just as well.

An anchor proves that the log once reached record ``seq`` with hash ``hash``. A later log
that lacks that record, or has another record there, was cut short, restored from an old
copy or rewritten, even by someone holding the key.
"""

from __future__ import annotations

import json
import os
import re
from datetime import datetime, timezone
from pathlib import Path

from netops.errors import AuditError, InputError
from netops.store.auditkey import Head

_SYSLOG = re.compile(r"netops-audit-anchor\b.*?\bseq=(\d+)\s+hash=([0-9a-f]{64})(?:\s+key_id=([0-9a-f]+))?")


def anchor_line(db: Path, seq: int, record_hash: str, key_id: str) -> str:
    return json.dumps({"netops_audit_anchor": 1, "db": str(db), "seq": seq, "hash": record_hash,
                       "key_id": key_id, "ts": datetime.now(timezone.utc).isoformat(timespec="seconds")},
                      sort_keys=True)


def write_file(path: Path, line: str) -> None:
    """Append ``line`` to the anchor file (created 0644; anchors are not secret)."""
    path = Path(path).expanduser()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, (line + "\n").encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        raise InputError(f"cannot write the anchor to {path}: {exc}") from exc


def write_syslog(db: Path, seq: int, record_hash: str, key_id: str) -> str:
    """Send the anchor to the local syslog (facility AUTH, priority NOTICE); the message sent."""
    import syslog

    msg = f"netops-audit-anchor db={db} seq={seq} hash={record_hash} key_id={key_id}"
    syslog.openlog("netops", 0, syslog.LOG_AUTH)
    try:
        syslog.syslog(syslog.LOG_NOTICE, msg)
    finally:
        syslog.closelog()
    return msg


def read_anchors(path: Path) -> list[Head]:
    """Every anchor in ``path`` (JSON lines and syslog lines; other lines are ignored)."""
    path = Path(path).expanduser()
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise AuditError(f"cannot read the anchor file {path}: {exc}") from exc
    out: list[Head] = []
    for n, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if line.startswith("{"):
            try:
                data = json.loads(line)
                if data.get("netops_audit_anchor"):
                    out.append(Head(int(data["seq"]), str(data["hash"]), f"anchor {path}:{n}",
                                    str(data.get("key_id") or "") or None))
                continue
            except (ValueError, KeyError, TypeError, AttributeError):
                pass
        m = _SYSLOG.search(line)
        if m:
            out.append(Head(int(m.group(1)), m.group(2), f"anchor {path}:{n}", m.group(3)))
    return out
