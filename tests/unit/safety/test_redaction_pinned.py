"""Redaction pinned exactly: platform rules (not every rule), secret fields and their metadata,
free text kept, JSON kept JSON (also when it does not parse)."""

from __future__ import annotations

import json

import pytest
from pydantic import BaseModel

from netops.devices.redact import (REDACTED, redact, redact_data, redact_diff, redact_lines, redact_output,
                                   rules_for)

JUNOS_ONLY = "community public-x"  # an SNMP community on Junos; any other text elsewhere


def test_platform_rules_are_the_platforms_not_every_rule():
    assert redact(JUNOS_ONLY, "frr") == JUNOS_ONLY
    assert redact(JUNOS_ONLY, "juniper_junos") == "community <redacted>"
    assert redact(JUNOS_ONLY) == "community <redacted>"  # no platform: every rule
    assert rules_for("frr") != rules_for(None) and rules_for("nope") == rules_for(None)
    assert rules_for("") == rules_for(None)
    assert redact_lines([JUNOS_ONLY, "enable secret 5 abc"], "frr") == [JUNOS_ONLY, "enable secret 5 <redacted>"]
    assert redact_lines([JUNOS_ONLY], "juniper_junos") == ["community <redacted>"]
    assert redact_lines(["", "x"], "frr") == ["", "x"]


class Cfg(BaseModel):
    text: str


def test_structural_redaction_uses_the_platform_rules_everywhere():
    data = {JUNOS_ONLY: [JUNOS_ONLY, (JUNOS_ONLY,)], "m": Cfg(text=JUNOS_ONLY), 1: JUNOS_ONLY}
    assert redact_data(data, "frr") == data
    out = redact_data(data, "juniper_junos")
    red = "community <redacted>"
    assert out == {red: [red, (red,)], "m": Cfg(text=red), 1: red}
    assert redact_data(Cfg(text=JUNOS_ONLY), "frr") == Cfg(text=JUNOS_ONLY)
    assert redact_output(JUNOS_ONLY, "frr") == JUNOS_ONLY
    assert redact_output(json.dumps({"x": JUNOS_ONLY}), "frr") == json.dumps({"x": JUNOS_ONLY})
    assert redact_output('{"x": "community public-x"} trailing', "frr") == '{"x": "community public-x"} trailing'
    assert redact_output('{"x": "community public-x"} trailing', "juniper_junos") == \
        '{"x": "community <redacted>"} trailing'


def test_a_model_class_in_the_data_is_kept_and_an_instance_redacted():
    """A pydantic class (not an instance) has ``model_dump`` but is not data: kept as it is."""
    data = {"schema": Cfg, "rows": [Cfg, Cfg(text="enable secret 5 abc")], "n": 3}
    out = redact_data(data, "frr")
    assert out["schema"] is Cfg and out["rows"][0] is Cfg and out["n"] == 3
    assert type(out["rows"][1]) is Cfg and out["rows"][1].text == "enable secret 5 <redacted>"


@pytest.mark.parametrize("key", ["password", "Password", "pre-shared-key", "authentication-key", "md5_key",
                                 "keyString", "snmpCommunityString", "key", "wpa-passphrase", "secret"])
def test_secret_fields_are_wiped(key):
    assert redact_data({key: "s3"}) == {key: REDACTED}
    assert redact_data({key: [{"data": "s3"}, "t", ""]}) == {key: [{"data": REDACTED}, REDACTED, ""]}
    assert redact_data({key: ""}) == {key: ""}
    assert redact_data({key: 7}) == {key: 7}


@pytest.mark.parametrize("key", ["passwordRequired", "password-set", "passwordConfigured", "passwordType",
                                 "passwordEncryption", "keyId", "keyLen", "keyLength", "", "-"])
def test_metadata_about_a_secret_is_kept(key):
    assert redact_data({key: "abc"}) == {key: "abc"}


def test_community_is_a_secret_only_under_snmp():
    assert redact_data({"snmp": {"community": "pub"}}) == {"snmp": {"community": REDACTED}}
    assert redact_data({"snmpCommunities": [{"communityName": "pub"}]}) == {"snmpCommunities": [{"communityName": REDACTED}]}
    assert redact_data({"bgp": {"community": "65000:1"}}) == {"bgp": {"community": "65000:1"}}
    # the SNMP context carries through tuples as through lists
    assert redact_data({"snmp": ({"community": "pub"}, [{"community": "pub"}])}) == {
        "snmp": ({"community": REDACTED}, [{"community": REDACTED}])}


def test_free_text_fields_are_kept_byte_for_byte():
    text = "enable secret 5 abc"
    for key in ("description", "ifDescription", "portDescription", "alias", "remark"):
        assert redact_data({key: text}) == {key: text}, key
    assert redact_data({"note": text}) == {"note": "enable secret 5 <redacted>"}


def test_a_secret_on_a_later_line_is_cut_out_exactly():
    text = "hostname r1\nenable secret 5 abc\nline vty 0 4"
    assert redact(text, "cisco_ios") == "hostname r1\nenable secret 5 <redacted>\nline vty 0 4"
    assert redact(None) is None and redact("") == ""


