""""show me the bgp config on r2": the configuration getter, narrowed to what the question
names (whole blocks whose header names it; elsewhere only the lines that name it, under their
headers), on real captures from several platforms."""

from __future__ import annotations

from pathlib import Path

import pytest

from netops.agent.router import route
from netops.devices.config_sections import config_section

FX = Path(__file__).parents[2] / "fixtures" / "devices"
HOSTS = ["r1", "r2", "r3"]


@pytest.mark.parametrize("question, section", [
    ("show me the bgp config on r2", "bgp"),
    ("r1 ospf configuration", "ospf"),
    ("what's in r3's running-config for interfaces?", "interface"),
    ("show me r1's config", None),
])
def test_config_questions_route_to_the_config_getter_with_their_section(question, section):
    r = route(question, HOSTS)
    assert (r.kind, r.args.get("getter")) == ("tool", "config"), r
    assert r.args.get("_section") == section


def test_frr_bgp_section_is_the_router_bgp_block():
    text = (FX / "frr/r1/show_running_config.txt").read_text()
    out = config_section(text, "bgp")
    lines = out.splitlines()
    assert lines[0] == "router bgp 65001"
    assert " neighbor 198.51.100.2 remote-as 65002" in lines and "  network 203.0.113.1/32" in lines
    assert not any(ln.startswith(("interface", "router ospf", "hostname")) for ln in lines)


def test_a_kept_block_keeps_its_closing_exit():
    """FRR closes each block with 'exit' at the block's own indentation: the section reads as
    configuration that could be pasted back."""
    text = (FX / "frr/r1/show_running_config.txt").read_text()
    lines = config_section(text, "bgp").splitlines()
    assert lines[-1] == "exit" and lines.count("exit") == 1
    assert " exit-address-family" in lines
    sros = "    router Base\n        bgp\n            group ebgp\n            exit\n        exit\n        ospf\n" \
           "        exit\n    exit\n"
    assert config_section(sros, "bgp").splitlines() == [
        "    router Base", "        bgp", "            group ebgp", "            exit", "        exit", "    exit"]


def test_frr_ospf_section_keeps_interface_ospf_lines_under_their_interface():
    text = (FX / "frr/r1/show_running_config.txt").read_text()
    lines = config_section(text, "ospf").splitlines()
    assert "router ospf" in lines and " network 198.51.100.0/30 area 0" in lines
    i = lines.index("interface eth-r2")
    assert lines[i + 1].strip().startswith("ip ospf")        # the interface's OSPF lines follow it
    assert " ip address 198.51.100.1/30" not in lines        # but not its other lines
    assert " description link to r2 (198.51.100.0/30)" not in lines


def test_eos_bgp_block_with_deeper_indentation():
    text = (FX / "arista_eos/leaf1/show_running_config.txt").read_text()
    lines = config_section(text, "bgp").splitlines()
    assert lines[0].startswith("router bgp 65101")
    assert "   neighbor 10.0.1.0 remote-as 65000" in lines


def test_junos_braces_keep_the_ancestors_of_a_nested_bgp_stanza():
    text = "system {\n    host-name pe1;\n}\nprotocols {\n    ospf {\n        area 0.0.0.0;\n    }\n" \
           "    bgp {\n        group ibgp {\n            neighbor 10.0.0.2;\n        }\n    }\n}\n"
    out = config_section(text, "bgp")
    assert out.splitlines() == ["protocols {", "    bgp {", "        group ibgp {",
                                "            neighbor 10.0.0.2;", "        }", "    }", "}"]


def test_nothing_named_gives_none():
    assert config_section("hostname r1\n!\ninterface lo\n ip address 10.0.0.1/32\n", "bgp") is None


def test_offline_answer_shows_only_the_section():
    from netops.agent.offline import _summarise
    from netops.devices.models import RunningConfig

    text = (FX / "frr/r1/show_running_config.txt").read_text()
    body = _summarise("config", RunningConfig(text=text), {"_section": "bgp"})
    assert "router bgp 65001" in body and "router ospf" not in body and "hostname r1" not in body
    body = _summarise("config", RunningConfig(text=text), {"_section": "isis"})
    assert "no isis lines" in body and "hostname r1" not in body


