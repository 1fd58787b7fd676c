"""Per-platform redaction rules, one planted secret per format (vendor-documented syntaxes),
and structural redaction of parsed JSON (never a regex over JSON text)."""

from __future__ import annotations

import json

import pytest

from netops.devices.redact import REDACTED, redact, redact_data, redact_lines, redact_output

# (platform, line, secret that must vanish, text that must stay)
CASES = [
    # IOS / IOS-XE
    ("cisco_ios", "ntp authentication-key 1 md5 0822455D0A16 7", "0822455D0A16", "ntp authentication-key 1 md5"),
    ("cisco_ios", "ntp authentication-key 3 sha1 0 NtpPlain3", "NtpPlain3", "sha1 0"),
    ("cisco_ios", "snmp-server host 10.1.1.1 version 2c TrapComm1", "TrapComm1", "snmp-server host 10.1.1.1 version 2c"),
    ("cisco_ios", "snmp-server host 10.1.1.1 informs version 2c TrapComm2 udp-port 162", "TrapComm2", "udp-port 162"),
    ("cisco_ios", "snmp-server host 10.1.1.1 TrapComm3", "TrapComm3", "10.1.1.1"),
    ("cisco_ios", "snmp-server host 10.1.1.1 vrf MGMT traps version 2c TrapComm4 bgp", "TrapComm4", "vrf MGMT"),
    ("cisco_ios", "snmp-server community PubComm RO 10", "PubComm", "RO 10"),
    ("cisco_ios", " key-string my multi word key", "multi word key", " key-string"),
    ("cisco_ios", " key-string 7 070C285F4D06", "070C285F4D06", "key-string 7"),
    ("cisco_ios", "username admin privilege 15 secret 9 $9$nhEmQVczB7dqsO$X.HsgL6x1il0RxkOSSvyQYwucySCt7qFm4v",
     "$9$nhEmQVczB7dqsO", "secret 9"),
    ("cisco_ios", "enable secret 8 $8$dsYGNam3K1SIJO$7nv/35M/qr6t.dVc7UY9zrJDW", "dsYGNam3K1SIJO", "enable secret 8"),
    ("cisco_ios", "enable secret 5 $1$mERr$hx5rVt7rPNoS4wqbXKX7m0", "mERr$hx5", "enable secret 5"),
    ("cisco_ios", "username bob password 0 two words here", "two words here", "username bob password 0"),
    ("cisco_ios", " password 7 0822455D0A16", "0822455D0A16", "password 7"),
    ("cisco_ios", " wpa-psk ascii 0 my wifi pass phrase", "wifi pass phrase", "wpa-psk ascii 0"),
    ("cisco_ios", " wpa-psk hex 7 0A1B2C3D4E", "0A1B2C3D4E", "wpa-psk hex 7"),
    ("cisco_ios", "tacacs-server host 1.1.1.1 key 7 TacKey9", "TacKey9", "key 7"),
    ("cisco_ios", "radius-server key my radius key", "radius key", "radius-server key"),
    ("cisco_ios", " server-private 10.1.1.1 key 7 PrivKey5", "PrivKey5", "server-private 10.1.1.1"),
    ("cisco_ios", "crypto isakmp key IsakmpKey1 address 1.2.3.4", "IsakmpKey1", "address 1.2.3.4"),
    ("cisco_ios", " pre-shared-key address 1.2.3.4 key KeyringPsk", "KeyringPsk", "pre-shared-key address 1.2.3.4 key"),
    ("cisco_ios", " ip ospf message-digest-key 1 md5 Ospf Md5 Key", "Md5 Key", "message-digest-key 1 md5"),
    ("cisco_ios", " ip ospf authentication-key OspfKey7", "OspfKey7", "ip ospf authentication-key"),
    ("cisco_ios", " standby 1 authentication HsrpPlain", "HsrpPlain", "standby 1 authentication"),
    ("cisco_ios", " standby 1 authentication md5 key-string HsrpMd5", "HsrpMd5", "key-string"),
    ("cisco_ios", " vrrp 1 authentication text VrrpPlain", "VrrpPlain", "vrrp 1"),
    ("cisco_ios", "snmp-server user u1 grp v3 auth sha AuthPass1 priv aes 128 PrivPass1", "AuthPass1", "priv aes 128"),
    ("cisco_ios", "snmp-server user u1 grp v3 auth sha AuthPass1 priv aes 128 PrivPass1", "PrivPass1", "v3 auth sha"),
    ("cisco_ios", " neighbor 10.0.0.2 password 7 0B1C2D3E", "0B1C2D3E", "neighbor 10.0.0.2 password 7"),
    ("cisco_ios", " ip nhrp authentication NhrpKey", "NhrpKey", "ip nhrp authentication"),
    ("cisco_ios", " security wpa akm psk set-key ascii 0 Wlan Psk Words", "Psk Words", "set-key ascii 0"),
    ("cisco_ios", "enable algorithm-type scrypt secret ScryptPlain", "ScryptPlain", "algorithm-type scrypt"),
    ("cisco_ios", " key 7 0832495D1A1C", "0832495D1A1C", " key 7"),
    ("cisco_nxos", "snmp-server user admin network-admin auth md5 0xNxosAuth priv 0xNxosPriv localizedkey",
     "0xNxosAuth", "network-admin"),
    ("cisco_nxos", "tacacs-server key 7 \"NxosTac\"", "NxosTac", "tacacs-server key 7"),

    ("arista_eos", "username admin role network-admin secret sha512 $6$Rz/AristaSha512Hash", "AristaSha512Hash", "role network-admin"),
    ("arista_eos", "ntp authentication-key 42 md5 7 060506324F41", "060506324F41", "ntp authentication-key 42 md5 7"),
    ("arista_eos", "   neighbor 10.0.0.9 password 7 EosBgpKey==", "EosBgpKey==", "neighbor 10.0.0.9"),
    ("arista_eos", "snmp-server user u1 grp v3 localized 0x8000 auth sha AuthPass2 priv aes PrivPass2", "PrivPass2", "localized"),
    ("arista_eos", "snmp-server host 10.2.2.2 version 2c EosTrapComm", "EosTrapComm", "version 2c"),
    ("arista_eos", "enable password sha512 $6$EnableHash", "EnableHash", "enable password"),
    ("arista_eos", "   authentication key 0 EosIsisKey", "EosIsisKey", "authentication key 0"),
    ("cisco_ios", "Community name: PubShowComm", "PubShowComm", "Community name:"),
    ("cisco_ios", "user: HostComm9     security model: v2c", "HostComm9", "security model: v2c"),
    ("juniper_junos", "<authentication-key>PlainXmlKey</authentication-key>", "PlainXmlKey", "<authentication-key>"),
    ("juniper_junos", "<secret>XmlSecret</secret>", "XmlSecret", "</secret>"),
    # Junos (curly and set forms; $9$ and $6$)
    ("juniper_junos", "set protocols ospf area 0 interface ge-0/0/0 authentication md5 1 key OspfJ", "OspfJ", "md5 1 key"),
    ("juniper_junos", "set system tacplus-server 10.0.0.9 secret TacJ", "TacJ", "tacplus-server 10.0.0.9"),
    ("juniper_junos", 'simple-password "SimpleJ";', "SimpleJ", "simple-password"),
    ("juniper_junos", "set snmp community JunosComm authorization read-only", "JunosComm", "authorization read-only"),
    ("juniper_junos", "    community JunosComm2 {", "JunosComm2", "community"),
    ("juniper_junos", 'set system ntp authentication-key 1 type md5 value "$9$NtpJunos"', "NtpJunos", "type md5 value"),
    ("juniper_junos", 'authentication-key 2 type sha256 value "NtpPlainJunos";', "NtpPlainJunos", "type sha256"),
    ("juniper_junos", 'set protocols bgp group ext authentication-key "$9$BgpKeyJ"', "BgpKeyJ", "group ext"),
    ("juniper_junos", '        authentication-key "$9$P8Ek8Lxdbs2aUDj"; ## SECRET-DATA', "P8Ek8", "## SECRET-DATA"),
    ("juniper_junos", 'set system root-authentication encrypted-password "$6$salt$hashhash"', "hashhash", "root-authentication"),
    ("juniper_junos", 'set snmp v3 usm local-engine user u authentication-sha authentication-password "$9$UsmAuth"', "UsmAuth", "user u"),
    ("juniper_junos", 'set system radius-server 1.1.1.1 secret "$9$RadSecret"', "RadSecret", "radius-server 1.1.1.1"),
    ("juniper_junos", 'set security ike policy p pre-shared-key ascii-text "$9$IkePsk"', "IkePsk", "ascii-text"),
    ("juniper_junos", "set snmp trap-group t targets 1.1.1.1 community-name TrapJ", "TrapJ", "trap-group"),
    # IOS-XR (secrets on their own line under their block; "encrypted"/"clear" and type 10 kept)
    ("cisco_xr", " secret 10 $6$Wk9xr/8kQpT1Cv0.$Vq4nB0dLxr10Hash", "Vq4nB0dLxr10Hash", " secret 10"),
    ("cisco_xr", " secret 0 XrPlainSecret", "XrPlainSecret", " secret 0"),
    ("cisco_xr", "  password encrypted 13061E010803", "13061E010803", "password encrypted"),
    ("cisco_xr", " neighbor 10.255.0.2:0 password encrypted 094F471A1A0A", "094F471A1A0A", "neighbor 10.255.0.2:0"),
    ("cisco_xr", " authentication-key 1 md5 encrypted 0822455D0A16", "0822455D0A16", "authentication-key 1 md5 encrypted"),
    ("cisco_xr", "ntp authentication-key 2 md5 clear NtpClearXr", "NtpClearXr", "md5 clear"),
    ("cisco_xr", "   authentication-key encrypted 1511021F0725", "1511021F0725", "authentication-key encrypted"),
    ("cisco_xr", "   message-digest-key 1 md5 encrypted 0822455D0A16", "0822455D0A16", "md5 encrypted"),
    ("cisco_xr", "  key-string password 00071A150754", "00071A150754", "key-string password"),
    ("cisco_xr", "  key-string clear Xr Clear Words", "Clear Words", "key-string clear"),
    ("cisco_xr", " key 7 01100F175804", "01100F175804", " key 7"),
    ("cisco_xr", " client 192.0.2.22 vrf default server-key 7 DynAuthKey7", "DynAuthKey7", "server-key 7"),
    ("cisco_xr", "snmp-server community encrypted 1514191F7A7F6B RW", "1514191F7A7F6B", "encrypted"),
    ("cisco_xr", "snmp-server host 192.0.2.9 traps encrypted 06070B2C4D5A udp-port 162", "06070B2C4D5A",
     "traps encrypted"),
    ("cisco_xr", "snmp-server community-map MapComm1 context ctx1", "MapComm1", "context ctx1"),
    ("cisco_xr", " host 192.0.2.30 traps version 2c VrfTrapComm", "VrfTrapComm", " host 192.0.2.30 traps version 2c"),
    ("cisco_xr", " host 192.0.2.31 informs encrypted 0B0A1C2D3E", "0B0A1C2D3E", "informs encrypted"),
    ("cisco_xr", " lsp-password hmac-md5 encrypted 03374B0A1F5A4D", "03374B0A1F5A4D", "hmac-md5 encrypted"),
    ("cisco_xr", " lsp-password accept hmac-md5 encrypted 07324B0D1C5B", "07324B0D1C5B", "accept hmac-md5"),
    ("cisco_xr", "  hello-password text encrypted 0508071C2D3E4F", "0508071C2D3E4F", "hello-password text"),
    ("cisco_xr", "  pre-shared-key password 0822455D0A16", "0822455D0A16", "pre-shared-key password"),
    ("cisco_xr", "  pre-shared-key local XrLocalPsk", "XrLocalPsk", "pre-shared-key local"),
    ("cisco_xr", "    authentication HsrpXrPlain", "HsrpXrPlain", "authentication"),
    ("cisco_xr", "    text-authentication VrrpXrText", "VrrpXrText", "text-authentication"),
    ("frr", "password zebra-pass", "zebra-pass", "password"),
    ("frr", "enable password zebra-enable", "zebra-enable", "enable password"),
    ("frr", " neighbor 10.0.0.2 password bgp s3cret words", "s3cret words", "neighbor 10.0.0.2 password"),
    ("frr", " ip ospf message-digest-key 1 md5 ospfmd5", "ospfmd5", "message-digest-key 1 md5"),
    ("frr", " ip ospf authentication-key frrospf", "frrospf", "authentication-key"),
    ("frr", "  key-string frr key string", "frr key string", "key-string"),
    ("frr", " area-password md5 IsisArea", "IsisArea", "area-password md5"),
    ("frr", " domain-password clear IsisDomain", "IsisDomain", "domain-password clear"),
    ("frr", " ip rip authentication string RipPass", "RipPass", "ip rip authentication string"),
    # polish33 (adv32: a bare "authentication-key X" on cisco_ios was kept): key material in the
    # common forms, OSPF/IS-IS/BGP/NTP/TACACS/RADIUS/SNMP/FHRP, per platform
    ("cisco_ios", " authentication-key BareKey1", "BareKey1", "authentication-key"),
    ("cisco_ios", "  authentication-key 7 0822455D0A17", "0822455D0A17", "authentication-key 7"),
    ("cisco_ios", "authentication-key 1 md5 NtpBlockKey", "NtpBlockKey", "authentication-key 1 md5"),
    ("cisco_ios", "authentication-key 1 md5 7 NtpBlockKey7", "NtpBlockKey7", "authentication-key 1 md5 7"),
    ("cisco_ios", "ntp authentication-key 2 hmac-sha2-256 NtpSha2Key", "NtpSha2Key", "hmac-sha2-256"),
    ("cisco_ios", " ip ospf authentication-key 0 OspfKey0", "OspfKey0", "authentication-key 0"),
    ("cisco_ios", " ipv6 ospf authentication ipsec spi 256 md5 0123456789ABCDEF0123456789ABCDEF",
     "0123456789ABCDEF0123456789ABCDEF", "ipsec spi 256 md5"),
    ("cisco_ios", " ospfv3 authentication ipsec spi 300 sha1 7 Ospf3Sha1Key", "Ospf3Sha1Key", "spi 300 sha1 7"),
    ("cisco_ios", " area 0 authentication ipsec spi 400 md5 AreaIpsecKey", "AreaIpsecKey", "area 0 authentication"),
    ("cisco_ios", " ipv6 ospf encryption ipsec spi 1001 esp aes-cbc 128 7 EspAesKey sha1 7 EspShaKey",
     "EspAesKey", "esp aes-cbc 128 7"),
    ("cisco_ios", " ipv6 ospf encryption ipsec spi 1001 esp aes-cbc 128 7 EspAesKey sha1 7 EspShaKey",
     "EspShaKey", "sha1 7"),
    ("cisco_ios", "  authentication mode hmac-sha-256 7 EigrpSha256", "EigrpSha256", "authentication mode hmac-sha-256 7"),
    ("cisco_ios", " glbp 10 authentication text GlbpText", "GlbpText", "glbp 10 authentication text"),
    ("cisco_ios", " vrrp 1 authentication text VrrpText", "VrrpText", "vrrp 1 authentication text"),
    ("cisco_ios", " isis password IsisIfPass level-2", "IsisIfPass", "isis password"),
    ("cisco_ios", " neighbor 10.0.0.2 password 7 BgpType7", "BgpType7", "neighbor 10.0.0.2 password 7"),
    ("cisco_ios", "snmp-server user u1 g1 v3 auth sha SnmpAuth priv aes 128 SnmpPriv", "SnmpAuth", "auth sha"),
    ("cisco_ios", "snmp-server user u1 g1 v3 auth sha SnmpAuth priv aes 128 SnmpPriv", "SnmpPriv", "priv aes 128"),
    ("cisco_ios", " key 7 RadiusBlockKey", "RadiusBlockKey", " key 7"),
    ("cisco_nxos", " ip ospf authentication-key 3 NxOspf3", "NxOspf3", "authentication-key 3"),
    ("cisco_nxos", "ntp authentication-key 1 md5 NxNtp 7", "NxNtp", "ntp authentication-key 1 md5"),
    ("arista_eos", "ntp authentication-key 1 sha1 7 EosNtp", "EosNtp", "sha1 7"),
    ("arista_eos", " ip ospf message-digest-key 1 sha256 7 EosSha256", "EosSha256", "sha256 7"),
    ("cisco_xr", " authentication-key 1 md5 encrypted XrNtpKey", "XrNtpKey", "authentication-key 1 md5 encrypted"),
    ("juniper_junos", '            authentication-key 1 type md5 value "$9$JunosNtp"; ## SECRET-DATA', "$9$JunosNtp",
     "authentication-key 1 type md5 value"),
    ("nokia_sros", '   authentication-key 1 key "SrosKeyEntry" hash2', "SrosKeyEntry", "authentication-key 1 key"),
    # Linux hosts (hostapd, wpa_supplicant, chrony keys)
    ("linux", "wpa_passphrase=hostap pass phrase", "hostap pass phrase", "wpa_passphrase="),
    ("linux", '  psk="supplicant secret"', "supplicant secret", "psk="),
    ("linux", "1 MD5 chronykey", "chronykey", "1 MD5"),
    ("linux", "2 SHA1 HEX:ABCDEF0123", "ABCDEF0123", "2 SHA1"),
]


