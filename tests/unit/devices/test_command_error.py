"""A device that answers a command with an error instead of output, told apart per platform
(:func:`netops.devices.parsers.command_error`), over the real captured replies in the fixtures:
every error reply is found, and no real output is taken for one."""

from __future__ import annotations

from pathlib import Path

import pytest

from netops.devices.parsers import command_error

ROOT = Path(__file__).resolve().parents[2] / "fixtures" / "devices"

ERRORS = {
    ("arista_eos", "leaf-old/show_ip_bgp_summary_vrf_all_json.txt"): "% This is an unconverted command",
    ("arista_eos", "leaf-old/show_ip_ospf_neighbor_json.txt"): "% This is an unconverted command",
    ("cisco_nxos", "leaf/show_bgp_all_summary_vrf_all_json.txt"): "% Invalid command at '^' marker.",
    ("cisco_nxos", "text6/show_ip_interface_vrf_all_json.txt"): "% Invalid command at '^' marker.",
    ("cisco_nxos", "text6/show_ipv6_interface_vrf_all_json.txt"): "% Invalid command at '^' marker.",
    ("cisco_xr", "instances/show_bgp_all_all_summary.txt"): "% BGP instance 'default' not active",
    ("juniper_junos", "pe-old/show_ospf_neighbor_display_json.txt"): "syntax error, expecting <command>.",
    ("juniper_junos", "pe-old/show_ospf_neighbor_instance_all_display_json.txt"): "syntax error, expecting <command>.",
    ("juniper_junos", "vmx-r1/show_ospf_neighbor_display_json.txt"): "OSPF instance is not running",
    ("juniper_junos", "vqfx-bor01/show_ospf_neighbor_display_json.txt"): "OSPF instance is not running",
    ("nokia_sros", "pe2/admin_display_config.txt"): "MINOR: MGMT_CORE #2201: Unknown element",
    ("nokia_sros", "pe2/show_router_bgp_summary_all.txt"):
        "MINOR: CLI #2005: Error while processing command - BGP is not configured",
    ("nokia_sros", "peer-routes/bf_sros_services_p1_show_router_bgp_routes.txt"):
        "MINOR: CLI #2005: Error while processing command - BGP is not configured",
    ("cisco_ios", "sw1/show_ip_route_192_168_77_1.txt"): "% Network not in table",
    ("cisco_nxos", "leaf/show_bgp_all_summary_vrf_all.txt"): "% Invalid command at '^' marker.",
    ("cisco_nxos", "text6/show_interface_json.txt"): "% Invalid command at '^' marker.",
    ("cisco_xr", "noproto/show_bgp_all_all_summary.txt"): "% BGP instance 'default' not active",  # under its timestamp
    ("cisco_xr", "noproto/show_route_ipv4_10_30_1_1.txt"): "% Network not in table",
    ("frr", "batfish/area0_show_ip_bgp_vrf_all_json.txt"): "bgpd is not running",
    ("frr", "noproto/show_bgp_summary.txt"): "% BGP instance not found",
    ("frr", "noproto/show_ip_ospf_neighbor.txt"): "% OSPF is not enabled in vrf default",
    ("juniper_junos", "pe-old/show_bgp_summary_display_json.txt"): "syntax error, expecting <command>.",
    ("nokia_sros", "pe2/show_chassis.txt"): "MINOR: CLI #2005: Command not allowed for this user.",
    ("nokia_sros", "pe2/show_router_bgp_summary.txt"):
        "MINOR: CLI #2005: Error while processing command - BGP is not configured",
}


@pytest.mark.parametrize(("platform", "name"), sorted(ERRORS))
def test_captured_error_replies_are_errors(platform, name):
    assert command_error(platform, (ROOT / platform / name).read_text()) == ERRORS[(platform, name)]


def _outputs():
    for platform_dir in sorted(p for p in ROOT.iterdir() if p.is_dir()):
        for f in sorted(platform_dir.rglob("*.txt")):
            name = str(f.relative_to(platform_dir))
            if (platform_dir.name, name) not in ERRORS:
                yield platform_dir.name, name


def test_no_captured_output_is_taken_for_an_error():
    """Every other captured reply (tables, JSON, configurations, VRP's 'Info: ... not configured')
    is output: a false error would fail a script's good read."""
    flagged = {}
    for platform, name in _outputs():
        text = (ROOT / platform / name).read_text(errors="replace")
        said = command_error(platform, text)
        if said:
            flagged[f"{platform}/{name}"] = said
    assert not flagged, flagged


@pytest.mark.parametrize(("platform", "text", "said"), [
    ("frr", "% Unknown command: show bgp sumary\n", "% Unknown command: show bgp sumary"),
    ("frr", "% BGP is not running\n", "% BGP is not running"),
    ("frr", "Exiting: failed to connect to any daemons.\n", "Exiting: failed to connect to any daemons."),
    ("cisco_ios", "       ^\n% Invalid input detected at '^' marker.\n",
     "% Invalid input detected at '^' marker."),
    ("cisco_ios", "% BGP not active\n", "% BGP not active"),
    ("juniper_junos", "BGP is not running\n", "BGP is not running"),
    ("juniper_junos", "                  ^\nsyntax error, expecting <command>.\n", "syntax error, expecting <command>."),
    ("huawei_vrp", "                   ^\nError: Unrecognized command found at '^' position.\n",
     "Error: Unrecognized command found at '^' position."),
    ("cisco_xr", "Thu Dec  4 10:00:00.000 UTC\n% Invalid input detected at '^' marker.\n",
     "% Invalid input detected at '^' marker."),
    ("nokia_sros", "Error: Bad command.\n", "Error: Bad command."),
])
def test_error_shapes(platform, text, said):
    assert command_error(platform, text) == said


@pytest.mark.parametrize(("platform", "text"), [
    ("cisco_ios", "%BGP-5-ADJCHANGE: neighbor 10.0.0.2 Up\n%LINK-3-UPDOWN: Interface Gi0/1, changed state to up\n"),
    ("frr", "{}\n"),
    ("frr", ""),
    ("huawei_vrp", "Info: OSPF is not configured.\n"),
    ("cisco_ios", "Gateway of last resort is not set\n"),
])
def test_output_is_not_an_error(platform, text):
    assert command_error(platform, text) is None
