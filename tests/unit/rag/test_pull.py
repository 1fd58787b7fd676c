"""RFC pull from a Debian-style tree and from a real loopback HTTP mirror; pack manifests."""

from __future__ import annotations

import gzip
import http.server
import socket
import threading
from pathlib import Path

import pytest

from netops.errors import ConfigError, NotFoundError
from netops.rag.pull import find_local_rfc, list_packs, load_pack, pull_rfcs

REPO = Path(__file__).resolve().parents[3]
RFC_TEXT = b"Network Working Group\nRequest for Comments: 9999\n\n   Widgets\n\n1.  Intro\n\n   Text.\n"


class _Mirror(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server API)
        if self.path == "/rfc/rfc9999.txt":
            body, ctype, code = RFC_TEXT, "text/plain", 200
        elif self.path == "/rfc/rfc8888.txt":
            body, ctype, code = b"<html><body>Error page</body></html>", "text/html", 200
        elif self.path == "/rfc/rfc7777.txt":
            body, ctype, code = b"boom", "text/plain", 500
        else:
            body, ctype, code = b"not found", "text/plain", 404
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def mirror():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Mirror)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/rfc"
    server.shutdown()
    server.server_close()
    thread.join(5)


@pytest.fixture
def rfc_tree(tmp_path, rfc):
    """A Debian doc-rfc layout with a real RFC (byte-identical copy) and a plain .txt one."""
    tree = tmp_path / "RFC"
    (tree / "draft-standard").mkdir(parents=True)
    (tree / "standard").mkdir()
    (tree / "draft-standard" / "rfc4271.txt.gz").write_bytes(rfc(4271).read_bytes())
    (tree / "standard" / "rfc858.txt").write_bytes(b"RFC 858 text\n")
    return tree


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_local_copies_are_byte_identical(rfc_tree, tmp_path, rfc):
    dest = tmp_path / "docs"
    seen = []
    report = pull_rfcs([4271, 858, 4271], dest=dest, rfc_dir=rfc_tree, mirror_url="http://127.0.0.1:9/rfc",
                       on_progress=lambda n, msg: seen.append((n, msg)))
    assert report.ok and report.from_local == [4271, 858] and report.from_mirror == []
    assert report.fetched == {4271: dest / "rfc4271.txt.gz", 858: dest / "rfc858.txt"}
    assert (dest / "rfc4271.txt.gz").read_bytes() == rfc(4271).read_bytes()
    assert gzip.decompress((dest / "rfc4271.txt.gz").read_bytes()).startswith(b"\n")  # still the real RFC
    assert seen == [(4271, "local"), (858, "local")]


def test_find_local_rfc(rfc_tree):
    assert find_local_rfc(4271, rfc_tree) == rfc_tree / "draft-standard" / "rfc4271.txt.gz"
    assert find_local_rfc(1, rfc_tree) is None
    assert find_local_rfc(1, rfc_tree / "missing") is None


def test_download_from_mirror(rfc_tree, tmp_path, mirror):
    dest = tmp_path / "docs"
    report = pull_rfcs([9999, 4271], dest=dest, rfc_dir=rfc_tree, mirror_url=mirror, timeout=5)
    assert report.ok
    assert report.from_mirror == [9999] and report.from_local == [4271]
    assert (dest / "rfc9999.txt").read_bytes() == RFC_TEXT


def test_mirror_404_html_and_500_fail_per_rfc(tmp_path, mirror):
    dest = tmp_path / "docs"
    report = pull_rfcs([1234, 8888, 7777, 9999], dest=dest, rfc_dir=tmp_path / "none", mirror_url=mirror + "/",
                       timeout=5)
    assert set(report.failed) == {1234, 8888, 7777}
    assert "not found on the mirror (HTTP 404" in report.failed[1234]
    assert "HTML" in report.failed[8888]
    assert "HTTP 500" in report.failed[7777]
    assert report.from_mirror == [9999]
    assert sorted(p.name for p in dest.iterdir()) == ["rfc9999.txt"]  # nothing half-written


def test_mirror_down(tmp_path):
    dest = tmp_path / "docs"
    report = pull_rfcs([9999], dest=dest, rfc_dir=tmp_path / "none",
                       mirror_url=f"http://127.0.0.1:{_closed_port()}/rfc", timeout=3)
    reason = report.failed[9999]
    assert "mirror unreachable" in reason and "NETOPS_KB__RFC_MIRROR_URL" in reason
    assert "\n" not in reason
    assert list(dest.iterdir()) == []


def test_invalid_numbers_are_reported(tmp_path):
    report = pull_rfcs([0, -5], dest=tmp_path / "d", rfc_dir=tmp_path, mirror_url="http://127.0.0.1:9")
    assert set(report.failed) == {0, -5}


# --- packs ------------------------------------------------------------------------------------


def test_shipped_packs_exist_locally_and_core_is_small():
    packs = {p.name: p for p in list_packs(REPO / "knowledge")}
    assert {"core", "routing"} <= set(packs)
    core = load_pack("core", REPO / "knowledge")
    assert 6 <= len(core.rfcs) <= 10 and 4271 in core.rfcs and 2328 in core.rfcs
    assert set(core.rfcs) <= set(packs["routing"].rfcs)
    if Path("/usr/share/doc/RFC").is_dir():
        missing = [n for p in packs.values() for n in p.rfcs if find_local_rfc(n, Path("/usr/share/doc/RFC")) is None]
        assert missing == []


def test_load_pack_by_path_and_errors(tmp_path):
    good = tmp_path / "mine.yaml"
    good.write_text("name: mine\ndescription: test\nrfcs: [4271, 4271, 2328]\n")
    pack = load_pack(str(good), tmp_path)
    assert (pack.name, pack.rfcs) == ("mine", (4271, 2328))
    with pytest.raises(NotFoundError) as err:
        load_pack("nosuch", REPO / "knowledge")
    assert err.value.hint == "available packs: core, routing"
    bad = tmp_path / "bad.yaml"
    for text in ("rfcs: [abc]\n", "rfcs: []\n", "- just a list\n", "rfcs: [1\n"):
        bad.write_text(text)
        with pytest.raises(ConfigError):
            load_pack(bad, tmp_path)
