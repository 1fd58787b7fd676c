"""The playbook format: ``playbooks/<name>/playbook.yaml`` validated by pydantic.

A playbook directory holds ``playbook.yaml`` and its per-platform Jinja2 templates
(``frr.j2``, ``rollback-frr.j2`` ...). :func:`load_playbook` reads and validates one directory
into a :class:`Playbook` (spec + where it lives + content hash). The format is documented in
``playbooks/README.md``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator, model_validator

from netops.errors import PlaybookInvalid
from netops.playbook.params import Param

SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader when PyYAML has it (about ten times faster; the catalogue reads every
playbook for each question it routes), else the pure-Python one. Same documents, same types."""

NAME_RE = r"^[a-z0-9][a-z0-9-]{1,63}$"
PHRASE_RE = r"[a-z0-9][a-z0-9-]*(?: +[a-z0-9][a-z0-9-]*){0,5}"
RISKS = ("low", "medium", "high")
RISK_ORDER = {r: i for i, r in enumerate(RISKS)}
_DURATION_RE = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*(ms|s|m)?\s*$")

Risk = Literal["low", "medium", "high"]


def parse_duration(value: Any) -> float:
    """``30s`` / ``500ms`` / ``2m`` / ``5`` (seconds) -> seconds."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = float(value)
    else:
        m = _DURATION_RE.match(str(value))
        if not m:
            raise ValueError(f"{value!r} is not a duration (e.g. 30s, 500ms, 2m)")
        seconds = float(m.group(1)) * {"ms": 0.001, "s": 1.0, "m": 60.0, None: 1.0}[m.group(2)]
    if seconds < 0 or seconds > 3600:
        raise ValueError(f"duration {value!r} must be between 0 and 1 hour")
    return seconds


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Capture(_Strict):
    """A value taken from a check's output for later templates: ``{query, type, ...}``."""

    query: str
    param: Any = Field(default=None, exclude=True)
    type: str
    min: int | None = None
    max: int | None = None
    choices: list[str] | None = None
    example: Any = None
    """A plausible value for ``playbook lint`` (default: one derived from the type)."""

    @model_validator(mode="after")
    def _typed(self) -> "Capture":
        spec = {k: v for k, v in {"type": self.type, "min": self.min, "max": self.max,
                                   "choices": self.choices}.items() if v is not None}
        self.param = _param_adapter().validate_python(spec)
        return self


_PARAM_ADAPTER: list[TypeAdapter] = []


def _param_adapter() -> TypeAdapter:
    """One ``TypeAdapter(Param)`` for every capture (building one costs about a millisecond, and
    every playbook the catalogue reads for a question builds its captures)."""
    if not _PARAM_ADAPTER:
        _PARAM_ADAPTER.append(TypeAdapter(Param))
    return _PARAM_ADAPTER[0]


class Check(_Strict):
    """A read-only command, assertions over its output, optional captures."""

    name: str
    command: str
    expect: list[str] = Field(default_factory=list, alias="assert")
    capture: dict[str, Capture] = Field(default_factory=dict)
    within: float = 0.0
    """Postchecks: keep retrying until this many seconds have passed."""
    interval: float = 1.0
    steady: bool = False
    """Postchecks: this check reads a state the change does not itself alter (it should hold
    before the change as after it, e.g. "every BGP session is Established" for an undrain).
    The plan evaluates it on the state it read and, when it fails already, says before the
    approval that the change will likely be rolled back. A check of what the change is meant to
    alter is never steady: it fails before the change by design."""

    @field_validator("within", "interval", mode="before")
    @classmethod
    def _duration(cls, v: Any) -> float:
        return parse_duration(v)

    @field_validator("expect", mode="before")
    @classmethod
    def _listify(cls, v: Any) -> Any:
        return [v] if isinstance(v, str) else v


class TargetRules(_Strict):
    platform: str | None = None
    """Every target must be of this platform."""
    min_hosts: int = Field(default=1, ge=1)
    max_hosts: int | None = Field(default=None, ge=1)
    """``1`` means exactly one host per run."""
    group: str | None = None
    """Every target must belong to this inventory group."""


class Change(_Strict):
    mode: Literal["config", "exec"] = "config"
    """``config``: lines inside configuration mode. ``exec``: allow-listed operational commands."""
    templates: dict[str, str]
    """platform -> template file next to playbook.yaml."""

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, v: Any) -> Any:
        if isinstance(v, dict) and "templates" not in v:
            return {"templates": v}
        return v


class Rollback(_Strict):
    templates: dict[str, str] = Field(default_factory=dict)
    """platform -> explicit rollback template. Empty: restore the snapshot by config diff."""

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, v: Any) -> Any:
        if v == "snapshot":
            return {"templates": {}}
        if isinstance(v, dict) and "templates" not in v:
            return {"templates": v}
        return v

    @property
    def snapshot_only(self) -> bool:
        return not self.templates


class ReportItem(_Strict):
    """Read-only playbooks: what to show from a command's output."""

    name: str
    command: str
    query: str = "@"
    each: str | None = None
    """When ``query`` yields an object, apply this JMESPath to each value, keeping the keys."""


