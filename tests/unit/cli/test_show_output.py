"""`netops show` prints device output as the device printed it: no frame, no re-wrapping.

Piped, one host's output is bare (so `> r1.cfg` saves just the config) and several hosts'
lines carry a `host: ` prefix (so `| grep` says which router); on a terminal each host gets
a header line. Over the FRR simulator as the SSH transport.
"""

from __future__ import annotations

import pytest

from netops.cli.main import main
from tests.unit.playbook.conftest import pb_dir, pb_settings, sim  # noqa: F401

FRAME = set("╭╮╰╯│─")


@pytest.fixture
def cli(pb_settings, sim, monkeypatch):  # noqa: F811
    from netops.devices import transport

    monkeypatch.setattr(transport, "ssh_transport", sim)
    monkeypatch.setenv("NETOPS_INVENTORY", str(pb_settings.inventory))
    monkeypatch.setenv("COLUMNS", "30")  # narrower than the device's lines: nothing may re-wrap them
    return sim


def test_piped_single_host_is_exactly_the_device_output(cli, capsys):
    expected = cli.routers["r1"].running()
    assert main(["show", "r1", "show running-config"]) == 0
    out = capsys.readouterr().out
    assert not FRAME & set(out)
    assert out.rstrip("\n").splitlines() == expected.rstrip("\n").splitlines()


