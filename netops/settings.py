"""Settings: one typed object, read from ``NETOPS_*`` variables and a TOML config file.

Precedence (highest first): explicit keyword arguments, environment (``NETOPS_``, nested
with ``__``), ``$NETOPS_CONFIG`` or ``$XDG_CONFIG_HOME/netops/config.toml``, defaults.
The object is created once by the caller (CLI, TUI, tests) and passed down; nothing in netops
reads it from a module global.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, Field, SecretStr, ValidationError
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

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


class Settings(BaseSettings):
    """Everything configurable about netops."""

    model_config = SettingsConfigDict(
        env_prefix="NETOPS_",
        env_nested_delimiter="__",
        env_ignore_empty=True,  # NETOPS_HOME= is unset, not '.' (state written wherever netops runs)
        extra="ignore",
        validate_default=True,
    )

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
    model_review: bool = True
    """Ask the model for a second opinion on every change plan (shown beside the plan; it can
    warn or block, never approve). Deterministic review rules run regardless."""
    chroma_url: str | None = None
    """A shared team index served by ``chroma run``; default is an embedded index in home."""
    user: str = Field(default_factory=_login_name)
    """Who is recorded in the audit log."""

    ssh: SSHSettings = SSHSettings()
    kb: KBSettings = KBSettings()
    audit: AuditSettings = AuditSettings()
    chat: ChatSettings = ChatSettings()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        path = config_path()
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        if path.is_file():
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=path))
        return tuple(sources)

    # Resolved locations -------------------------------------------------------------------
    @property
    def paths(self) -> "Paths":
        from netops.paths import Paths

        return Paths.from_settings(self)


def load_settings(**overrides: Any) -> Settings:
    """Build :class:`Settings`, turning every config problem into one :class:`ConfigError`."""
    path = config_path()
    if path.is_file():
        try:
            tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"config file {path} is not valid TOML: {exc}",
                              hint="fix the file or point NETOPS_CONFIG elsewhere") from exc
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err.get("loc", ())) or "settings"
        raise ConfigError(
            f"invalid setting {where}: {err.get('msg')}",
            hint=f"check NETOPS_{where.upper().replace('.', '__')} and {path}",
        ) from exc