def test_json_output_redacted_stays_json_in_its_layout():
    text = json.dumps({"peer": {"password": "s3", "desc": "é"}})
    out = redact_output(text, "frr")
    assert out == json.dumps({"peer": {"password": REDACTED, "desc": "é"}}, indent=2, ensure_ascii=False)
    assert redact_output("  [1, 2]", "frr") == "  [1, 2]"
    assert redact_output("[\"enable secret 5 abc\"]", "cisco_ios") == \
        json.dumps(["enable secret 5 <redacted>"], indent=2, ensure_ascii=False)
    assert redact_output("plain enable secret 5 abc  ", "cisco_ios") == "plain enable secret 5 <redacted>  "
    assert redact_output(None) is None and redact_output("") == ""


def test_json_that_does_not_parse_is_redacted_token_by_token():
    text = ('{"a": {"password": "s3", "n": "x"}, "description": "secret 5 keep", "o": "secret 5 abc", '
            '"k" : "v", "é": "ü"}\n{"second": "doc"} router#')
    out = redact_output(text, "cisco_ios")
    assert out == ('{"a": {"password": "<redacted>", "n": "x"}, "description": "secret 5 keep", '
                   '"o": "secret 5 <redacted>", "k" : "v", "é": "ü"}\n{"second": "doc"} router#')
    # a key that names a secret wipes only the value right after it
    assert redact_output('{"password": "", "x": "y"} z', "frr") == '{"password": "", "x": "y"} z'
    assert redact_output('{"pw": {"password": "a"}, "b": "c"} z', "frr") == '{"pw": {"password": "<redacted>"}, "b": "c"} z'
    # a broken string literal is left alone, the rest still redacted
    assert redact_output('["\\x", "secret 5 abc"] z', "cisco_ios") == '["\\x", "secret 5 <redacted>"] z'
    # the keys of a secret-looking community only count under SNMP: the token scan never assumes SNMP
    assert redact_output('{"community": "65000:1"} z', "frr") == '{"community": "65000:1"} z'


def test_token_scan_exact_cases():
    # whitespace before the colon still makes a key
    assert redact_output('{"password" : "s3"} z', "frr") == '{"password" : "<redacted>"} z'
    # keys that are configuration lines are redacted, with the host's rules only
    assert redact_output('{"enable secret 5 abc": 1} z', "cisco_ios") == '{"enable secret 5 <redacted>": 1} z'
    assert redact_output('{"community public-x": 1} z', "frr") == '{"community public-x": 1} z'
    # untouched strings keep their exact bytes (escapes included); changed ones keep non-ASCII as is
    assert redact_output('{"x": "\\u00e9"} z', "frr") == '{"x": "\\u00e9"} z'
    assert redact_output('{"o": "é enable secret 5 abc"} z', "cisco_ios") == '{"o": "é enable secret 5 <redacted>"} z'


def test_snmp_sections_wipe_only_the_community():
    assert redact_data({"snmp": {"community": "pub", "location": "rack 1"}}) == \
        {"snmp": {"community": REDACTED, "location": "rack 1"}}


def test_json_with_leading_whitespace_is_still_redacted_structurally():
    out = redact_output('\n  {"password": "s3"}', "frr")
    assert json.loads(out) == {"password": REDACTED}


DIFF = """--- running-config (now)
+++ running-config (after change)
@@ -1,3 +1,4 @@
 hostname r1
-community old-x
+community public-x
+snmp-server user u g v3 auth sha AuthPass1
 end
"""


def test_a_diff_is_redacted_line_by_line_without_its_markers():
    """Rules anchored at a line start see the configuration line, not the diff's +/- marker."""
    assert redact("+community public-x", "juniper_junos") == "+community public-x"  # why redact_diff exists
    auth = DIFF.replace("AuthPass1", "<redacted>")  # snmp-server auth: a secret on every platform
    assert redact_diff(DIFF, "juniper_junos") == auth.replace("old-x", "<redacted>").replace("public-x", "<redacted>")
    assert redact_diff(DIFF, "cisco_ios") == auth and redact_diff(DIFF, "frr") == auth
    assert redact_diff(DIFF) == redact_diff(DIFF, "juniper_junos")
    headers = "--- community a\n+++ community b\n"  # file headers are not configuration lines
    assert redact_diff(headers, "juniper_junos") == headers
    junos_only = "--- set snmp community a\n@@ set snmp community b\n"  # unanchored Junos rule: platform rules
    assert redact_diff(junos_only, "frr") == junos_only
    assert redact_diff(junos_only, "juniper_junos") == junos_only.replace(" a\n", " <redacted>\n").replace(
        " b\n", " <redacted>\n")
    assert redact_diff(" a\n+", "frr") == " a\n+"  # an added empty last line without a newline
    assert redact_diff(None) is None and redact_diff("") == ""


def test_no_secret_name_ends_in_a_metadata_word():
    """Why metadata fields need no exclusion of their own: a field is a secret by the end of its
    name, and no secret name ends in a word that describes a secret."""
    from netops.devices import redact

    metadata = ("required", "set", "configured", "type", "encryption", "id", "len", "length", "enabled")
    for name in (*redact._SECRET_FIELDS, *redact._SNMP_ONLY_FIELDS, "key"):
        assert not name.endswith(metadata), name
