"""The shared TextFSM/ntc-templates wrapper: its error guard, and the fields netops reads
checked against the installed ntc-templates (what the floor in pyproject.toml rests on)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from netops.devices.parsers import ParseError
from netops.devices.parsers._textfsm import FIELDS, device_error, ntc, template


def _template_fields(platform: str, command: str) -> set[str]:
    from ntc_templates.parse import _get_template_dir
    from textfsm import clitable

    table = clitable.CliTable("index", _get_template_dir())
    row = table.index.GetRowMatch({"Platform": platform, "Command": command})
    assert row, f"ntc-templates has no template for {platform} {command!r}"
    names = table.index.index[row]["Template"].split(":")
    fields: set[str] = set()
    for name in names:
        text = (Path(_get_template_dir()) / name).read_text()
        fields |= {m.group(1).lower() for m in re.finditer(r"^Value\s+(?:[\w,]+\s+)?(\w+)\s+\(", text, re.M)}
    return fields


@pytest.mark.parametrize("platform, command", sorted(FIELDS))
def test_installed_ntc_templates_has_every_field_we_read(platform, command):
    missing = FIELDS[(platform, command)] - _template_fields(platform, command)
    assert not missing, f"ntc-templates {platform} {command!r} lacks {sorted(missing)}"


def test_pyproject_floor_is_the_release_that_has_those_fields():
    pyproject = (Path(__file__).resolve().parents[3] / "pyproject.toml").read_text()
    assert re.search(r'"ntc-templates>=5(\.\d+)*,?', pyproject), "ntc-templates floor must be >= 5"


@pytest.mark.parametrize("text", [
    "% Invalid input detected at '^' marker.\n", "\nerror: syntax error, expecting <command>: json\n",
    "                 ^\n% Invalid input detected at '^' marker.\n", "Cmd exec error.\n",
])
def test_device_errors_are_recognised_and_become_parse_errors(text):
    assert device_error(text)
    with pytest.raises(ParseError, match="failed on the device"):
        ntc("cisco_ios", "show version", text)


def test_ordinary_output_is_not_an_error():
    assert device_error("Neighbor ID     Pri   State   Dead Time   Address   Interface\n") is None
    assert device_error("") is None


def test_textfsm_failures_and_missing_fields_are_parse_errors():
    with pytest.raises(ParseError, match="cannot parse"):
        template("no_such_template.textfsm", "x")
    rows = template("cisco_ios_show_ip_route_lookup.textfsm",
                    'Routing entry for 10.0.0.0/8\n  Known via "static", distance 1, metric 0\n')
    with pytest.raises(ParseError, match="no field 'nope'"):
        rows[0]["nope"]
