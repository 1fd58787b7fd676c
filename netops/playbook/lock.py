"""Content hashes and the lock file of vetted playbooks (``<dir>/playbooks.lock``).

The hash is sha256 over ``playbook.yaml`` and every ``*.j2`` template next to it, in sorted
order, each fed as ``relative-path NUL size NUL bytes`` so renaming or moving content between
files changes it. The lock is YAML with one entry per playbook (hash, reviewer, UTC time,
version): small, sorted, and readable in a code review diff.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import yaml

from netops.errors import ConfigError, InputError, NotVetted
from netops.playbook.spec import SAFE_LOADER

if TYPE_CHECKING:
    from netops.playbook.spec import Playbook

LOCK_NAME = "playbooks.lock"
HEADER = ("# Vetted playbooks: the content hash a reviewer approved for each playbook.\n"
          "# Written by `netops playbook vet NAME --reviewer WHO`; do not edit by hand.\n")


def header(plugin: str | None = None) -> str:
    """The lock file's comment: the command that writes it, in the form a reviewer of ``plugin``'s
    playbooks types (plugin36: a plugin's lock said ``vet NAME`` after ``vet --plugin X``)."""
    if plugin is None:
        return HEADER
    return ("# Vetted playbooks: the content hash a reviewer approved for each playbook.\n"
            f"# Written by `netops playbook vet --plugin {plugin} --reviewer WHO` (every playbook of the plugin;\n"
            f"# one: `netops playbook vet --plugin {plugin} NAME --reviewer WHO`); do not edit by hand.\n")


def content_files(path: Path) -> list[Path]:
    path = Path(path)
    files = [path / "playbook.yaml"] + sorted(p for p in path.glob("*.j2") if p.is_file())
    return [f for f in files if f.is_file()]


def content_hash(path: Path) -> str:
    """``sha256:<hex>`` over the playbook's yaml and templates."""
    h = hashlib.sha256()
    for f in content_files(path):
        data = f.read_bytes()
        h.update(f.relative_to(path).as_posix().encode("utf-8") + b"\0")
        h.update(str(len(data)).encode("ascii") + b"\0")
        h.update(data)
    return "sha256:" + h.hexdigest()


@dataclass(frozen=True)
class LockEntry:
    hash: str
    reviewer: str
    vetted_at: str
    version: str


@dataclass(frozen=True)
class VetStatus:
    state: Literal["vetted", "never_reviewed", "edited"]
    entry: LockEntry | None = None

    @property
    def vetted(self) -> bool:
        return self.state == "vetted"


class Lock:
    """One directory's ``playbooks.lock``."""

    def __init__(self, path: Path, entries: dict[str, LockEntry] | None = None, *, plugin: str | None = None) -> None:
        self.path = Path(path)
        self.entries: dict[str, LockEntry] = dict(entries or {})
        self.plugin = plugin
        """The plugin whose playbooks this lock pins (its header names the ``--plugin`` form); None
        for netops's own and a local directory's."""

    @classmethod
    def for_dir(cls, directory: Path) -> "Lock":
        return cls.load(Path(directory) / LOCK_NAME)

    @classmethod
    def load(cls, path: Path) -> "Lock":
        path = Path(path)
        if not path.exists():
            return cls(path)
        try:
            raw = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER) or {}
            items = (raw.get("playbooks") or {}).items()
            entries = {str(name): LockEntry(hash=str(e["hash"]), reviewer=str(e["reviewer"]),
                                            vetted_at=str(e["vetted_at"]), version=str(e.get("version", "")))
                       for name, e in items}
        except (OSError, yaml.YAMLError, AttributeError, KeyError, TypeError) as exc:
            from netops.playbook.spec import yaml_problem

            raise ConfigError(f"lock file {path} is unreadable ({yaml_problem(exc)})",
                              hint="restore it from version control") from exc
        return cls(path, entries)

    def save(self) -> None:
        doc = {"version": 1, "playbooks": {n: asdict(self.entries[n]) for n in sorted(self.entries)}}
        text = header(self.plugin) + yaml.safe_dump(doc, sort_keys=True, default_flow_style=False, allow_unicode=True)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".playbooks.lock.", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def status(self, playbook: "Playbook") -> VetStatus:
        entry = self.entries.get(playbook.name)
        if entry is None:
            return VetStatus("never_reviewed")
        return VetStatus("vetted" if entry.hash == playbook.hash else "edited", entry)

    def vet(self, playbook: "Playbook", reviewer: str, *, now: datetime | None = None) -> LockEntry:
        """Record the playbook's current hash as reviewed by ``reviewer`` and save."""
        reviewer = reviewer.strip()
        if not reviewer or any(c in reviewer for c in "\r\n"):
            raise InputError("--reviewer must name who reviewed the playbook")
        when = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
        entry = LockEntry(hash=playbook.hash, reviewer=reviewer,
                          vetted_at=when.strftime("%Y-%m-%dT%H:%M:%SZ"), version=str(playbook.spec.version))
        self.entries[playbook.name] = entry
        self.save()
        return entry


def require_vetted(playbook: "Playbook") -> LockEntry:
    """The lock entry for ``playbook``; :class:`NotVetted` says why when there is none."""
    lock = Lock.for_dir(playbook.path.parent)
    st = lock.status(playbook)
    if st.state == "never_reviewed":
        raise NotVetted(f"playbook {playbook.name} was never reviewed (no entry in {lock.path})",
                        hint=f"have it reviewed: netops playbook lint {playbook.name} && "
                             f"netops playbook vet {playbook.name} --reviewer WHO")
    if st.state == "edited":
        assert st.entry is not None
        raise NotVetted(f"playbook {playbook.name} was edited after review (vetted by {st.entry.reviewer} "
                        f"at {st.entry.vetted_at}; hash now {playbook.hash[:19]}..., lock has {st.entry.hash[:19]}...)",
                        hint=f"review the change, then: netops playbook vet {playbook.name} --reviewer WHO")
    assert st.entry is not None
    return st.entry
