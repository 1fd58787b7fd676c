"""A shared team index: a real ``chroma run`` server reached through NETOPS_CHROMA_URL.

Indexes a few documents over HTTP, searches them from a second NETOPS_HOME (a teammate with no
local lexical index), then kills the server and checks the CLI's clean one-line failure (exit 3).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from netops.errors import BackendUnavailable, IndexMismatchError
from netops.rag.kb import KnowledgeBase
from netops.settings import load_settings
from netops.testing.embedders import HashEmbedder


def chroma_cli() -> str | None:
    local = Path(sys.executable).with_name("chroma")
    return str(local) if local.exists() else shutil.which("chroma")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def chroma_server(tmp_path):
    exe = chroma_cli()
    if exe is None:
        pytest.skip("the chroma CLI is not installed (pip install chromadb)")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
    proc = subprocess.Popen([exe, "run", "--path", str(tmp_path / "chroma-server"), "--host", "127.0.0.1",
                             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=env, start_new_session=True)
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(f"{url}/api/v2/heartbeat", timeout=0.5).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"chroma run did not come up on {url}")
        time.sleep(0.1)
    yield url, proc
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)


def test_shared_index_over_http_then_server_down(chroma_server, tmp_path, monkeypatch):
    url, proc = chroma_server
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "bgp.md").write_text("# BGP\n\nThe hold timer defaults to 90 seconds; keepalives every 30.\n")
    (docs / "ospf.md").write_text("# OSPF\n\nHello and dead intervals must match on both neighbors.\n")
    (docs / "isis.md").write_text("# IS-IS\n\nLevel 1 and level 2 adjacencies form between routers.\n")
    monkeypatch.setenv("NETOPS_CHROMA_URL", url)

    with KnowledgeBase(load_settings(), embedder=HashEmbedder()) as kb:
        report = kb.add([docs])
        assert report.ok and len(report.added) == 3
        assert kb.stats().vectors == kb.stats().chunks
        assert kb.search("hold timer keepalives", top_k=1)[0].chunk.source.endswith("bgp.md")
        assert kb.verify().ok

    # a teammate: fresh NETOPS_HOME (no lexical db), same server -> dense search still works
    monkeypatch.setenv("NETOPS_HOME", str(tmp_path / "teammate"))
    with KnowledgeBase(load_settings(), embedder=HashEmbedder()) as mate:
        assert not mate.is_empty()
        hits = mate.search("hello dead intervals neighbors", top_k=1, mode="dense")
        assert hits[0].chunk.source.endswith("ospf.md") and hits[0].chunk.citation
        with pytest.raises(IndexMismatchError):  # the server's collection records its embedder
            KnowledgeBase(load_settings(), embedder=HashEmbedder(dim=32)).add([docs])

    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=10)

    with pytest.raises(BackendUnavailable):
        KnowledgeBase(load_settings(), embedder=HashEmbedder()).search("hold timer", mode="dense")

    env = {**os.environ, "NETOPS_HOME": str(tmp_path / "third"), "NETOPS_CHROMA_URL": url}
    for args in (["kb", "stats"], ["kb", "add", str(docs)]):
        r = subprocess.run([sys.executable, "-m", "netops", *args], capture_output=True, text=True,
                           env=env, timeout=120)
        assert r.returncode == 3, (args, r.stderr)
        lines = r.stderr.strip().splitlines()
        assert lines[0].startswith(f"error: Chroma server at {url} is unreachable"), r.stderr
        assert lines[1].startswith("hint: ") and len(lines) == 2 and r.stdout == ""
