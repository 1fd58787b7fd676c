"""The shipped glossary and query expansion rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from netops.errors import NotFoundError
from netops.rag.glossary import acronyms_in, expand_query, load_glossary, parse_glossary

REPO = Path(__file__).resolve().parents[3]
REQUIRED = (
    "RR LSA ABR ASBR DR BDR SPF AS EBGP IBGP MED NLRI AFI SAFI MPLS LDP RSVP-TE SR VRF RD RT EVPN "
    "VXLAN BFD ECMP LACP MTU NOC SLA AMF SMF UPF GNB ENB NR RAN O-RAN O-DU O-CU RIC PDU QOS 5QI "
    "NSSAI S-NSSAI UE IMSI SUPI"
).split()


@pytest.fixture(scope="module")
def shipped():
    return load_glossary(REPO / "knowledge" / "glossary.md")


def test_shipped_glossary_is_complete(shipped):
    assert len(shipped) >= 80
    assert [a for a in REQUIRED if a not in shipped] == []
    assert shipped["RR"] == ["Route Reflector"]
    assert shipped["ABR"] == ["Area Border Router"]
    assert all(key == key.upper() for key in shipped)
    assert all(exp and all(e.strip() for e in exp) for exp in shipped.values())


def test_settings_knowledge_dir_points_at_the_shipped_glossary(settings):
    assert (settings.knowledge_dir / "glossary.md").is_file()


def test_parse_format_notes_and_multiple_expansions():
    g = parse_glossary(
        "# Title\n\nIntro line.\n\n"
        "- **DR**: Designated Router; Disaster Recovery — elected per segment\n"
        "* **eBGP**: External BGP -- between ASes\n"
        "- **DR**: Data Rate\n"
        "- not an entry\n"
    )
    assert g == {"DR": ["Designated Router", "Disaster Recovery", "Data Rate"], "EBGP": ["External BGP"]}


def test_expand_appends_expansions(shipped):
    assert expand_query("why are RR clients missing routes", shipped) == (
        "why are RR clients missing routes (Route Reflector)"
    )
    assert "Bidirectional Forwarding Detection" in expand_query("BFD flapping on core links", shipped)
    assert "External BGP" in expand_query("ebgp multihop", shipped)  # 4 letters: any case
    assert "Virtual eXtensible LAN" in expand_query("vxlan vni", shipped)


def test_short_acronyms_need_capitals(shipped):
    # "as", "As", "dr", "med" are English; only capitalised forms are acronyms.
    assert expand_query("as soon as possible", shipped) == "as soon as possible"
    assert "Autonomous System" not in expand_query("As the link went down", shipped)
    assert "Autonomous System" in expand_query("which AS originates it", shipped)
    assert "next generation NodeB" in expand_query("the gNB restarts", shipped)
    assert "next generation NodeB" not in expand_query("gnb", shipped)
    assert acronyms_in("med school", shipped) == []
    assert acronyms_in("lower the MED", shipped) == ["MED"]


def test_whole_words_only(shipped):
    assert "NSSAI" not in acronyms_in("S-NSSAI mismatch", shipped)
    assert "S-NSSAI" in acronyms_in("S-NSSAI mismatch", shipped)
    assert acronyms_in("ASPATH LDPX", shipped) == []
    assert "RT" not in acronyms_in("near-RT RIC", shipped)


def test_reverse_expansion_and_no_duplicates(shipped):
    out = expand_query("route reflector cluster id", shipped)
    assert out.endswith("(RR)")
    assert expand_query("RR (Route Reflector) design", shipped) == "RR (Route Reflector) design"
    assert expand_query("hello world", shipped) == "hello world"


def test_missing_glossary(tmp_path):
    with pytest.raises(NotFoundError):
        load_glossary(tmp_path / "nope.md")


def test_unicode_case_insensitive_matches_survive_the_ascii_shortcut():
    # re.IGNORECASE matches the long s and the Kelvin sign to s and K; str.lower() does not
    # relate them, so the "absent" shortcut must only apply to ASCII text.
    g = parse_glossary("- **OSPF**: Open Shortest Path First\n- **KEY**: Key Exchange Yard\n")
    assert expand_query("open \u017fhortest path first areas", g) == "open \u017fhortest path first areas (OSPF)"
    assert acronyms_in("which \u212aEY here", g) == ["KEY"]
    assert expand_query("open shortest path first areas", g) == "open shortest path first areas (OSPF)"
    assert acronyms_in("which KEY here", g) == ["KEY"] and acronyms_in("which KEYS here", g) == []
