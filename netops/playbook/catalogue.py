"""The catalogue: every playbook netops can see, from the configured directory and plugins.

Directories: ``settings.paths.playbooks_dir`` first (the built-in one unless relocated), then
every directory registered by a plugin through ``register_playbook_dirs``. Each directory has
its own ``playbooks.lock``. A name found in two directories is a configuration error.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from netops.errors import NetopsError, NotFoundError
from netops.playbook.lock import Lock, LockEntry
from netops.playbook.spec import Playbook, load_playbook

if TYPE_CHECKING:
    from netops.settings import Settings
    from netops.store.audit import AuditLog


@dataclass(frozen=True)
class CatalogueEntry:
    """One playbook directory as listed: its summary, vetting state, or why it does not load."""

    name: str
    path: Path
    source: str
    """``netops`` or the plugin that registered the directory."""
    version: str | None = None
    description: str | None = None
    risk: str | None = None
    read_only: bool | None = None
    platforms: tuple[str, ...] = ()
    hash: str | None = None
    vetting: str = "invalid"
    """vetted | never_reviewed | edited | invalid"""
    reviewer: str | None = None
    vetted_at: str | None = None
    error: str | None = None


class Catalogue:
    """Find, list and load playbooks."""

    def __init__(self, settings: "Settings", *, extra_dirs: tuple[Path, ...] = ()) -> None:
        self.settings = settings
        self._extra = tuple(Path(d) for d in extra_dirs)

    def directories(self) -> list[tuple[Path, str]]:
        """(directory, source) in search order, without duplicates."""
        from netops.plugins import playbook_dirs

        out: list[tuple[Path, str]] = [(self.settings.paths.playbooks_dir, "netops")]
        registry = playbook_dirs()
        for key, path in registry.items.items():
            owner = registry.owners[key]
            # The built-in registration names the shipped directory, which settings may relocate.
            if owner == "netops.builtins":
                continue
            out.append((Path(path), owner))
        out.extend((d, "extra") for d in self._extra)
        seen: set[Path] = set()
        unique = []
        for d, src in out:
            r = d.resolve()
            if r not in seen:
                seen.add(r)
                unique.append((d, src))
        return unique

    def _dirs_by_name(self) -> dict[str, tuple[Path, str]]:
        found, _ = self._scan()
        return found

    def _scan(self) -> tuple[dict[str, tuple[Path, str]], list[str]]:
        """(name -> (dir, source), clashes). The first directory wins a name; a later playbook
        of the same name (a plugin shadowing a built-in) is left out and reported."""
        found: dict[str, tuple[Path, str]] = {}
        clashes: list[str] = []
        for directory, source in self.directories():
            if not directory.is_dir():
                continue
            for sub in sorted(p for p in directory.iterdir() if (p / "playbook.yaml").is_file()):
                if sub.name in found:
                    clashes.append(f"playbook {sub.name!r} from {source} ({sub}) is left out: "
                                   f"{found[sub.name][1]} already provides it ({found[sub.name][0]})")
                    continue
                found[sub.name] = (sub, source)
        return found, clashes

    def problems(self) -> list[str]:
        """Playbooks left out because another directory already has one of that name."""
        return self._scan()[1]

    def by_source(self, source: str) -> list[CatalogueEntry]:
        """The playbooks one plugin (or ``netops``) contributes, with their vetting state."""
        return [e for e in self.list() if e.source == source]

    def names(self) -> list[str]:
        return sorted(self._dirs_by_name())

    def list(self) -> list[CatalogueEntry]:
        """Every playbook, including ones that fail to load (with ``error`` set)."""
        return [entry for entry, _ in self.read(shared=True)]

    def read(self, *, shared: bool = False) -> list[tuple[CatalogueEntry, Playbook | None]]:
        """:meth:`list` with each playbook as it was read for its entry (None when it does not
        load): its vetting state is of that very read, and nothing reads it a second time.
        ``shared``: specs the caller only reads (see :func:`~netops.playbook.spec.load_spec`)."""
        out: list[tuple[CatalogueEntry, Playbook | None]] = []
        locks: dict[Path, Lock | str] = {}
        for name, (path, source) in sorted(self._dirs_by_name().items()):
            try:
                pb = load_playbook(path, shared=shared)
            except NetopsError as exc:
                out.append((CatalogueEntry(name=name, path=path, source=source, error=exc.message), None))
                continue
            if path.parent not in locks:  # (setdefault would read the lock for every playbook)
                try:
                    locks[path.parent] = Lock.for_dir(path.parent)
                except NetopsError as exc:
                    # one plugin's unreadable lock leaves out that directory's playbooks, not every
                    # playbook: 'playbook list', 'plugins' and the worded-change path ('drain r3',
                    # a built-in) all failed on it
                    locks[path.parent] = exc.message
            lock = locks[path.parent]
            if isinstance(lock, str):
                out.append((CatalogueEntry(name=name, path=path, source=source, error=lock), None))
                continue
            st = lock.status(pb)
            s = pb.spec
            out.append((CatalogueEntry(
                name=name, path=path, source=source, version=str(s.version), description=s.description,
                risk=s.risk, read_only=s.read_only, platforms=tuple(s.platforms), hash=pb.hash,
                vetting=st.state, reviewer=st.entry.reviewer if st.entry else None,
                vetted_at=st.entry.vetted_at if st.entry else None), pb))
        return out

    def path_of(self, name: str) -> Path:
        found = self._dirs_by_name()
        if name not in found:
            raise NotFoundError(f"no playbook named {name!r}",
                                hint=f"known: {', '.join(sorted(found)) or 'none'} (netops playbook list)")
        return found[name][0]

    def get(self, name: str) -> Playbook:
        """Load and validate one playbook (vetting is checked by the runner, not here)."""
        return load_playbook(self.path_of(name))

    def lock_for(self, playbook: Playbook) -> Lock:
        lock = Lock.for_dir(playbook.path.parent)
        source = self._dirs_by_name().get(playbook.name, (None, None))[1]
        lock.plugin = source if source not in (None, "netops", "extra") else None
        return lock

    def plugin_playbooks(self, plugin: str) -> list[str]:
        """Names of the playbooks a plugin contributes; :class:`NotFoundError` when it has none."""
        names = sorted(n for n, (_, src) in self._dirs_by_name().items() if src == plugin)
        if not names:
            from netops import plugins

            known = sorted({src for _, src in self.directories() if src not in ("netops", "extra")})
            installed = {i.name for i in plugins.plugin_infos()}
            why = "is not installed" if plugin not in installed else "contributes no playbooks"
            raise NotFoundError(f"plugin {plugin!r} {why}",
                                hint=f"plugins with playbooks: {', '.join(known) or 'none'} (netops plugins)")
        return names

    def vet(self, name: str, reviewer: str, *, audit: "AuditLog | None" = None,
            actor: str | None = None) -> tuple[Playbook, "LockEntry", Lock]:
        """Lint, then pin the playbook's current hash in its directory's lock (a plugin's own lock
        for a plugin playbook), and record a ``vet`` entry in the audit log (``audit``, or the
        settings' own log when not given): every surface that vets is audited the same way.
        Raises :class:`PlaybookInvalid` when it does not lint."""
        from netops.errors import PlaybookInvalid
        from netops.playbook.lint import lint_playbook

        report = lint_playbook(self.path_of(name))
        if not report.ok:
            raise PlaybookInvalid(f"{name} does not lint: {report.problems[0]}",
                                  hint=f"netops playbook lint {name}")
        pb = self.get(name)
        lock = self.lock_for(pb)
        if audit is None:
            from netops.store.audit import AuditLog

            with AuditLog.from_settings(self.settings) as own:
                return self.vet(name, reviewer, audit=own, actor=actor)
        entry = lock.vet(pb, reviewer)
        source = self._dirs_by_name().get(name, (None, None))[1]
        audit.append("vet", {"playbook": pb.name, "hash": pb.hash, "reviewer": entry.reviewer,
                             "lock": str(lock.path),
                             "plugin": source if source not in (None, "netops", "extra") else None},
                     actor=actor or self.settings.user)
        return pb, entry, lock
