"""Fetch RFC text into the knowledge base's document folder, and read RFC pack manifests.

:func:`pull_rfcs` looks for each RFC in a local tree laid out like Debian's ``doc-rfc-*``
packages (``<rfc_dir>/<status>/rfcNNNN.txt.gz`` or ``.txt``) and only then downloads
``{mirror_url}/rfcNNNN.txt``. Files are copied byte for byte: RFC text may be redistributed
only unmodified. Failures are per RFC (a :class:`PullReport` entry), never an exception.

Packs are YAML manifests in ``<knowledge_dir>/packs/``::

    name: core
    description: The protocols every NOC question touches.
    rfcs: [4271, 2328, 4760]
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from netops.errors import ConfigError, NotFoundError

__all__ = ["PullReport", "Pack", "pull_rfcs", "find_local_rfc", "load_pack", "list_packs"]


@dataclass
class PullReport:
    """What :func:`pull_rfcs` did, per RFC number."""

    fetched: dict[int, Path] = field(default_factory=dict)
    """RFC number -> the file now in ``dest``."""
    from_local: list[int] = field(default_factory=list)
    from_mirror: list[int] = field(default_factory=list)
    failed: dict[int, str] = field(default_factory=dict)
    """RFC number -> one-line reason (with what to do about it)."""

    @property
    def ok(self) -> bool:
        return not self.failed


@dataclass(frozen=True)
class Pack:
    """A named list of RFCs to pull together."""

    name: str
    description: str
    rfcs: tuple[int, ...]
    path: Path | None = None


def find_local_rfc(number: int, rfc_dir: Path) -> Path | None:
    """``rfcNNNN.txt.gz`` or ``rfcNNNN.txt`` in any status folder of a Debian-style RFC tree."""
    rfc_dir = Path(rfc_dir)
    if not rfc_dir.is_dir():
        return None
    candidates = [rfc_dir] + sorted(p for p in rfc_dir.iterdir() if p.is_dir() and p.name != "links")
    for folder in candidates:
        for name in (f"rfc{number}.txt.gz", f"rfc{number}.txt"):
            p = folder / name
            if p.is_file():
                return p
    return None


def _atomic_copy(src: Path, dest_file: Path) -> None:
    fd, tmp = tempfile.mkstemp(dir=dest_file.parent, prefix=f".{dest_file.name}.")
    try:
        with os.fdopen(fd, "wb") as out, open(src, "rb") as inp:
            shutil.copyfileobj(inp, out)
        os.replace(tmp, dest_file)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _atomic_write(data: bytes, dest_file: Path) -> None:
    fd, tmp = tempfile.mkstemp(dir=dest_file.parent, prefix=f".{dest_file.name}.")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, dest_file)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def pull_rfcs(
    numbers: Sequence[int],
    *,
    dest: Path,
    rfc_dir: Path,
    mirror_url: str,
    on_progress: Callable[[int, str], None] | None = None,
    timeout: float = 30,
) -> PullReport:
    """Copy (local tree) or download (mirror) each RFC into ``dest``, unmodified.

    ``on_progress(number, message)`` is called once per RFC with ``"local"``, ``"mirror"``
    or ``"failed: <reason>"``. Local copies keep their name (``rfc4271.txt.gz``); downloads are
    saved as ``rfcNNNN.txt``. Writes are atomic: a failed download leaves nothing behind.
    """
    import httpx

    dest = Path(dest)
    report = PullReport()
    seen: set[int] = set()
    wanted = [n for n in numbers if not (n in seen or seen.add(n))]
    try:
        dest.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        for n in wanted:
            report.failed[n] = f"cannot create {dest}: {exc.strerror or exc}"
        return report

    def tell(n: int, msg: str) -> None:
        if on_progress is not None:
            on_progress(n, msg)

    client: httpx.Client | None = None
    try:
        for n in wanted:
            if not isinstance(n, int) or isinstance(n, bool) or n <= 0:
                report.failed[n] = f"not an RFC number: {n!r}"
                tell(n, f"failed: {report.failed[n]}")
                continue
            local = find_local_rfc(n, rfc_dir)
            if local is not None:
                target = dest / local.name
                try:
                    _atomic_copy(local, target)
                except OSError as exc:
                    report.failed[n] = f"cannot copy {local}: {exc.strerror or exc}"
                    tell(n, f"failed: {report.failed[n]}")
                    continue
                # A stale download of the same RFC would be indexed twice.
                (dest / (f"rfc{n}.txt" if target.name.endswith(".gz") else f"rfc{n}.txt.gz")).unlink(missing_ok=True)
                report.fetched[n] = target
                report.from_local.append(n)
                tell(n, "local")
                continue
            if client is None:
                client = httpx.Client(timeout=timeout, follow_redirects=True,
                                      headers={"User-Agent": "netops (kb pull)"})
            reason = _download(client, n, mirror_url, dest / f"rfc{n}.txt")
            if reason:
                report.failed[n] = reason
                tell(n, f"failed: {reason}")
            else:
                report.fetched[n] = dest / f"rfc{n}.txt"
                report.from_mirror.append(n)
                tell(n, "mirror")
    finally:
        if client is not None:
            client.close()
    return report


def _download(client, n: int, mirror_url: str, target: Path) -> str | None:
    """Download one RFC; return a one-line failure reason, or None on success."""
    import httpx

    url = f"{mirror_url.rstrip('/')}/rfc{n}.txt"
    hint = "check NETOPS_KB__RFC_MIRROR_URL and the network, or install doc-rfc-std for local copies"
    try:
        resp = client.get(url)
    except httpx.TimeoutException:
        return f"mirror timed out fetching {url}; {hint}"
    except (httpx.ConnectError, httpx.NetworkError, httpx.ProxyError) as exc:
        return f"mirror unreachable ({type(exc).__name__}: {str(exc) or 'no connection'}) for {url}; {hint}"
    except httpx.HTTPError as exc:
        return f"download of {url} failed ({type(exc).__name__}); {hint}"
    if resp.status_code == 404:
        return f"RFC {n} not found on the mirror (HTTP 404 for {url})"
    if resp.status_code != 200:
        return f"mirror answered HTTP {resp.status_code} for {url}; {hint}"
    body = resp.content
    if not body.strip():
        return f"mirror returned an empty file for {url}"
    ctype = resp.headers.get("content-type", "")
    if "html" in ctype.lower() or body.lstrip()[:1] == b"<":
        return f"mirror returned HTML, not RFC text, for {url}; {hint}"
    try:
        _atomic_write(body, target)
    except OSError as exc:
        return f"cannot write {target}: {exc.strerror or exc}"
    return None


# --------------------------------------------------------------------------------------------
# Packs
# --------------------------------------------------------------------------------------------


def list_packs(knowledge_dir: Path) -> list[Pack]:
    """All pack manifests in ``<knowledge_dir>/packs/``, sorted by name."""
    folder = Path(knowledge_dir) / "packs"
    if not folder.is_dir():
        return []
    return [_read_pack(p) for p in sorted(folder.glob("*.y*ml"))]


def load_pack(name_or_path: str | Path, knowledge_dir: Path) -> Pack:
    """A pack by name (``core`` -> ``<knowledge_dir>/packs/core.yaml``) or by manifest path.

    Raises NotFoundError for an unknown pack and ConfigError for a malformed manifest.
    """
    raw = str(name_or_path)
    candidate = Path(raw).expanduser()
    if raw.endswith((".yaml", ".yml")) or os.sep in raw:
        if not candidate.is_file():
            raise NotFoundError(f"pack manifest {raw} not found", hint="give a pack name or an existing .yaml file")
        return _read_pack(candidate)
    folder = Path(knowledge_dir) / "packs"
    for ext in (".yaml", ".yml"):
        p = folder / f"{raw}{ext}"
        if p.is_file():
            return _read_pack(p)
    names = ", ".join(p.name for p in list_packs(knowledge_dir)) or "none"
    raise NotFoundError(f"no RFC pack named '{raw}'", hint=f"available packs: {names}")


def _read_pack(path: Path) -> Pack:
    import yaml

    hint = "a pack is YAML with name, description and rfcs: [numbers]; see knowledge/README.md"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(f"pack {path} cannot be read: {str(exc).splitlines()[0]}", hint=hint) from exc
    if not isinstance(data, dict):
        raise ConfigError(f"pack {path} is not a YAML mapping", hint=hint)
    rfcs = data.get("rfcs")
    if not isinstance(rfcs, list) or not rfcs:
        raise ConfigError(f"pack {path}: 'rfcs' must be a non-empty list of RFC numbers", hint=hint)
    bad = [r for r in rfcs if not isinstance(r, int) or isinstance(r, bool) or r <= 0]
    if bad:
        raise ConfigError(f"pack {path}: not RFC numbers: {', '.join(map(str, bad))}", hint=hint)
    name = str(data.get("name") or path.stem)
    return Pack(name=name, description=str(data.get("description") or ""),
                rfcs=tuple(dict.fromkeys(rfcs)), path=path)
