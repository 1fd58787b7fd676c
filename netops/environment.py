"""Where this netops runs from: its version, how it is installed, the interpreter and the venv."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from urllib.parse import unquote, urlparse

from netops.paths import PACKAGE_DIR, SHIPPED, shipped_dir, source_checkout


@dataclass(frozen=True)
class Environment:
    version: str
    install: str
    """``editable`` (pip install -e), ``wheel`` (an installed distribution) or ``source``
    (imported from a checkout that is not installed, e.g. through PYTHONPATH)."""
    package_dir: Path
    python: str
    """The interpreter's version, e.g. ``3.11.2``."""
    executable: Path
    venv: Path | None
    """The virtual environment's directory, or None when netops runs in a base interpreter."""
    base_python: Path
    """The installation the venv was made from (``sys.base_prefix``)."""
    data_dirs: dict[str, Path]

    @property
    def missing_data(self) -> list[str]:
        """Shipped directories that are absent (a wheel built without them)."""
        return [name for name, path in self.data_dirs.items() if not path.is_dir()]

    def describe(self) -> str:
        """One line: ``netops 0.1.0 (editable), Python 3.11.2 in venv /x/.venv``."""
        where = f"in venv {self.venv}" if self.venv else f"at {self.executable} (no venv)"
        return f"netops {self.version} ({self.install}), Python {self.python} {where}"


def _install_kind() -> tuple[str, str]:
    # Several "netops" distributions can be visible (an editable install of another checkout, the
    # egg-info setuptools leaves in a source tree): only the one that points here counts.
    for dist in metadata.distributions(name="netops"):
        direct = json.loads(dist.read_text("direct_url.json") or "{}")
        if direct.get("dir_info", {}).get("editable"):
            target = Path(unquote(urlparse(direct.get("url", "")).path)).resolve()
            if target == PACKAGE_DIR.parent:
                return "editable", dist.version
    if source_checkout() is not None:
        return "source", _checkout_version()
    try:
        return "wheel", metadata.version("netops")
    except metadata.PackageNotFoundError:
        return "source", "0+unknown"


def _checkout_version() -> str:
    repo = source_checkout()
    if repo is None:
        return "0+unknown"
    import tomllib

    with open(repo / "pyproject.toml", "rb") as fh:
        return str(tomllib.load(fh).get("project", {}).get("version", "0+unknown"))


def current_environment() -> Environment:
    """Describe the running netops and its interpreter (cheap: no heavy imports)."""
    install, version = _install_kind()
    in_venv = sys.prefix != sys.base_prefix
    return Environment(
        version=version,
        install=install,
        package_dir=PACKAGE_DIR,
        python="%d.%d.%d" % sys.version_info[:3],
        executable=Path(sys.executable),
        venv=Path(sys.prefix) if in_venv else None,
        base_python=Path(sys.base_prefix),
        data_dirs={name: shipped_dir(name) for name in SHIPPED},
    )
