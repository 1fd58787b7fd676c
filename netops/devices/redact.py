"""Secret redaction for device output, applied before anything is shown, logged or stored.

Two mechanisms, chosen by the shape of the data, never mixed:

* **Line rules** for configuration and other text (:func:`redact`). Each rule finds a secret by
  its context (the keywords before it) and replaces only the secret with ``<redacted>``,
  keeping the line readable (``enable secret 5 <redacted>``). Rules are grouped per platform
  family (``common`` applies everywhere); with no platform, every rule applies.
* **Structural redaction** for parsed data (:func:`redact_data`, :func:`redact_output`): JSON
  is parsed first, then values are replaced by *field* (``password``, ``secret``, Junos
  ``authentication-key`` ...), dictionary keys that are configuration lines (EOS ``| json``)
  and string values go through the line rules one string at a time. The result is always
  valid JSON of the same shape: a description saying "password X" can no longer break a
  parser, a check or a rollback.

Both also drop control characters (:func:`netops.controls.printable`): a description with
``ESC]52;...`` or ``ESC[2J`` in it is text anyone with config access wrote, and must not drive
the terminal of whoever reads it. Redaction is for what leaves the device layer. The playbook runner compares unredacted
configurations in memory (a changed secret is a difference) and records only redacted text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from netops.controls import printable

REDACTED = "<redacted>"

_ENC = (r"(?:(?:[0-9]|8a|sha1|sha256|sha512|md5|hmac-md5|hmac-sha-?\d*|plain|plaintext|clear|cleartext|"
        r"encrypted|text)\s+)?")  # optional encryption type / algorithm keyword
# A secret is a quoted string or a word; a word may hold ';' (IOS takes it in keys: "ab;cd" must not
# leave ";cd"), but a ';' at its end is a Junos statement's end ("community public;"). A '"' ends it
# (JSON text around a configuration line stays JSON).
_SECRET_WORD = r"[^\s\";](?:[^\s\";]|;(?=[^\s\";]))*"
_SECRET = rf"(?P<secret>\"[^\"\n]*\"|{_SECRET_WORD})"
_REST = r"(?P<secret>\"[^\"\n]*\"|[^\s\";](?:(?:[^\n;]|;(?=[^\s;]))*[^\s;])?)"  # the rest of the line (multi-word keys)


def _rx(*patterns: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.IGNORECASE | re.MULTILINE) for p in patterns)


_COMMON = _rx(
    # enable secret / password, username ... secret|password (IOS, EOS, FRR)
    rf"^\s*enable\s+(?:secret|password)\s+(?:level\s+\d+\s+)?{_ENC}{_REST}",
    rf"\busername\s+\S+(?:\s+(?:privilege\s+\d+|role\s+\S+|nopassword|view\s+\S+))*\s+(?:secret|password)\s+{_ENC}{_REST}",
    # BGP neighbor passwords (IOS, EOS, FRR, NX-OS)
    rf"\bneighbor\s+\S+\s+password\s+{_ENC}{_REST}",
    # SNMP: communities, trap hosts, v3 users (IOS, EOS, NX-OS, FRR's snmp)
    rf"\bsnmp-server\s+community\s+{_ENC}{_SECRET}",
    (r"\bsnmp-server\s+host\s+\S+(?:\s+vrf\s+\S+)?(?:\s+(?:informs|traps))?"
     r"(?:\s+version\s+(?:1|2c|3\s+(?:auth|noauth|priv)))?\s+(?:(?:clear|encrypted)\s+)?(?!version\b)" + _SECRET),
    rf"^\s*snmp-server\b[^\n]*?\bauth\s+(?:md5|sha\S*)\s+{_ENC}{_SECRET}",
    # priv [ALGORITHM] KEY: NX-OS takes the key with no algorithm (DES); a v3 group's "priv" is a level
    (rf"^\s*snmp-server\b[^\n]*?\bpriv\s+(?:(?:des\S*|3des|aes(?:\s*\d+)?|aes\S*)\s+)?{_ENC}"
     rf"(?!(?:read|write|notify|access|context|match)\b){_SECRET}"),
    # NTP authentication keys: ntp authentication-key 1 md5 [7] KEY [7]
    # (IOS-XE 17 "hmac-sha2-256")
    rf"\bntp\s+authentication-key\s+\d+\s+(?:md5|sha\d*|hmac-sha[\w-]*|cmac-aes-128|aes-cmac)\s+(?:[0-9]\s+|8a\s+|clear\s+|encrypted\s+)?{_SECRET}",
    # a bare authentication-key line under its block (IOS/XR "ntp" or an interface, EOS, NX-OS):
    # "authentication-key K", "authentication-key 7 K", "authentication-key 1 md5 [7] K"; never the
    # key number of a block (SR OS MD-CLI "authentication-key 1 {")
    (r"^\s*authentication-key\s+(?!\d+\s+(?:type|key)\b)(?:\d+\s+(?:md5|sha[\w-]*|hmac-[\w-]+|cmac-aes-128|aes-cmac)\s+)?"
     rf"(?:(?:[0-9]|clear|encrypted)\s+(?=[^\s{{]))?(?!\d+\s*(?:[{{;]|$)|\{{|:){_SECRET}"),
    # pre-shared keys, key chains, routing-protocol authentication
    rf"\bpre-shared-key\s+(?:local\s+|remote\s+|ascii-text\s+|hexadecimal\s+)?{_ENC}(?!address\b|hostname\b){_REST}",
    rf"\bpre-shared-key\s+(?:address|hostname)\s+\S+(?:\s+\S+)?\s+key\s+{_ENC}{_REST}",
    rf"\bcrypto[ \t]+isakmp[ \t]+key[ \t]+{_ENC}{_SECRET}",  # on its line: not "show crypto isakmp key"
    rf"\bkey-string\s+{_ENC}{_REST}",
    rf"\b(?:ip\s+|ipv6\s+)?ospf\s+authentication-key\s+{_ENC}{_REST}",
    rf"\bmessage-digest-key\s+\d+\s+(?:md5|sha\d*)\s+{_ENC}{_REST}",  # EOS: sha1..sha512 too
    rf"^\s*(?:standby|vrrp|hsrp|glbp)\s+\d+\s+(?:peer\s+)?authentication\s+(?:text\s+)?(?!(?:ietf-)?md5\b){_SECRET}",
    # OSPFv3 IPsec (IOS): "ipv6 ospf|ospfv3|area N authentication ipsec spi N md5|sha1 [0|7] KEY",
    # "... encryption ipsec spi N esp CIPHER [BITS] [0|7] KEY md5|sha1 [0|7] KEY" (two keys)
    r"\bauthentication\s+ipsec\s+spi\s+\d+\s+(?:md5|sha1)\s+(?:[07]\s+)?(?P<secret>[^\s\";]+)",
    r"\bipsec\s+spi\s+\d+\s+esp\s+(?:aes-cbc\s+\d+|3des|des|aes-cbc)\s+(?:[07]\s+)?(?P<secret>[^\s\";]+)",
    r"\bipsec\s+spi\s+\d+\s+esp\b[^\n]*?\s(?:md5|sha1)\s+(?:[07]\s+)?(?P<secret>[^\s\";]+)",
    # EIGRP named mode: "authentication mode hmac-sha-256 [0|7] PASSWORD"
    r"^\s*authentication\s+mode\s+hmac-sha-256\s+(?:[07]\s+)?(?P<secret>[^\s\";]+)",
    rf"^\s*authentication[ \t]+text[ \t]+{_SECRET}",  # NX-OS HSRP/VRRP: "authentication text K" under the group
    rf"\bserver-key\s+{_ENC}{_SECRET}",  # IOS "aaa server radius dynamic-author" clients
    rf"\bconfig-key[ \t]+password-encrypt[ \t]+{_SECRET}",  # the IOS type-6 master key
    # a key after its type mid-line: "... key 7 0822455D0A16" (a command line filtering on it)
    r"\bkey[ \t]+[05-9][ \t]+(?!-|(?:secret|key-string|password|text|md5|sha\d*|start-time|algorithm|options|key-name|accept\S*|send\S*)\b)(?P<secret>[^\s\";|](?:[^\s;|]|;(?=[^\s;]))*)",
    # OSPFv3 (FRR): ipv6 ospf6 authentication keyid 1 sha256 key K
    rf"\bauthentication[ \t]+keyid[ \t]+\d+[ \t]+\S+[ \t]+key[ \t]+{_SECRET}",
    rf"\b(?:area|domain)-password\s+{_ENC}{_REST}",
    # TACACS+ / RADIUS keys
    rf"\b(?:tacacs-server|radius-server|tacacs|radius)\b[^\n]*?\bkey\s+{_ENC}{_REST}",
    rf"^\s*server-private\s+\S+[^\n]*?\bkey\s+{_ENC}{_REST}",
    rf"^\s*key\s+(?!chain\b|config-key\b|\d+\s*$){_ENC}{_REST}",
    rf"\bnhrp\s+authentication\s+{_SECRET}",
    rf"\bauthentication\s+key\s+(?:\d\s+)?{_REST}",  # EOS IS-IS authentication key 0|7 KEY
    rf"\bmd5\s+\d+\s+key\s+{_SECRET}",  # Junos OSPF: authentication md5 1 key KEY
    # wireless pre-shared keys (IOS/AireOS wpa-psk, IOS-XE wlan set-key, hostapd, wpa_supplicant)
    rf"\bwpa-psk\s+(?:ascii|hex)\s+{_ENC}{_REST}",
    rf"\bset-key\s+(?:ascii|hex)\s+{_ENC}{_REST}",
    r"\b(?:wpa[-_]passphrase|wpa_psk|sae[-_]password)\s*[=\s]\s*(?P<secret>\"[^\"\n]*\"|\S.*?)\s*$",
    r"^\s*psk\s*=\s*(?P<secret>\"[^\"\n]*\"|\S+)",
    # other vendors' forms (a plugin platform gets every rule): FortiOS "set passwd|psksecret [ENC] K",
    # RouterOS "password=K secret=K", ArubaOS "mgmt-user NAME ROLE HASH", EXOS SNMP communities
    rf"^\s*set[ \t]+(?:passwd|psksecret|password|secret|passphrase|psk|auth-pwd|priv-pwd|key)[ \t]+(?:ENC[ \t]+)?{_SECRET}",
    r"(?<![\w-])(?:password|secret|passphrase|psk|wpa2?-pre-shared-key|authentication-key)=(?P<secret>\"[^\"\n]*\"|\S+)",
    r"^\s*mgmt-user[ \t]+\S+[ \t]+\S+[ \t]+(?P<secret>\S+)",
    r"^\s*passwd[ \t]+(?P<secret>\S+)(?=[ \t]+encrypted\b|[ \t]*\r?$)",  # ASA/PIX: the telnet/SSH login password
    rf"\bconfigure[ \t]+snmp[ \t]+add[ \t]+community[ \t]+(?:readonly|readwrite)[ \t]+(?:encrypted[ \t]+)?{_SECRET}",
    # credentials in a URL: archive paths, kron/copy commands, Junos archive-sites
    r"\b[a-z][a-z0-9+.-]*://[^\s/:@\"']+:(?P<secret>[^\s@/\"']+)@",
    # NX-OS "show tacacs-server"/"show radius-server" mask it ("shared secret:********"); if not
    r"\bshared\s+secret\s*:\s*(?!\*+\s*$)(?P<secret>\S+)",
    # show-command output: IOS/EOS "show snmp community", "show snmp host"
    r"\bcommunity\s+name:\s*(?P<secret>\S+)",
    r"^\s*Community[ \t]+(?:Index|SecurityName):[ \t]*(?P<secret>\S+)",  # IOS: the community again
    r"^\s*user:\s*(?P<secret>\S+)(?=\s+security model)",
    # XML output (Junos "| display xml", NETCONF): secret elements
    (r"<(?P<tag>(?:[\w-]*-)?(?:password|secret|key|community-name|pre-shared-key|psk)(?:-value)?)>"
     r"(?P<secret>[^<]+)</(?P=tag)>"),
        # generic: "... password|secret X" anywhere except free-text lines
    rf"^(?!\s*(?:description|alias|banner|remark)\b)[^\n]*?\b(?:encrypted-password|secret|password|passphrase)\s+{_ENC}{_REST}",
)

_JUNOS = _rx(
    rf"^\s*community\s+{_SECRET}(?=\s*[{{;]|\s*$)",
    rf"\bset\s+snmp\s+(?:v3\s+)?community\s+{_SECRET}",
    rf"\bset\s+snmp\b[^\n]*?\bcommunity-name\s+{_SECRET}",
    rf"^\s*community-name\s+{_SECRET}",
    rf"\bauthentication-key\s+(?:\d+\s+(?:type\s+\S+\s+)?value\s+|(?!\d+\s|(?:clear|encrypted)\s+\S)){_SECRET}",
    rf"\b(?:authentication|privacy)-password\s+{_SECRET}",
    rf"\bplain-text-password-value\s+{_SECRET}",
    r"\bsecret\s+(?P<secret>\"[^\"\n]*\")",  # Junos quotes every secret
    # "| display xml": an SNMP community is a <name> under <community> (a policy community has <members>)
    (r"<community>\s*<name>(?P<secret>[^<]+)</name>(?=\s*(?:</community>|<(?:authorization|clients|view|"
     r"routing-instance|logical-system)\b))"),
)

# IOS-XR: a secret follows "clear"/"encrypted" or a type number (secret 10 = SHA-512), often on its
# own line under its block (neighbor, tacacs-server host, key chain key, OSPF interface, HSRP group).
_XR_TYPE = r"(?:(?:\d{1,2}|clear|encrypted|password)\s+)?"
_XR = _rx(
    rf"^\s*secret\s+{_XR_TYPE}{_SECRET}",
    rf"\bserver-key\s+{_XR_TYPE}{_SECRET}",
    rf"\bsnmp-server\s+community-map\s+{_XR_TYPE}{_SECRET}",
    # trap hosts under "snmp-server vrf X" have no "snmp-server" of their own
    (r"^\s+host\s+\S+\s+(?:informs|traps)(?:\s+version\s+(?:1|2c|3\s+(?:auth|noauth|priv)))?"
     r"\s+(?:(?:clear|encrypted)\s+)?" + _SECRET),
    rf"\bkey-string\s+{_XR_TYPE}{_REST}",
    rf"\bpre-shared-key\s+(?:local\s+|remote\s+)?password\s+{_REST}",
    rf"\b(?:lsp|hello)-password\s+(?:(?:accept|hmac-md5|text)\s+)*{_XR_TYPE}(?!keychain\b){_SECRET}",
    rf"^\s*authentication-key\s+(?:(?:clear|encrypted)\s+)?(?!\d+\s){_SECRET}",
    rf"^\s*authentication-key\s+\d+\s+md5\s+(?:(?:clear|encrypted|[0-9])\s+(?=\S))?{_SECRET}",  # under "ntp"
    r"^\s*text-authentication\s+(?P<secret>\S+)",
    (r"^\s*authentication\s+(?!(?:message-digest|keychain|null|md5|key|mode|type|text|disable|enable|"
     r"send-only)\s*$)(?P<secret>[^\s\";]+)\s*$"),
)

_SROS = _rx(
    # SR OS prints every stored secret quoted and marked with its form: "..." hash | hash2 | custom
    r'(?P<secret>"[^"\n]*")(?=[ \t]+(?:hash2?|custom)\b)',
    # OSPF/IS-IS/BGP/LDP/RSVP/VRRP keys, classic NTP "authentication-key 1 key ..."; never a key
    # number (MD-CLI "authentication-key 1 {", whose key follows on a "key" line; IOS "... 1 md5 K")
    # nor another vendor's type word (XR "authentication-key encrypted K")
    rf"\bauthentication-key\s+(?:\d+\s+key\s+)?(?!\d+(?:\s|$)|(?:clear|encrypted)\s){_SECRET}",
    rf"\bprivacy-key\s+{_SECRET}",
    rf"\bentry\s+\d+\s+key\s+{_SECRET}",  # classic keychain entries
    # classic SNMP: community "public" r version both (not policy communities: ... members "65000:1")
    rf"^\s*community\s+{_SECRET}(?=[ \t]+(?:r|rw|rwa|mgmt|vpls-mgmt)\b|[ \t]*\r?$)",  # CRLF output too
    # MD-CLI: community "K" { access-permissions r ... } (a policy community's block has "member")
    rf"^\s*community\s+{_SECRET}(?=[ \t]*\{{[ \t]*\r?\n\s*(?:access-permissions|version|source-access-list)\b)",
    rf"\bsnmp[ \t]+community[ \t]+{_SECRET}",  # MD-CLI flat: /configure system security snmp community "K" ...
)

# Huawei VRP: a stored secret follows "cipher" / "irreversible-cipher" (%^%#...%^%#, %@%@...%@%@,
# %$%$...%$%$, $1a$...$, or VRP 5's older 24-character form ending in "!!", which may hold any
# printable character) or "plain"/"simple" (clear text), on one line with its owner.
_VRP_KEEP = r"(?!cipher\b|irreversible-cipher\b|plain\b|simple\b)"
_VRP = _rx(
    # LDP: md5-password cipher|plain PEER-LSR-ID KEY (the word after "cipher" is the peer)
    r"(?<![\w-])md5-password\s+(?:cipher|plain)\s+\S+\s+(?P<secret>\S+)",
    r"(?<!md5-password )(?<![\w-])(?:cipher|irreversible-cipher)\s+(?P<secret>\S+)",
    # "plain" only after what takes a key (a description may say "plain")
    r"(?<![\w-])(?:simple|md5|hmac-sha256|hmac-md5|sha|\d+|key-string|password)\s+plain\s+(?P<secret>\S+)",
    rf"(?<![\w-])(?:password|pre-shared-key|shared-key|key-string|pass-phrase|authentication-mode)\s+simple\s+{_VRP_KEEP}(?P<secret>\S+)",
    # keys stored without a form keyword (VRP 5): shared-key K, authentication-mode md5 K, SNMP communities
    rf"(?<![\w-])shared-key\s+{_VRP_KEEP}(?P<secret>\S+)",
    # (RIP "md5 usual|nonstandard K"; an OSPF key id "md5 1 K" before a key stored without a form word)
    (r"(?<![\w-])(?:area-|domain-)?authentication-mode\s+(?:md5|hmac-sha256|hmac-md5|sha)\s+"
     # the key id is taken whole or not at all, as a possessive "?+" would, but written as a
     # lookahead and back-reference: Debian's Python 3.11.2 backtracks into "?+" (CPython bug
     # fixed in a later 3.11) and redacted "md5 12345" as "md5 1<redacted>"
     rf"(?=(?P<kid>(?:(?:usual|nonstandard|\d+)\s+)?))(?P=kid){_VRP_KEEP}(?!key-id\b|keychain\b)(?P<secret>\S+)"),
    rf"\bsnmp-agent\s+community\s+(?:read|write)\s+{_VRP_KEEP}(?P<secret>\S+)",
    rf"\bsnmp-agent\s+proxy\s+community\s+{_VRP_KEEP}(?P<secret>\S+)",  # the community it proxies with
    # typed in clear after a keyword that ends in "-cipher" (RADIUS template: stored as %^%#...%^%#)
    r"(?<![\w-])shared-key-cipher\s+(?P<secret>\S+)",
    # a bare key after its keyword (CGN "remote-backup ... peer X authentication-key K")
    rf"(?<![\w-])authentication-key\s+{_VRP_KEEP}(?!\d+\s|\d+$|\{{|:|(?:clear|encrypted)\s)(?P<secret>\S+)",
    rf"^\s*snmp-agent\b[^\n]*?\bprivacy-mode\s+\S+\s+{_VRP_KEEP}(?P<secret>\S+)",
    rf"\bsecurityname\s+{_VRP_KEEP}(?P<secret>\S+)(?=\s+v(?:1|2c)\b)",  # v1/v2c trap host: the community
    # "display snmp-agent community": a v1/v2c community's group is named after the community
    r"^\s*Group name\s*:\s*(?P<secret>\S+)",
    rf"\bpass-phrase[ \t]+{_VRP_KEEP}(?P<secret>\S+)",  # WLAN PSK typed in clear (stored: a cipher)
    r"(?P<secret>(?P<m>%\^%#|%@%@|%\$%\$|%#%#)\S+?(?P=m))",  # a VRP cipher wherever it appears
    r"(?P<secret>\$1[a-d]\$\S+)",  # irreversible-cipher (PBKDF2/SHA-256 based)
)

_FRR = _rx(
    rf"^\s*password\s+{_ENC}{_REST}",
    rf"\bip\s+rip\s+authentication\s+string\s+{_REST}",
)

_LINUX = _rx(
    r"^\s*(?:keys?|secret|password|private-?key|preshared-?key)\s*=\s*(?P<secret>\S.*?)\s*$",  # WireGuard: PrivateKey =
    r"^\s*\d+\s+(?:MD5|SHA1|SHA256|SHA512|AES128CMAC|M)\s+(?P<secret>(?:HEX:|ASCII:)?\S+)",  # chrony/ntp keys files
)

# Crypt-style hashes and type-7/8/9 strings are secret wherever they appear.
_HASHES = _rx(r"(?P<secret>\$(?:1|5|6|8|9|y|2[aby])\$[^\s\";,<]+)")  # '<': <phash>$1$...</phash> stays XML

PLATFORM_RULES: dict[str, tuple[re.Pattern[str], ...]] = {
    "cisco_ios": _COMMON,
    "cisco_nxos": _COMMON,
    "cisco_xr": _XR + _COMMON,
    "arista_eos": _COMMON,
    "frr": _COMMON + _FRR,
    "juniper_junos": _COMMON + _JUNOS,
    "linux": _COMMON + _FRR + _LINUX,
    "nokia_sros": _COMMON + _SROS,
    "huawei_vrp": _VRP + _COMMON,
}
_ALL_RULES = _XR + _VRP + _COMMON + _JUNOS + _FRR + _LINUX + _SROS

_PRIVATE_KEY = re.compile(  # PEM, OpenSSH and PGP ("PRIVATE KEY BLOCK") private keys
    # "((?: BLOCK)?)" always takes part: a back-reference to a group that did not match never
    # matches, so "( BLOCK)?" left every PEM key open to the end of the text, swallowing it all
    r"-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY((?: BLOCK)?)-----.*?(?:-----END \1PRIVATE KEY\2-----|\Z)", re.DOTALL)


# Show commands that print secrets as a table: (header, column, to the end of the line). Rows
# follow the header (after blank or dashed lines) up to the next blank line.
_SECRET_TABLES: tuple[tuple[re.Pattern[str], int, bool], ...] = (
    # NX-OS "show snmp community": the community is the first word of every row
    (re.compile(r"^[ \t]*Community[ \t]+Group[ \t]*/[ \t]*Access\b", re.IGNORECASE), 0, False),
    # IOS "show crypto isakmp key": Keyring, Hostname/Address, then the pre-shared key itself
    (re.compile(r"^[ \t]*Keyring[ \t]+Hostname/Address[ \t]+Preshared[ \t]+Key", re.IGNORECASE), 2, True),
)
_WORD = re.compile(r"\S+")


def _redact_tables(text: str) -> str:
    if not any(header.search(line) for line in text.splitlines() for header, _, _ in _SECRET_TABLES):
        return text
    lines = text.split("\n")
    table: tuple[int, bool] | None = None
    started = False
    for n, line in enumerate(lines):
        found = next(((col, rest) for header, col, rest in _SECRET_TABLES if header.search(line)), None)
        if found is not None:
            table, started = found, False
            continue
        if table is None:
            continue
        if not line.strip() or set(line.strip()) <= set("- "):
            if started:
                table = None  # a blank line after the rows ends the table
            continue
        started = True
        col, rest = table
        words = list(_WORD.finditer(line))
        if len(words) > col and REDACTED not in line[words[col].start():]:
            end = len(line.rstrip("\r")) if rest else words[col].end()
            lines[n] = line[: words[col].start()] + REDACTED + line[end:]
    return "\n".join(lines)


def _replace(match: re.Match[str]) -> str:
    start, end = match.span("secret")
    base = match.start()
    text = match.group(0)
    secret = match.group("secret")
    if REDACTED in secret:
        return text
    return text[: start - base] + REDACTED + text[end - base:]


def rules_for(platform: str | None) -> tuple[re.Pattern[str], ...]:
    """The line rules for ``platform`` (every rule for ``None`` or an unknown platform)."""
    return PLATFORM_RULES.get(platform or "", _ALL_RULES)


def redact(text: str | None, platform: str | None = None) -> str | None:
    """``text`` with every known secret replaced by ``<redacted>`` (``None`` stays ``None``).

    For configuration and other plain text. JSON goes through :func:`redact_output`.
    """
    if not text:
        return text
    out = _PRIVATE_KEY.sub(f"-----BEGIN \\1PRIVATE KEY\\2-----{REDACTED}-----END \\1PRIVATE KEY\\2-----", text)
    for rule in rules_for(platform) + _HASHES:
        out = rule.sub(_replace, out)
    return _redact_tables(out)


def redact_diff(diff: str | None, platform: str | None = None) -> str | None:
    """A unified diff of configurations, each line redacted without its first character (the
    ``+``/``-``/`` `` marker): rules anchored at the start of a configuration line (Junos
    ``community``, ``snmp-server ... auth``) must see the line as the device has it. Header and
    hunk lines (``---``, ``+++``, ``@@``) keep a non-space character in front, so no anchored
    rule matches them either way."""
    if not diff:
        return diff
    return "".join(line[:1] + (redact(line[1:], platform) or "") for line in diff.splitlines(keepends=True))


def redact_lines(lines: Iterable[str], platform: str | None = None) -> list[str]:
    """Each line redacted on its own (rendered commands before they are recorded)."""
    return [redact(ln, platform) or "" for ln in lines]


# -- structural ---------------------------------------------------------------------------
_SECRET_FIELDS = ("password", "passwd", "secret", "passphrase", "psk", "presharedkey", "authkey",
                  "authenticationkey", "keystring", "privatekey", "md5key", "apikey", "communitystring",
                  "authpassword", "privpassword", "privacykey", "wpapassphrase", "saepassword",
                  # OpenConfig aaa "secret-key" (TACACS+/RADIUS), "shared-key", "server-key", "priv-key"
                  "secretkey", "sharedkey", "serverkey", "privkey", "encryptionkey")
_SNMP_ONLY_FIELDS = ("community", "communityname")  # BGP communities are route data, not secrets


_FREE_TEXT_FIELDS = ("description", "desc", "alias", "ifalias", "banner", "remark", "comment", "motd")


def _free_text(key: str) -> bool:
    """An operator's free text (descriptions): not a secret, and must survive byte for byte
    (a postcheck compares it; config line rules exempt ``description`` lines the same way)."""
    k = _norm(key)
    return k in _FREE_TEXT_FIELDS or k.endswith("description")


def _norm(key: str) -> str:
    return re.sub(r"[^a-z0-9]", "", key.lower())


def _secret_field(key: str, in_snmp: bool) -> bool:
    # A field is a secret when its name ends in a secret's name; flags and metadata about a
    # secret (passwordRequired, keyId, passwordType) end in something else and are kept. (No
    # secret name ends in such a word; tests pin both lists.)
    k = _norm(key)
    if not k:
        return False
    if k == "key" or k.endswith(_SECRET_FIELDS):
        return True
    return in_snmp and k.endswith(_SNMP_ONLY_FIELDS)  # snmpCommunity, snmp_community_name too


def _wipe(value: Any) -> Any:
    """Every string inside a secret field's value (Junos wraps values: ``[{"data": "$9$..."}]``)."""
    if isinstance(value, str):
        return REDACTED if value else value
    if isinstance(value, dict):
        return {k: _wipe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_wipe(v) for v in value]
    return value