class PlaybookSpec(_Strict):
    name: str = Field(pattern=NAME_RE)
    version: int | str
    description: str = Field(min_length=1)
    owner: str = Field(min_length=1)
    risk: Risk
    read_only: bool = False
    platforms: list[str] = Field(min_length=1)
    parameters: dict[str, Param] = Field(default_factory=dict)
    targets: TargetRules = Field(default_factory=TargetRules)
    prechecks: list[Check] = Field(default_factory=list)
    change: Change | None = None
    postchecks: list[Check] = Field(default_factory=list)
    rollback: Rollback | None = None
    report: list[ReportItem] = Field(default_factory=list)
    phrases: list[str] = Field(default_factory=list)
    """How people ask for this playbook in words ("bgp health", "prefix limit"): the worded-change
    matcher proposes it when every word of one phrase is said, in order, in one clause. For a
    playbook whose name has no action word the matcher knows ("drain", "shutdown", ...). Part of
    the vetted content; ``playbook lint`` refuses phrases with no specific word."""

    not_for: list[str] = Field(default_factory=list)
    """Phrases for what this playbook does *not* do, though its phrases come close ("lower prefix
    limit" for a playbook that only raises one): when one is said, the playbook is not proposed."""

    @field_validator("phrases", "not_for")
    @classmethod
    def _phrase_shape(cls, v: list[str], info: Any) -> list[str]:
        for phrase in v:
            if not isinstance(phrase, str) or not re.fullmatch(PHRASE_RE, phrase):
                raise ValueError(f"{info.field_name} {phrase!r} must be 1 to 6 lower-case words "
                                 "(letters, digits, hyphens)")
        return v

    @field_validator("parameters")
    @classmethod
    def _param_names(cls, v: dict[str, Any]) -> dict[str, Any]:
        for name in v:
            if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
                raise ValueError(f"parameter name {name!r} must be lower_snake_case")
            if name in ("facts", "host", "platform"):
                raise ValueError(f"parameter name {name!r} is reserved")
        return v

    @model_validator(mode="after")
    def _shape(self) -> "PlaybookSpec":
        steady = [c.name for c in self.prechecks if c.steady]
        if steady:
            raise ValueError(f"precheck {steady[0]!r}: steady is for postchecks (a precheck always runs on the plan)")
        if self.read_only:
            if self.change is not None or self.rollback is not None or self.postchecks:
                raise ValueError("a read_only playbook has no change, rollback or postchecks")
        else:
            if self.change is None:
                raise ValueError("a playbook that is not read_only needs a change section")
            if self.rollback is None:
                raise ValueError("a playbook that is not read_only needs a rollback (templates or 'snapshot')")
        return self


@dataclass(frozen=True)
class Playbook:
    """A loaded playbook: its spec, its directory and the sha256 over its content."""

    spec: PlaybookSpec
    path: Path
    hash: str

    @property
    def name(self) -> str:
        return self.spec.name

    def files(self) -> list[Path]:
        from netops.playbook.lock import content_files

        return content_files(self.path)


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    loc = ".".join(str(p) for p in err.get("loc", ()) if not str(p).startswith("function-"))
    msg = err.get("msg", "invalid").removeprefix("Value error, ")
    more = f" (+{exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    return f"{loc or 'playbook'}: {msg}{more}"


_SPECS: dict[tuple[str, str], PlaybookSpec] = {}
"""(directory name, playbook.yaml text) -> its spec: the catalogue reads every playbook for each
question it routes, and parsing and validating them was most of the time a question took."""


def load_spec(path: Path, *, shared: bool = False) -> PlaybookSpec:
    """Read and validate ``path/playbook.yaml``; raises :class:`PlaybookInvalid`. ``shared``: for
    a caller that only reads the spec, the one kept for this text itself, not a deep copy of it
    (copying was most of what routing a question spent on the playbooks)."""
    file = Path(path) / "playbook.yaml"
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise PlaybookInvalid(f"cannot read {file}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise PlaybookInvalid(f"{file} is not UTF-8 text (byte {exc.start})", hint="save it as UTF-8") from exc
    key = (Path(path).name, text)
    cached = _SPECS.get(key)
    if cached is not None:  # the same text in the same-named directory: the same spec (a copy: callers may change it)
        return cached if shared else cached.model_copy(deep=True)
    spec = _parse_spec(file, path, text)
    if len(_SPECS) >= 512:
        _SPECS.clear()
    _SPECS[key] = spec.model_copy(deep=True)
    return spec


def yaml_problem(exc: Exception) -> str:
    """PyYAML's error in one line (``line 4, column 13: did not find expected ',' or ']'``): its
    ``str()`` is four lines with ``in "<unicode string>"`` marks, and every surface shows a
    playbook's problem on one line (``playbook list``, ``plugins``, ``doctor``, the CLI error)."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or (str(exc).splitlines() or [type(exc).__name__])[0]
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
    return f"{where}{problem}"


def _parse_spec(file: Path, path: Path, text: str) -> PlaybookSpec:
    try:
        raw = yaml.load(text, Loader=SAFE_LOADER)
    except yaml.YAMLError as exc:
        raise PlaybookInvalid(f"{file} is not valid YAML ({yaml_problem(exc)})",
                              hint="fix the YAML at that line; see playbooks/README.md for the format") from exc
    if not isinstance(raw, dict):
        raise PlaybookInvalid(f"{file}: expected a mapping at the top level")
    try:
        spec = PlaybookSpec.model_validate(raw)
    except ValidationError as exc:
        raise PlaybookInvalid(f"{file}: {_first_error(exc)}", hint="see playbooks/README.md for the format") from exc
    if spec.name != Path(path).name:
        raise PlaybookInvalid(f"{file}: name {spec.name!r} does not match its directory {Path(path).name!r}")
    return spec


def load_playbook(path: Path, *, shared: bool = False) -> Playbook:
    """``path``'s playbook; ``shared`` as for :func:`load_spec` (its spec must not be changed)."""
    from netops.playbook.lock import content_hash

    path = Path(path)
    spec = load_spec(path, shared=shared)
    return Playbook(spec=spec, path=path, hash=content_hash(path))
