"""Make a plugin visible to netops in a test without pip: write a ``.dist-info`` with its entry
point into a directory on ``sys.path``. netops then finds it through importlib.metadata, the
same way it finds an installed plugin.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path


def write_dist_info(site: Path, dist: str, entry_point: str, target: str, version: str = "0.1") -> Path:
    """``site/<dist>-<version>.dist-info`` declaring ``[netops] entry_point = target``."""
    info = Path(site) / f"{dist.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True, exist_ok=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(f"[netops]\n{entry_point} = {target}\n", encoding="utf-8")
    return info


def install_copy(source: Path, site: Path, dist: str, entry_point: str, target: str, version: str = "0.1") -> Path:
    """Copy a plugin's source tree into ``site`` and declare its entry point; returns the copy.

    The caller puts ``site`` on ``sys.path`` (``monkeypatch.syspath_prepend``) and calls
    :func:`netops.plugins.reset`; :func:`forget` drops the imported modules afterwards."""
    site = Path(site)
    site.mkdir(parents=True, exist_ok=True)
    module = target.split(".")[0].split(":")[0]
    copy = site / module
    shutil.copytree(Path(source) / module, copy)
    write_dist_info(site, dist, entry_point, target, version)
    return copy


def forget(*prefixes: str) -> None:
    """Remove modules starting with any of ``prefixes`` from ``sys.modules``."""
    for name in [m for m in sys.modules if m.startswith(prefixes)]:
        del sys.modules[name]