def redact_data(obj: Any, platform: str | None = None, *, _snmp: bool = False) -> Any:
    """A copy of parsed data (dicts, lists, strings, pydantic models) with secrets redacted by field.

    * a field named like a secret (``password``, ``secret``, ``authentication-key``, ``psk``,
      ``key`` ...; ``community`` under SNMP): every string in its value becomes ``<redacted>``;
    * a free-text field (``description``, ``alias``): kept as it is, like ``description`` lines
      (control characters dropped, as from every string);
    * a dictionary key that is a configuration line (EOS ``show running-config | json``) and
      every other string value: the line rules, applied to that one string.
    Numbers, booleans and ``None`` are kept; the shape never changes.
    """
    if hasattr(obj, "model_dump") and hasattr(type(obj), "model_validate"):
        return type(obj).model_validate(redact_data(obj.model_dump(), platform))
    if isinstance(obj, dict):
        out: dict[Any, Any] = {}
        for k, v in obj.items():
            snmp = _snmp or (isinstance(k, str) and "snmp" in k.lower())
            if isinstance(k, str) and _secret_field(k, snmp):
                out[k] = _wipe(v)
                continue
            if isinstance(k, str) and isinstance(v, str) and _free_text(k):
                out[k] = printable(v)
                continue
            nk = printable(redact(k, platform) or k) if isinstance(k, str) else k
            out[nk] = redact_data(v, platform, _snmp=snmp)
        return out
    if isinstance(obj, list):
        return [redact_data(v, platform, _snmp=_snmp) for v in obj]
    if isinstance(obj, tuple):
        return tuple(redact_data(v, platform, _snmp=_snmp) for v in obj)
    if isinstance(obj, str):
        return printable(redact(obj, platform) or obj)
    return obj


