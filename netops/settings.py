"""Settings: one typed object, read from ``NETOPS_*`` variables and a TOML config file.

Precedence (highest first): explicit keyword arguments, environment (``NETOPS_``, nested
with ``__``), ``$NETOPS_CONFIG`` or ``$XDG_CONFIG_HOME/netops/config.toml``, defaults.
The object is created once by the caller (CLI, TUI, tests) and passed down; nothing in netops
reads it from a module global.

Variable names ignore case; a section (``NETOPS_SSH``) or a mapping (``NETOPS_CHAT__KEYS``) may be
given whole as JSON, and its nested variables and the file's table of the same name merge into it.
This is what pydantic-settings does; netops reads its two sources itself because importing
pydantic-settings (every cloud and CLI source it has) cost each netops process ~0.08 s more than
pydantic itself (idle machine; 0.03 s net of what a command imports anyway, e.g. `netops audit verify`).
"""

from __future__ import annotations

import json
import os
import tomllib
import types
import typing
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

from netops.errors import ConfigError
from netops.paths import shipped_dir

if TYPE_CHECKING:
    from netops.paths import Paths

def default_home() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "netops"


def config_path() -> Path:
    """Where the TOML config file is looked for."""
    explicit = os.environ.get("NETOPS_CONFIG")
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "netops" / "config.toml"


def _login_name() -> str:
    """USER / LOGNAME, else the account running netops (a container, cron or a service often
    sets neither), else "unknown"."""
    name = os.environ.get("USER") or os.environ.get("LOGNAME")
    if name:
        return name
    try:
        import pwd

        return pwd.getpwuid(os.getuid()).pw_name
    except (ImportError, KeyError, OSError):
        return "unknown"


class SSHSettings(BaseModel):
    """SSH transport settings (``NETOPS_SSH__...``)."""

    connect_timeout: float = 8.0
    """Seconds to wait for TCP connect + SSH handshake + auth."""
    command_timeout: float = 30.0
    """Seconds a single command may run before it is abandoned."""
    max_workers: int = Field(default=20, ge=1, le=256)
    """Concurrent sessions during a fan-out."""
    max_output_bytes: int = Field(default=4 * 1024 * 1024, ge=1024)
    """Output beyond this many bytes is cut off (and the result says so)."""
    allow_legacy_algorithms: bool = False
    """Re-enable SHA-1 key exchange and ssh-rsa host keys for old devices (weaker security)."""


class KBSettings(BaseModel):
    """Knowledge base settings (``NETOPS_KB__...``)."""

    embedder: Literal["auto", "minilm", "ollama", "none"] = "auto"
    """auto: Ollama embeddings if ``ollama_embed_model`` is set and reachable, else the
    in-process MiniLM, else lexical-only. ``none`` forces lexical-only."""
    ollama_embed_model: str | None = None
    """e.g. ``nomic-embed-text`` or ``all-minilm``; used by the ``ollama`` embedder."""
    max_file_mb: float = Field(default=32.0, gt=0)
    """Files larger than this are refused by ``kb add`` (raise it for big spec bundles)."""
    chunk_chars: int = Field(default=1600, ge=200)
    """Target chunk size in characters."""
    top_k: int = Field(default=5, ge=1, le=100)
    rfc_dir: Path = Path("/usr/share/doc/RFC")
    """Local RFC tree in Debian's doc-rfc layout, searched by ``kb pull rfc``."""
    rfc_mirror_url: str = "https://www.rfc-editor.org/rfc"
    """Where ``kb pull`` downloads RFCs the local tree lacks (``{url}/rfcNNNN.txt``)."""


class AuditSettings(BaseModel):
    """Audit log protection (``NETOPS_AUDIT__...``)."""

    key_file: Path | None = None
    """HMAC key of the audit chain (0600, created on first use). Default:
    ``<home>/keys/audit.key``, a separate file in a 0700 directory. Whoever can read it can
    re-key a rewritten log, so for separation of duties point this at a location the netops
    user can read but that is backed up and watched apart from ``NETOPS_HOME``."""
    anchor_file: Path | None = None
    """Where ``netops audit anchor`` appends the chain head by default and ``audit verify``
    reads anchors from. Put it outside ``NETOPS_HOME`` (another disk, a mounted share, a path
    shipped off the machine) or use ``--syslog``."""


class ChatSettings(BaseModel):
    """``netops chat`` look and keys (``[chat]`` in the config file, ``NETOPS_CHAT__...``)."""

    theme: str = "textual-dark"
    """A Textual theme name (``textual-light``, ``nord``, ``gruvbox``, ...; Ctrl+P -> Theme lists them)."""
    keys: dict[str, str] = Field(default_factory=dict)
    """Key overrides by binding id, e.g. ``{"chat.side_panel" = "f3", "chat.cancel" = "ctrl+x"}``
    (F1 shows every id and its keys)."""
    side_panel: bool = False
    """Show the side panel (devices, lab, index) at start."""
    recovery_poll: float | None = Field(default=None, gt=0)
    """Seconds between two checks, while the chat is idle, for a change another netops left
    unfinished or a router-side guard put back (default 15)."""


