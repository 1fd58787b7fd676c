"""Secret redaction for device output, applied before anything is shown, logged or stored.

Each rule finds a secret by its context (the keyword before it) and replaces only the secret
with ``<redacted>``, keeping the line readable (``enable secret 5 <redacted>``).
"""

from __future__ import annotations

import re

REDACTED = "<redacted>"

_ENC = r"(?:(?:[0-9]|sha256|sha512|md5|plain|encrypted)\s+)?"  # optional encryption type
_SECRET = r"(?P<secret>\"[^\"\n]*\"|\S+)"

_RULES: tuple[re.Pattern[str], ...] = tuple(re.compile(p, re.IGNORECASE | re.MULTILINE) for p in (
    # enable secret / password, username ... secret|password
    rf"^\s*enable\s+(?:secret|password)\s+(?:level\s+\d+\s+)?{_ENC}{_SECRET}",
    rf"\busername\s+\S+(?:\s+(?:privilege\s+\d+|role\s+\S+|nopassword))*\s+(?:secret|password)\s+{_ENC}{_SECRET}",
    # BGP neighbor passwords (IOS, EOS, FRR)
    rf"\bneighbor\s+\S+\s+password\s+{_ENC}{_SECRET}",
    # SNMP communities (IOS/EOS/FRR) and Junos "community NAME {"
    rf"\bsnmp-server\s+community\s+{_SECRET}",
    rf"^\s*community\s+{_SECRET}(?=\s*[{{;]|\s*$)",
    rf"\bsnmp-server\s+user\s+\S+\s+\S+(?:\s+v3)?\s+auth\s+\S+\s+{_SECRET}",
    r"\bpriv\s+(?:des|3des|aes(?:\s+\d+)?)\s+(?P<secret>\S+)",
    # pre-shared keys, key chains, routing protocol authentication
    rf"\bpre-shared-key\s+(?:local\s+|remote\s+|ascii-text\s+|hexadecimal\s+)?{_ENC}{_SECRET}",
    rf"\bcrypto\s+isakmp\s+key\s+{_ENC}{_SECRET}",
    rf"\bkey-string\s+{_ENC}{_SECRET}",
    rf"\b(?:ip\s+)?ospf\s+authentication-key\s+{_ENC}{_SECRET}",
    rf"\bmessage-digest-key\s+\d+\s+md5\s+{_ENC}{_SECRET}",
    rf"\bauthentication-key\s+{_SECRET}",
    # TACACS+ / RADIUS keys
    rf"\b(?:tacacs-server|radius-server|tacacs|radius)\b[^\n]*?\bkey\s+{_ENC}{_SECRET}",
    rf"^\s*key\s+{_ENC}{_SECRET}",
    # Junos / generic quoted secrets
    rf"^(?!\s*(?:description|alias|banner)\b)[^\n]*?\b(?:encrypted-password|secret|password)\s+{_ENC}{_SECRET}",
))

_PRIVATE_KEY = re.compile(
    r"-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----.*?(?:-----END \1PRIVATE KEY-----|\Z)", re.DOTALL)


def _replace(match: re.Match[str]) -> str:
    start, end = match.span("secret")
    base = match.start()
    text = match.group(0)
    secret = match.group("secret")
    if secret == REDACTED or secret == f'"{REDACTED}"':
        return text
    return text[: start - base] + REDACTED + text[end - base:]


def redact(text: str | None) -> str | None:
    """``text`` with every known secret replaced by ``<redacted>`` (``None`` stays ``None``)."""
    if not text:
        return text
    out = _PRIVATE_KEY.sub(f"-----BEGIN \\1PRIVATE KEY-----{REDACTED}-----END \\1PRIVATE KEY-----", text)
    for rule in _RULES:
        out = rule.sub(_replace, out)
    return out