_JSON_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')


def redact_output(text: str | None, platform: str | None = None) -> str | None:
    """Command output, redacted by shape: JSON structurally (still valid JSON), text by line rules.

    JSON that comes back unchanged keeps its exact bytes. JSON-looking output that does not
    parse (several documents, a trailing prompt) is redacted one string literal at a time, so
    redaction itself can never break it. Control characters are dropped either way (JSON keeps
    C0 escaped as ``\\u001b``; a raw one, or a C1 character, is not JSON whitespace).
    """
    if not text:
        return text
    stripped = text.lstrip()
    if not stripped.startswith(("{", "[")):
        return printable(redact(text, platform) or "")
    try:
        data = json.loads(text)
    except ValueError:
        return printable(_redact_json_tokens(text, platform))
    clean = redact_data(data, platform)
    if clean == data:
        return printable(text)
    return json.dumps(clean, indent=2, ensure_ascii=False)


def _redact_json_tokens(text: str, platform: str | None) -> str:
    wipe = False  # the previous key named a secret: the next string value is one
    free = False  # the previous key was a description: keep the next string value
    out: list[str] = []
    pos = 0
    for m in _JSON_STRING.finditer(text):
        out.append(text[pos:m.start()])
        pos = m.end()
        try:
            value = json.loads(m.group(0))
        except ValueError:
            out.append(m.group(0))
            continue
        if text[m.end():].lstrip().startswith(":"):
            wipe = wipe or _secret_field(value, False)
            free = _free_text(value)
            new = redact(value, platform) or value
        else:
            new = REDACTED if (wipe and value) else (value if free else (redact(value, platform) or value))
            wipe = free = False
        out.append(m.group(0) if new == value else json.dumps(new, ensure_ascii=False))
    out.append(text[pos:])
    return "".join(out)


# -- text people and models write ----------------------------------------------------------
def redact_prose(text: str | None, *, pasted: bool = True) -> str | None:
    """Text a person or a model wrote: :func:`netops.privacy.redact_text` (the one free-text
    redaction; configuration blocks get these rules, prose only the forms that cannot be prose).
    ``pasted`` is accepted for callers written against the first version and changes nothing."""
    from netops.privacy import redact_text

    return redact_text(text)