@pytest.mark.parametrize("question, section", [
    ("what's the ospf cost on r1's interfaces?", "ospf"),
    ("what is the bgp hold time configured on r2?", "bgp"),
    ("which bgp timers does r3 use?", "bgp"),
    ("what ospf hello interval does r2 use", "ospf"),
])
def test_a_configured_value_is_read_from_the_config_section(question, section):
    r = route(question, HOSTS)
    assert (r.kind, r.args.get("getter"), r.args.get("_section")) == ("tool", "config", section), r


@pytest.mark.parametrize("question, getter", [
    ("is ospf up between r1 and r2?", "ospf_neighbors"),
    ("which interfaces are down on r3?", "interfaces"),
    ("show me the bgp neighbors on r1", "bgp_neighbors"),
    ("how long has the bgp session on r2 been up", "bgp_neighbors"),
])
def test_state_questions_keep_their_getter(question, getter):
    assert route(question, HOSTS).args.get("getter") == getter


def test_offline_question_about_a_value_a_playbook_changes_reads_the_value(make_assistant, change_settings):
    """'what's the ospf cost on r1's interfaces?' names the ospf-cost playbook's object, but it asks
    what the cost IS: the answer is r1's configured OSPF lines, not the playbook's description."""
    a = make_assistant(change_settings, approver=None)
    answer = a.ask("what's the ospf cost on r1's interfaces?", offline=True)
    assert "ip ospf cost" in answer.text and "router ospf" in answer.text, answer.text
    assert "hostname" not in answer.text
    assert [c.tool for c in answer.tool_calls] == ["get_state"]


@pytest.fixture
def change_settings(agent_settings, vetted_playbooks):
    return agent_settings.model_copy(update={"playbooks_dir": vetted_playbooks})


@pytest.mark.parametrize("question, names, section", [
    ("show the interface eth-r3 config on r2", ["eth-r3"], "interface"),
    ("ospf config of r1 eth-r2", ["eth-r2"], "ospf"),
    ("show run int Gi0/0/1 on r1", ["Gi0/0/1"], None),
])
def test_a_config_question_naming_an_interface_carries_it(question, names, section):
    r = route(question, HOSTS)
    assert (r.args.get("getter"), r.args.get("_interfaces"), r.args.get("_section")) == ("config", names, section), r


def test_offline_answer_shows_only_the_named_interface():
    """'show the interface eth-r3 config on r2' is that interface's block, not every interface's
    (nor the whole configuration); with 'ospf' also named, that block's OSPF lines."""
    from netops.agent.offline import _summarise
    from netops.devices.models import RunningConfig

    cfg = RunningConfig(text=(FX / "frr/r1/show_running_config.txt").read_text())
    body = _summarise("config", cfg, {"_section": "interface", "_interfaces": ["eth-r2"]})
    assert "interface eth-r2" in body and " ip address 198.51.100.1/30" in body, body
    assert "interface eth-r3" not in body and "hostname r1" not in body and "router bgp" not in body
    body = _summarise("config", cfg, {"_section": "ospf", "_interfaces": ["eth-r2"]})
    assert "interface eth-r2" in body and "ip ospf cost" in body and "ip address" not in body, body
    assert "no eth-r9 lines" in _summarise("config", cfg, {"_section": None, "_interfaces": ["eth-r9"]})


def test_an_abbreviated_interface_name_finds_its_block():
    from netops.devices.config_sections import interface_section

    text = ("hostname pe1\n!\ninterface GigabitEthernet0/0/1\n description core\n ip address 10.0.0.1 255.255.255.252\n"
            "!\ninterface GigabitEthernet0/0/10\n shutdown\n!\nrouter ospf 1\n passive-interface GigabitEthernet0/0/1\n!\n")
    lines = interface_section(text, "Gi0/0/1").splitlines()
    assert lines[:3] == ["interface GigabitEthernet0/0/1", " description core", " ip address 10.0.0.1 255.255.255.252"]
    assert "router ospf 1" in lines and " passive-interface GigabitEthernet0/0/1" in lines
    assert "interface GigabitEthernet0/0/10" not in lines and " shutdown" not in lines
    assert interface_section(text, "Gi0/0/2") is None


