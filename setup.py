"""Build hook: a wheel carries the repository's ``knowledge/`` and ``playbooks/`` as ``netops/data/``.

Everything else is declared in pyproject.toml. An editable install reads both directories from the
checkout instead (see ``netops.paths.shipped_dir``).
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SHIPPED = ("knowledge", "playbooks")


class BuildPyWithData(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        here = Path(__file__).resolve().parent
        for name in SHIPPED:
            dest = Path(self.build_lib, "netops", "data", name)
            if dest.exists():
                shutil.rmtree(dest)
            shutil.copytree(here / name, dest, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


setup(cmdclass={"build_py": BuildPyWithData})