@pytest.mark.parametrize("platform,line,secret,keep", CASES, ids=[f"{c[0]}:{c[1].strip()[:40]}" for c in CASES])
def test_line_rule(platform, line, secret, keep):
    for plat in (platform, None):  # the platform's own rules, and every rule (unknown platform)
        out = redact(line, plat)
        assert secret not in out, (plat, out)
        assert keep in out and REDACTED in out, (plat, out)
        assert redact(out, plat) == out  # idempotent


@pytest.mark.parametrize(("platform", "line"), [
    ("nokia_sros", "   authentication-key 1 {"), ("nokia_sros", "  authentication-key 12 {"),  # MD-CLI: a key's block
    ("cisco_ios", " isis authentication mode md5"), ("cisco_ios", " authentication mode md5"),
    ("cisco_ios", " ip ospf authentication message-digest"), ("cisco_ios", " authentication key-chain OSPF-KC"),
])
def test_a_key_block_or_a_mode_is_not_a_key(platform, line):
    assert redact(line, platform) == line


@pytest.mark.parametrize("line", [
    "router bgp 65001", " neighbor 10.0.0.2 remote-as 65002", "key chain OSPF-KEYS", " key 1",
    "interface eth0", " ip address 10.0.0.1/30", "description password reset portal uplink",
])
def test_plain_config_is_untouched(line):
    assert redact(line, "cisco_ios") == line and redact(line, "frr") == line