ENV_PREFIX = "NETOPS_"
NESTED = "__"


class Settings(BaseModel):
    """Everything configurable about netops."""

    model_config = ConfigDict(extra="ignore", validate_default=True, protected_namespaces=())

    def __init__(self, **values: Any) -> None:
        """Keyword arguments, over ``NETOPS_*`` variables, over the config file, over defaults."""
        path = config_path()
        merged: dict[str, Any] = {}
        if path.is_file():
            _merge(merged, tomllib.loads(path.read_text(encoding="utf-8")))
        _merge(merged, _from_env(type(self)))
        _merge(merged, values)
        super().__init__(**merged)

    home: Path = Field(default_factory=default_home)
    """All state (index, audit log, history, lab files) lives here. Tests always set it."""
    knowledge_dir: Path = Field(default_factory=lambda: shipped_dir("knowledge"))
    """Team-written knowledge that ships with netops: glossary, runbooks, RFC pack manifests."""
    playbooks_dir: Path = Field(default_factory=lambda: shipped_dir("playbooks"))
    """Vetted playbooks and their lock file."""
    inventory: Path | None = None
    """Inventory file (Nornir SimpleInventory layout). Default: ``<home>/inventory.yaml``,
    falling back to the lab's inventory when the lab is up."""
    known_hosts: Path | None = None
    """known_hosts file for strict host-key checking. Default: ``<home>/known_hosts``."""
    policy_file: Path | None = None
    """Approval policy (roles, maximum risk for ``--yes``, change windows).
    Default: ``<home>/policy.yaml``."""

    ollama_url: str = "http://127.0.0.1:11434"
    model: str = "qwen2.5:7b-instruct"
    openai_base_url: str | None = None
    """An OpenAI-compatible endpoint (vLLM, llama.cpp server, Ollama's ``/v1``)."""
    openai_api_key: SecretStr | None = None
    grounding_sources: int = Field(default=1, ge=1, le=8)
    """Passages given to the model with a knowledge question. Measured with SmolLM2-135M, one
    focused passage gives the right answer where two or three lead it astray; raise it for 7B+
    models, which use several."""
    model_deadline: float = Field(default=120.0, gt=0)
    """Wall-clock seconds the model may take to answer one question (its turns together; tool
    runs and approvals do not count). A model that trickles or stalls is stopped there and the
    answer is marked partial."""
    approval_timeout: float = Field(default=600.0, gt=0)
    """Seconds a change plan waits for its approval in the chat, ``netops ask`` or ``netops playbook
    run`` before it expires: the change is denied (nothing is changed) and the hosts' change
    locks, held while the plan is shown, are released for other runs. Ask again for a fresh plan."""
    model_review: bool = True
    """Ask the model for a second opinion on every change plan (shown beside the plan; it can
    warn or block, never approve). Deterministic review rules run regardless."""
    chroma_url: str | None = None
    """A shared team index served by ``chroma run``; default is an embedded index in home."""
    user: str = Field(default_factory=_login_name)
    """Who is recorded in the audit log."""

    @field_validator("user")
    @classmethod
    def _one_line_name(cls, value: str) -> str:
        """A name is one line of printable text: it is recorded as who approved a change and shown
        in every answer about it. A newline or an escape sequence in NETOPS_USER forged lines of
        ``netops audit list`` and of answers (adv36; those now neutralise it too); refused here, so
        nothing is recorded under a name nobody can read back."""
        import unicodedata

        bad = next((c for c in value if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp")), None)
        if bad is not None:
            raise ValueError(f"a user name is one line of printable text; this one holds U+{ord(bad):04X}")
        if not value.strip():
            raise ValueError("a user name cannot be empty")
        return value

    ssh: SSHSettings = SSHSettings()
    kb: KBSettings = KBSettings()
    audit: AuditSettings = AuditSettings()
    chat: ChatSettings = ChatSettings()

    # Resolved locations -------------------------------------------------------------------
    @property
    def paths(self) -> "Paths":
        from netops.paths import Paths

        return Paths.from_settings(self)


def _merge(into: dict[str, Any], new: dict[str, Any]) -> None:
    """Deep update: a table merges into a table, anything else replaces."""
    for key, value in new.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            into[key] = dict(into[key])
            _merge(into[key], value)
        else:
            into[key] = value


def _structured(annotation: Any) -> bool:
    """A section (a model) or a mapping/list, optional or not: its variable is JSON."""
    if isinstance(annotation, type):
        return issubclass(annotation, (BaseModel, dict, list))
    origin = typing.get_origin(annotation)
    if origin in (dict, list):
        return True
    if origin in (typing.Union, types.UnionType):
        return any(_structured(a) for a in typing.get_args(annotation) if a is not type(None))
    return False


def _from_env(model: type[BaseModel], prefix: str = ENV_PREFIX) -> dict[str, Any]:
    """The values ``NETOPS_*`` variables give ``model``'s fields (names ignore case; empty is unset)."""
    env = {k.lower(): v for k, v in os.environ.items() if v != ""}
    out: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        key = (prefix + name).lower()
        annotation = field.annotation
        section = isinstance(annotation, type) and issubclass(annotation, BaseModel)
        raw = env.get(key)
        value: Any = None
        if raw is not None:
            if _structured(annotation):
                try:
                    value = json.loads(raw)
                except ValueError as exc:
                    name_ = key.upper()
                    raise ConfigError(f"{name_} is not JSON ({exc.msg}): a section or mapping is given whole",
                                      hint=f"{name_}='{{\"key\": \"value\"}}', or one key: {name_}{NESTED}KEY=value"
                                      ) from exc
            else:
                value = raw
        if section:
            nested = _from_env(annotation, key + NESTED)
            if nested:
                value = _merge_into(value, nested)
        elif _structured(annotation):
            start = key + NESTED
            deeper = {k[len(start):]: v for k, v in env.items() if k.startswith(start) and k != start}
            if deeper:
                value = _merge_into(value, deeper)
        if value is not None:
            out[name] = value
    return out


def _merge_into(value: Any, nested: dict[str, Any]) -> Any:
    base: dict[str, Any] = dict(value) if isinstance(value, dict) else {}
    _merge(base, nested)
    return base


def load_settings(**overrides: Any) -> Settings:
    """Build :class:`Settings`, turning every config problem into one :class:`ConfigError`."""
    path = config_path()
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"config file {path} is not valid TOML: {exc}",
                              hint="fix the file or point NETOPS_CONFIG elsewhere") from exc
        _refuse_unknown(Settings, data, str(path))
    _refuse_unknown_section_variables()
    try:
        settings = Settings(**overrides)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err.get("loc", ())) or "settings"
        raise ConfigError(
            f"invalid setting {where}: {str(err.get('msg', '')).removeprefix('Value error, ')}",
            hint=f"check NETOPS_{where.upper().replace('.', '__')} and {path}",
        ) from exc
    return settings