def test_piped_several_hosts_prefix_every_line_with_the_host(cli, capsys):
    assert main(["show", "r1,r2", "show running-config"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines and all(line.startswith(("r1: ", "r2: ")) or line in ("r1:", "r2:") for line in lines)
    for host in ("r1", "r2"):
        mine = [line[len(host) + 2:] for line in lines if line.startswith(host + ":")]
        assert mine == cli.routers[host].running().rstrip("\n").splitlines()


def test_on_a_terminal_each_host_gets_a_header_and_no_frame(cli, capsys, monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    assert main(["show", "r1,r2", "show running-config"]) == 0
    out = capsys.readouterr().out
    assert "r1: show running-config" in out and "r2: show running-config" in out
    assert not {"╭", "│", "╰"} & set(out)
    body = cli.routers["r1"].running().splitlines()
    longest = max(body, key=len)
    assert len(longest) > 30 and longest in out  # not cut at the 30 columns


@pytest.mark.parametrize("value", ["-1", "0"])
def test_a_timeout_that_is_not_positive_is_bad_input(capsys, value):
    """'show r1 CMD --timeout -1' sent the command and reported 'did not finish within -1s'
    (exit 1); '--timeout 0' silently meant the default. Both are bad input, exit 2, nothing sent."""
    assert main(["show", "r1", "show version", "--timeout", value]) == 2
    assert "--timeout" in capsys.readouterr().err


def test_a_device_error_exits_non_zero_with_the_devices_text_on_stderr(cli, capsys):
    """trial32: `netops show r1 "show bgp sumary"` printed FRR's "% Unknown command: ..." and exited
    0, so a script took the error for output. The device's text goes to stderr, as it printed it;
    stdout gets nothing; the exit status is 1 (7 when other hosts answered)."""
    assert main(["show", "r1", "show bgp sumary"]) == 1
    got = capsys.readouterr()
    assert got.out == "" and got.err.strip() == "% Unknown command: show bgp sumary"
    assert main(["show", "r1", "show running-config"]) == 0  # output stays output


def test_json_says_which_devices_answered_with_an_error(cli, capsys):
    import json

    assert main(["show", "r1,r2", "show bgp sumary", "--json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["device_errors"] == {"r1": "% Unknown command: show bgp sumary",
                                    "r2": "% Unknown command: show bgp sumary"}
    assert doc["results"]["r1"]["device_error"] == "% Unknown command: show bgp sumary"
    assert doc["results"]["r1"]["output"].strip() == "% Unknown command: show bgp sumary"  # kept


def test_one_device_error_among_answers_is_a_partial_failure(cli, capsys, monkeypatch):
    from netops.cli._common import EXIT_PARTIAL

    real = cli.routers["r2"].show
    monkeypatch.setattr(cli.routers["r2"], "show", lambda c: "bgpd is not running" if "bgp" in c else real(c))
    assert main(["show", "r1,r2", "show bgp summary json"]) == EXIT_PARTIAL
    got = capsys.readouterr()
    assert got.err.strip() == "r2: bgpd is not running" and got.out.startswith("r1: ")


def test_a_plugin_parser_that_raises_is_said_and_the_raw_output_still_shown(cli, capsys, tmp_path, monkeypatch):
    """tail33: a plugin parser that raised gave `data: null` and not a word: `netops show` (and its
    `--json`) now says which plugin's parser failed and why (redacted), and the output is shown."""
    import json

    from netops import plugins
    from tests.unit.core.test_plugins import _install_dist

    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.syspath_prepend(str(site))
    _install_dist(site, "broken-config-parser", "good_broken_parser", source="""
        from netops.hookspecs import hookimpl
        from netops.devices.parser_registry import Parser

        def config(text):
            raise ValueError("cannot read line 3:\\nusername admin password s3cr3tpw")

        @hookimpl
        def register_parsers(register):
            register(Parser(platform="frr", command=r"show running-config", parse=config, name="config-lines"))
    """)
    plugins.reset()
    try:
        expected = cli.routers["r1"].running()
        assert main(["show", "r1", "show running-config"]) == 0  # the read worked
        got = capsys.readouterr()
        assert got.out.rstrip("\n").splitlines() == expected.rstrip("\n").splitlines()
        (line,) = got.err.strip().splitlines()
        assert line.startswith("r1: warning: parser 'config-lines' (of plugin 'broken-config-parser') failed on "
                               "'show running-config': "), line
        assert "ValueError: cannot read line 3: username admin password <redacted>" in line, line
        assert "s3cr3tpw" not in got.err and line.endswith("the raw output is shown")

        assert main(["show", "r1", "show running-config", "--json"]) == 0
        got = capsys.readouterr()
        doc = json.loads(got.out)
        r1 = doc["results"]["r1"]
        assert r1["data"] is None and r1["output"].rstrip("\n") == expected.rstrip("\n")
        assert doc["parse_errors"]["r1"] == r1["parse_error"] and "'config-lines'" in r1["parse_error"]
        assert "s3cr3tpw" not in got.out + got.err and "r1: warning: parser 'config-lines'" in got.err
    finally:
        plugins.reset()
        import sys

        sys.modules.pop("good_broken_parser", None)


def test_a_device_without_bgp_is_no_error_beside_one_whose_bgpd_is_down(cli, capsys, monkeypatch):
    """review33/vendors34: `netops show all "show bgp summary"` exited 7 where some devices simply
    run no BGP ("% BGP instance not found": FRR with bgpd running and no `router bgp`). That is the
    device's answer, not a failure: exit 0, its text on stdout. A device whose bgpd is down while its
    inventory gives it an AS number stays a device error (the `bgp` getter's rule)."""
    import json

    real1, real2 = cli.routers["r1"].show, cli.routers["r2"].show
    bare = "frr version 8.4.4\nhostname r1\n!\ninterface eth0\n ip address 198.51.100.1/30\nexit\n!\nend\n"
    monkeypatch.setattr(cli.routers["r1"], "show", lambda c: "% BGP instance not found" if "bgp" in c
                        else bare if c == "show running-config" else real1(c))
    assert main(["show", "r1,r2", "show bgp summary json"]) == 0
    got = capsys.readouterr()
    assert "r1: % BGP instance not found" in got.out and not got.err.strip()

    monkeypatch.setattr(cli.routers["r2"], "show", lambda c: "bgpd is not running" if "bgp" in c else real2(c))
    assert main(["show", "r1,r2", "show bgp summary json", "--json"]) == 7
    doc = json.loads(capsys.readouterr().out)
    assert list(doc["device_errors"]) == ["r2"] and doc["results"]["r1"]["device_error"] is None
    assert doc["device_errors"]["r2"].startswith("BGP should run on this device")
    assert "bgpd is not running" in doc["device_errors"]["r2"]