@pytest.mark.parametrize("line", [
    "  authentication message-digest", "  authentication keychain OSPF-KC", "   authentication null",
    " key 1", "  cryptographic-algorithm HMAC-MD5", "  trusted-key 1",
    " ipv4 address 10.0.12.1 255.255.255.252", " description password-reset portal", "  remote-as 65001",
])
def test_plain_xr_config_is_untouched(line):
    assert redact(line, "cisco_xr") == line


def test_redact_lines_keeps_every_line():
    lines = ["router bgp 1", " neighbor 1.1.1.1 password Abc123", " neighbor 1.1.1.1 remote-as 2"]
    out = redact_lines(lines, "frr")
    assert out == ["router bgp 1", f" neighbor 1.1.1.1 password {REDACTED}", " neighbor 1.1.1.1 remote-as 2"]


# -- structural ---------------------------------------------------------------------------

def test_description_with_password_words_is_kept_and_json_stays_json():
    """Descriptions are free text (as ``description`` config lines are): byte for byte."""
    raw = json.dumps({"interfaces": {"Ethernet1": {"description": "password X, secret Y", "bandwidth": 1000,
                                                   "lineProtocolStatus": "up", "note": "neighbor 1.1.1.1 password Z"}}})
    out = redact_output(raw, "arista_eos")
    eth = json.loads(out)["interfaces"]["Ethernet1"]  # still JSON
    assert eth["description"] == "password X, secret Y"
    assert eth["bandwidth"] == 1000 and eth["lineProtocolStatus"] == "up"
    assert eth["note"] == "neighbor 1.1.1.1 password <redacted>"  # other strings still get the line rules


