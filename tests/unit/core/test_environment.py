"""Which netops runs, from where: ``netops --version``, doctor's environment row, shipped data."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from netops import paths
from netops.cli.main import main
from netops.environment import current_environment

REPO = Path(__file__).resolve().parents[3]


def test_environment_names_this_interpreter_and_checkout():
    env = current_environment()
    assert env.executable == Path(sys.executable)
    assert env.python == "%d.%d.%d" % sys.version_info[:3]
    assert env.package_dir == REPO / "netops"
    # Tests run from the checkout: an editable install of it, or PYTHONPATH pointing at it.
    assert env.install in {"editable", "source"}
    assert (env.venv is not None) == (sys.prefix != sys.base_prefix)
    assert env.data_dirs == {"knowledge": REPO / "knowledge", "playbooks": REPO / "playbooks"}
    assert env.missing_data == []
    assert env.version[0].isdigit()


def test_version_flag_says_where_netops_runs_from():
    r = subprocess.run([sys.executable, "-m", "netops", "--version"], capture_output=True, text=True,
                       timeout=60, cwd=REPO)
    assert r.returncode == 0, r.stderr
    line = r.stdout.strip()
    assert line.startswith(f"netops {current_environment().version} (")
    assert f"Python {sys.version_info[0]}.{sys.version_info[1]}." in line
    assert (str(sys.prefix) if sys.prefix != sys.base_prefix else "no venv") in line


def test_doctor_reports_the_environment(capsys):
    code = main(["doctor", "--json"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 0
    assert doc["environment"]["executable"] == sys.executable
    (row,) = [c for c in doc["checks"] if c["name"] == "environment"]
    assert row["ok"] and row["essential"]
    assert sys.executable in row["detail"] or str(sys.prefix) in row["detail"]


def test_shipped_data_falls_back_to_the_package_copy(monkeypatch, tmp_path):
    # An installed wheel: netops/ sits in site-packages, with no pyproject.toml beside it.
    fake_pkg = tmp_path / "site-packages" / "netops"
    (fake_pkg / "data" / "playbooks").mkdir(parents=True)
    (tmp_path / "site-packages" / "playbooks").mkdir()  # someone else's top-level directory
    monkeypatch.setattr(paths, "PACKAGE_DIR", fake_pkg)
    assert paths.source_checkout() is None
    assert paths.shipped_dir("playbooks") == fake_pkg / "data" / "playbooks"


def test_missing_shipped_data_fails_the_essential_check(monkeypatch, tmp_path, settings):
    from netops import doctor, environment

    monkeypatch.setattr(environment, "shipped_dir", lambda name: tmp_path / "absent" / name)
    (row,) = [c for c in doctor.run_checks(settings, [doctor.check_environment]).checks]
    assert not row.ok and row.essential
    assert "knowledge, playbooks" in row.detail and row.fix
