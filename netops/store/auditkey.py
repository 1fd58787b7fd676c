"""The audit log's secret key and its small companion files, kept outside the database.

The key (32 random bytes, hex, mode 0600 in a 0700 directory) turns the audit chain into an
HMAC chain: whoever can write the database but cannot read the key cannot forge a record,
re-hash the chain after an edit, or fake the head. It is created on first use, atomically,
so concurrent first writers agree on one key.

Next to the key lives a *local head* file per audit database (``<db name>.head``): the
highest ``(seq, hash)`` ever appended, so a database that was replaced by an older copy or cut
short is noticed. It moves only forward. Anyone holding the key (and the directory) can
rewrite both; export anchors (``netops audit anchor``) to a place they cannot reach.
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from netops.errors import AuditError


def key_id(key: bytes) -> str:
    """A public fingerprint of the key (safe to store and print)."""
    return hashlib.sha256(b"netops-audit-key-id:" + key).hexdigest()[:16]


def load_key(path: Path, *, create: bool) -> bytes | None:
    """The key at ``path``; created (0600) when missing and ``create``; None when missing."""
    path = Path(path)
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        if not create:
            return None
        return _create(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise AuditError(f"cannot read the audit key {path}: {exc}",
                         hint="the key file must be readable by the netops user (mode 0600)") from exc
    try:
        key = bytes.fromhex(text)
    except ValueError:
        raise AuditError(f"the audit key {path} is not a hex key", hint="restore it from your backup") from None
    if len(key) < 16:
        raise AuditError(f"the audit key {path} is too short", hint="restore it from your backup")
    if path.stat().st_mode & 0o077:
        raise AuditError(f"the audit key {path} is readable by others",
                         hint=f"chmod 600 {path}")
    return key


def _create(path: Path) -> bytes:
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        key = secrets.token_bytes(32)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, (key.hex() + "\n").encode("ascii"))
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(tmp, path)  # atomic and refuses to replace: concurrent creators agree on one key
        except FileExistsError:
            return load_key(path, create=False) or key
        finally:
            tmp.unlink(missing_ok=True)
        return key
    except OSError as exc:
        raise AuditError(f"cannot create the audit key {path}: {exc}",
                         hint="set NETOPS_AUDIT__KEY_FILE to a writable location") from exc


def mac(key: bytes, text: str) -> str:
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Head:
    """A claim that the log once reached ``seq`` with record hash ``hash``."""

    seq: int
    hash: str
    source: str
    key_id: str | None = None
    """The audit key's fingerprint when the head was exported (anchors record it)."""


def head_mac(key: bytes, seq: int, record_hash: str) -> str:
    return mac(key, f"netops-audit-head:{seq}:{record_hash}")


class LocalHead:
    """The forward-only ``<db>.head`` file beside the key."""

    def __init__(self, key_file: Path, db: Path) -> None:
        self.path = Path(key_file).parent / f"{Path(db).name}.head"

    def read(self, key: bytes) -> Head | None:
        """The recorded head, or None when there is none. Raises AuditError when forged."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            seq, h, m = int(data["seq"]), str(data["hash"]), str(data["mac"])
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise AuditError(f"local head file {self.path} is unreadable ({exc})") from exc
        if not hmac.compare_digest(m, head_mac(key, seq, h)):
            raise AuditError(f"local head file {self.path} does not carry a valid key MAC (forged)")
        return Head(seq, h, f"local head file {self.path}")

    def advance(self, key: bytes, seq: int, record_hash: str, *, replacing: Head | None = None) -> None:
        """Record ``(seq, hash)`` unless a later head is already recorded; a head ``replacing``
        names (one the log lost, now on record as lost) gives way to an earlier seq."""
        lock = self.path.with_name(self.path.name + ".lock")
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                current = json.loads(self.path.read_text(encoding="utf-8"))
                lost = replacing is not None and (int(current.get("seq", 0)), current.get("hash")) == (
                    replacing.seq, replacing.hash)
                if int(current.get("seq", 0)) >= seq and not lost:
                    return
            except (FileNotFoundError, ValueError, TypeError, AttributeError):
                pass
            tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}")
            tmp.write_text(json.dumps({"seq": seq, "hash": record_hash,
                                       "mac": head_mac(key, seq, record_hash)}) + "\n", encoding="utf-8")
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.path)
        finally:
            os.close(fd)
