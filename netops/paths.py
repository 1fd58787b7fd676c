"""Where netops keeps its state. Everything is under ``Settings.home`` unless configured."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from netops.settings import Settings

PACKAGE_DIR = Path(__file__).resolve().parent
SHIPPED = ("knowledge", "playbooks")
"""Top-level repository directories that a wheel carries as ``netops/data/<name>``."""


def source_checkout() -> Path | None:
    """The repository netops runs from (an editable install or PYTHONPATH), else None."""
    repo = PACKAGE_DIR.parent
    if (repo / "pyproject.toml").is_file() and all((repo / name).is_dir() for name in SHIPPED):
        return repo
    return None


def shipped_dir(name: str) -> Path:
    """A directory that ships with netops (``knowledge``, ``playbooks``).

    In a source checkout it is the repository's own top-level directory, so edits show at once;
    in an installed wheel it is the copy under ``netops/data`` (setup.py puts it there).
    """
    repo = source_checkout()
    if repo is not None:
        return repo / name
    return PACKAGE_DIR / "data" / name


@dataclass(frozen=True)
class Paths:
    home: Path
    index_dir: Path
    """Knowledge index: Chroma files, lexical FTS5 database, document registry."""
    chroma_dir: Path
    kb_db: Path
    """SQLite: documents, chunks (text + metadata), FTS5 lexical index, index metadata."""
    rfc_cache: Path
    """RFCs fetched by ``kb pull`` land here before they are indexed."""
    audit_db: Path
    audit_key: Path
    """HMAC key of the audit chain; outside the database (see ``Settings.audit``)."""
    audit_anchor_file: Path | None
    history_db: Path
    lab_dir: Path
    known_hosts: Path
    inventory: Path
    policy_file: Path
    playbooks_dir: Path
    playbooks_lock: Path
    knowledge_dir: Path

    @classmethod
    def from_settings(cls, s: "Settings") -> "Paths":
        home = Path(s.home).expanduser()
        index = home / "index"
        lab = home / "lab"
        if s.inventory is not None:
            inventory = Path(s.inventory).expanduser()
        elif (home / "inventory.yaml").exists():
            inventory = home / "inventory.yaml"
        elif (lab / "inventory.yaml").exists():
            inventory = lab / "inventory.yaml"
        else:
            # `netops lab up --id N` writes only lab/N/inventory.yaml: the one lab of this home is
            # the inventory to use; with two or more, none is guessed (the error names them)
            labs = [p for p in lab.glob("*/inventory.yaml") if p.parent.name.isdigit()] if lab.is_dir() else []
            inventory = labs[0] if len(labs) == 1 else home / "inventory.yaml"
        playbooks = Path(s.playbooks_dir).expanduser()
        return cls(
            home=home,
            index_dir=index,
            chroma_dir=index / "chroma",
            kb_db=index / "kb.sqlite",
            rfc_cache=home / "rfc",
            audit_db=home / "audit.sqlite",
            audit_key=Path(s.audit.key_file).expanduser() if s.audit.key_file else home / "keys" / "audit.key",
            audit_anchor_file=Path(s.audit.anchor_file).expanduser() if s.audit.anchor_file else None,
            history_db=home / "history.sqlite",
            lab_dir=lab,
            known_hosts=Path(s.known_hosts).expanduser() if s.known_hosts else home / "known_hosts",
            inventory=inventory,
            policy_file=Path(s.policy_file).expanduser() if s.policy_file else home / "policy.yaml",
            playbooks_dir=playbooks,
            playbooks_lock=playbooks / "playbooks.lock",
            knowledge_dir=Path(s.knowledge_dir).expanduser(),
        )

    def ensure_home(self) -> Path:
        self.home.mkdir(parents=True, exist_ok=True)
        return self.home