@pytest.mark.parametrize("question, kind", [
    ("what is the OSPF dead interval default?", "spec"), ("what is the default bgp hold time?", "spec"),
    ("recommended ospf hello interval?", "spec"),
    ("are any routers missing the default route?", "tool"), ("which routers have a default route?", "tool"),
    ("what is the ospf hello interval on r1?", "tool"),
])
def test_a_default_value_is_asked_of_the_documents_not_every_device(question, kind):
    """'what is the OSPF dead interval default?' read every router's OSPF config (a configured value,
    device named none); the protocol's default is the specification's. The default route stays a read."""
    assert route(question, HOSTS).kind == kind


def test_a_description_naming_another_interface_is_not_that_interface():
    """Review: Gi0/0/0's 'description uplink to r2 Gi0/0/1' made the answer for Gi0/0/1 the Gi0/0/0
    block; the subinterface Gi0/0/1.100 is another interface."""
    from netops.devices.config_sections import interface_section

    text = ("interface GigabitEthernet0/0/0\n description uplink to r2 Gi0/0/1\n ip address 10.0.0.5 255.255.255.252\n!\n"
            "interface GigabitEthernet0/0/1\n ip address 10.0.0.1 255.255.255.252\n!\n"
            "interface GigabitEthernet0/0/1.100\n encapsulation dot1Q 100\n!\n"
            "router ospf 1\n passive-interface GigabitEthernet0/0/1\n!\n")
    for asked in ("Gi0/0/1", "GigabitEthernet0/0/1"):
        lines = interface_section(text, asked).splitlines()
        assert lines[:2] == ["interface GigabitEthernet0/0/1", " ip address 10.0.0.1 255.255.255.252"], lines
        assert " passive-interface GigabitEthernet0/0/1" in lines
        assert "interface GigabitEthernet0/0/0" not in lines and "interface GigabitEthernet0/0/1.100" not in lines


@pytest.mark.parametrize("question, host, names", [
    ("how is lo configured on r3?", "r3", ["lo"]), ("what's configured on r3's eth-r2", "r3", ["eth-r2"]),
    ("show configuration interfaces lo on r2", "r2", ["lo"]), ("show run int lo r1", "r1", ["lo"]),
    ("is bgp configured on r1?", "r1", []),
])
def test_configured_and_the_bare_loopback_name(question, host, names):
    """'configured' asks for the configuration, and FRR/Linux's loopback is 'lo' (no digit): these
    were 'no known intent' or every interface's lines (helper trial16)."""
    r = route(question, HOSTS)
    assert (r.kind, r.args.get("getter"), r.args.get("hosts"), r.args.get("_interfaces") or []) == \
        ("tool", "config", [host], names), r


@pytest.mark.parametrize("question", ["and eth-r3?", "what about eth-r3", "same for eth-r3"])
def test_a_follow_up_naming_another_interface_reads_its_section(question):
    """'and eth-r3?' after 'show the config of eth-r2 on r1' was 'no known intent' (helper trial16)."""
    from netops.agent.router import followup

    r = route(followup(question, "show the config of eth-r2 on r1", HOSTS), HOSTS)
    assert (r.args.get("getter"), r.args.get("hosts"), r.args.get("_interfaces")) == ("config", ["r1"], ["eth-r3"]), r


def test_the_loopback_section_alone():
    from netops.devices.config_sections import interface_section

    lines = interface_section((FX / "frr/r3/show_running_config.txt").read_text(), "lo").splitlines()
    assert lines[0] == "interface lo" and " ip address 203.0.113.3/32" in lines, lines
    assert not any(ln.startswith("interface eth") or "router bgp" in ln for ln in lines), lines