def _unknown(name: str, known: Any, section: str = "") -> str:
    import difflib

    if section and name in Settings.model_fields:  # NETOPS_SSH__KNOWN_HOSTS: a top-level setting
        return (f"'{name}' is not under [{section}]: it is a top-level setting "
                f"({ENV_PREFIX}{name.upper()}, or '{name} = ...' before any [section] in config.toml)")
    close = difflib.get_close_matches(name, list(known), n=1)
    return f"did you mean '{close[0]}'?" if close else "known: " + ", ".join(sorted(known))


def _refuse_unknown(model: type[BaseModel], data: dict[str, Any], where: str, prefix: str = "") -> None:
    """A key the config file spells wrong (``modle``, ``[ssh] conect_timeout``) is an error, not a
    default used in silence: a cron job would otherwise run against the wrong model or timeout."""
    for key, value in data.items():
        field = model.model_fields.get(key)
        if field is None:
            raise ConfigError(f"{where}: unknown setting '{prefix}{key}'",
                              hint=_unknown(key, model.model_fields, prefix.rstrip(".")))
        annotation = field.annotation
        if isinstance(value, dict) and isinstance(annotation, type) and issubclass(annotation, BaseModel):
            _refuse_unknown(annotation, value, where, f"{prefix}{key}.")


def _refuse_unknown_section_variables() -> None:
    """``NETOPS_SSH__CONECT_TIMEOUT``: under a section's prefix only that section's fields exist.
    (A plain ``NETOPS_*`` name may belong to something else: ``NETOPS_LAB_PASSWORD``, plugins.)"""
    for name, field in Settings.model_fields.items():
        annotation = field.annotation
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            continue
        start = (ENV_PREFIX + name + NESTED).lower()
        for var in os.environ:
            low = var.lower()
            if not low.startswith(start):
                continue
            key = low[len(start):].split(NESTED)[0]
            if key not in annotation.model_fields:
                raise ConfigError(f"unknown setting {var}", hint=_unknown(key, annotation.model_fields, name))


def check_home(settings: Settings) -> None:
    """Raise :class:`ConfigError` when the home is (or lies under) a file: one clear error, not a
    warning about the history, advice to move ``<file>/history.sqlite`` aside and an index error
    (trial32: ``NETOPS_HOME=/etc/passwd``). A home that does not exist yet is fine: it is created.
    ``netops doctor`` does not call it: it reports the state dir as one of its checks."""
    home = Path(settings.home).expanduser()
    at = home
    while not at.exists() and at != at.parent:
        at = at.parent
    if at.exists() and not at.is_dir():
        raise ConfigError(f"the netops home {home} (NETOPS_HOME) is not a directory: {at} is a file",
                          hint="set NETOPS_HOME to a directory (netops creates it if it does not exist), "
                               "or unset it for the default")