def test_json_password_fields_are_redacted_by_field():
    raw = json.dumps({"users": [{"name": "alice", "password": "pw-alice", "passwordRequired": True,
                                 "sshKey": {"secret": "abc"}}],
                      "radius": {"servers": [{"host": "1.1.1.1", "key": "radkey"}]}})
    out = redact_output(raw)
    data = json.loads(out)
    assert "pw-alice" not in out and "radkey" not in out and "abc" not in out
    assert data["users"][0]["name"] == "alice" and data["users"][0]["passwordRequired"] is True


def test_junos_json_secret_values_and_snmp_community():
    raw = json.dumps({"configuration": {
        "protocols": {"bgp": {"group": [{"name": "ext", "authentication-key": "$9$JsonBgp"}]}},
        "snmp": {"community": [{"name": "junos-json-comm", "authorization": "read-only"}]},
        "policy-options": {"community": [{"name": "ROUTE-TAG", "members": ["65000:100"]}]}}})
    out = redact_output(raw, "juniper_junos")
    data = json.loads(out)
    assert "JsonBgp" not in out and "junos-json-comm" not in out
    # a BGP community is route data, not a secret
    assert data["configuration"]["policy-options"]["community"][0]["members"] == ["65000:100"]


def test_eos_config_json_keys_are_config_lines():
    raw = json.dumps({"cmds": {"router bgp 65001": {"cmds": {"neighbor 10.0.0.2 password 7 EosJsonKey": None,
                                                              "neighbor 10.0.0.2 remote-as 65002": None}}}})
    out = redact_output(raw, "arista_eos")
    cmds = json.loads(out)["cmds"]["router bgp 65001"]["cmds"]
    assert "EosJsonKey" not in out and "neighbor 10.0.0.2 remote-as 65002" in cmds


def test_unchanged_json_keeps_its_bytes():
    raw = '{"a":  1, "b": ["x"]}'
    assert redact_output(raw) == raw


def test_unparsable_json_is_redacted_string_by_string():
    raw = ('{"a": {"authentication-key": [{"data": "$9$abc"}]}, "password": "pw9"}\n'
           '{"d": "password Q", "description": "password D"}\nr1# ')
    out = redact_output(raw)
    assert "$9$abc" not in out and "pw9" not in out and "password Q" not in out
    assert '"password D"' in out
    docs = out.split("\n")
    assert json.loads(docs[0]) and json.loads(docs[1])  # each document is still valid JSON


def test_redact_data_on_a_model_keeps_the_type():
    from netops.devices.models import Interface, Interfaces

    m = Interfaces(interfaces=[Interface(name="e0", admin_up=True, oper_up=True,
                                         description="reset password portal", mac="$9$notreallyamac")])
    out = redact_data(m, "frr")
    assert isinstance(out, Interfaces) and out.interfaces[0].admin_up is True
    assert out.interfaces[0].description == "reset password portal"
    assert out.interfaces[0].mac == REDACTED
