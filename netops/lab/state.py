"""What a lab created, on disk (``<home>/lab/<id>/state.json``), so ``down`` can undo it.

Every step records its intent *before* it acts, so even a crashed or half-finished ``up``
leaves enough behind for ``down`` to remove everything.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from netops.errors import LabError


class UserRecord(BaseModel):
    name: str
    created: bool = False
    """True when the lab created the account (and so ``down`` deletes it)."""


class LabState(BaseModel):
    """Everything one lab owns on this machine."""

    lab_id: int
    lab_dir: str
    runtime_dir: str
    phase: str = "building"
    """``building`` while ``up`` runs, ``up`` once it finished."""
    namespaces: list[str] = Field(default_factory=list)
    daemon_pids: dict[str, dict[str, int]] = Field(default_factory=dict)
    """router -> daemon -> pid."""
    socat_pids: dict[str, int] = Field(default_factory=dict)
    user: UserRecord | None = None
    known_hosts: dict[str, list[str]] = Field(default_factory=dict)
    """known_hosts file -> the lines the lab added to it."""
    files: list[str] = Field(default_factory=list)
    """Files outside the lab and runtime directories that the lab wrote."""

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(self.model_dump_json(indent=2), encoding="utf-8")
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> "LabState | None":
        """The recorded state, or None when there is none."""
        try:
            raw = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        try:
            return cls.model_validate(json.loads(raw))
        except (ValueError, ValidationError) as exc:
            raise LabError(f"lab state {path} is unreadable: {str(exc).splitlines()[0]}",
                           hint="remove the lab by hand (ip netns del nl<id>-r*) and delete the file") from exc
