"""A host without ``hostname`` would silently go to DNS: ``devices list`` and ``doctor`` say so."""

from __future__ import annotations

import json

from netops.cli.main import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_host_without_hostname_is_a_warning_in_devices_list_and_doctor(settings, tmp_path, monkeypatch, capsys):
    inv = tmp_path / "inventory.yaml"
    inv.write_text("hosts:\n  edge1: {platform: frr}\n  r2: {hostname: 127.0.0.1, platform: frr}\n")
    monkeypatch.setenv("NETOPS_INVENTORY", str(inv))
    code, out, err = run(capsys, "devices", "list", "--json")
    assert code == 0
    warnings = json.loads(out)["warnings"]
    assert len(warnings) == 1 and "'edge1' has no hostname" in warnings[0] and "DNS" in warnings[0]
    code, out, err = run(capsys, "devices", "list")
    assert "edge1" in err and "no hostname" in err
    code, out, err = run(capsys, "doctor", "--json")
    checks = {c["name"]: c for c in json.loads(out)["checks"]}
    assert checks["host addresses"]["ok"] is False and "edge1" in checks["host addresses"]["detail"]
