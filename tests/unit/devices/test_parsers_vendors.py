"""Parsers over formats and versions the earlier sweeps did not hold (helper "vendors").

Each capture is either committed with its source and licence in the platform's fixture README
(``vendors/`` rows) or, where the source gives no licence, hand-written after its format.
Every expected value below was read off the capture by hand.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from netops.devices.parsers import ParseError, arista_eos, cisco_ios, cisco_nxos, cisco_xr

FIX = Path(__file__).resolve().parents[2] / "fixtures" / "devices"


def read(platform: str, name: str) -> str:
    return (FIX / platform / "vendors" / name).read_text()


def test_eos_bgp_disabled_for_lack_of_a_router_id_is_not_running():
    """EOS 4.33 without a router id prints one line; it was read as a BGP with no peers."""
    got = arista_eos.parse_bgp_summary_text(read("arista_eos", "show_ip_bgp_summary_disabled.txt"))
    assert got.neighbors == []
    assert got.note and "not configured or not running" in got.note and "Missing Router ID" in got.note


NOT_BGP = """\
Cisco IOS Software, IOSv Software (VIOS-ADVENTERPRISEK9-M), Version 15.6(2)T, RELEASE SOFTWARE (fc2)
ROM: Bootstrap program is IOSv
r1 uptime is 1 hour, 2 minutes
"""


@pytest.mark.parametrize("parse", [
    cisco_ios.parse_bgp_summary, cisco_nxos.parse_bgp_summary_text, arista_eos.parse_bgp_summary_text,
    cisco_xr.parse_bgp_summary,
], ids=["ios", "nxos", "eos", "xr"])
def test_text_that_is_not_a_bgp_summary_is_a_parse_error_not_an_empty_table(parse):
    with pytest.raises(ParseError, match="not recognised"):
        parse(NOT_BGP)
