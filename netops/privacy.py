"""Secrets in free text: what a person types or pastes and what a model writes.

:func:`redact_text` is the one function every library boundary applies to free text before it
is stored (conversation history and its search index, the audit log), sent to a model, logged,
or handed to a surface. Device output has its own, broader rules (:mod:`netops.devices.redact`);
those find a secret by the keyword before it (``password X``), which in prose would turn "what
is the password recovery procedure?" into "what is the password <redacted>". So free text gets:

* **Configuration blocks** (a Markdown code fence, or two or more consecutive lines that read
  like configuration: indented statements, ``!``, braces, ``set ...``, ``hostname``, ``interface``
  ...) are configuration: every device rule applies to them, as to device output.
* **Everywhere else**, only forms that cannot be prose:

  - a secret's *shape*: crypt hashes and Junos/IOS ``$9$``/``$8$``/``$1$``..., Huawei ciphers,
    type-7 hex after ``password 7``/``key 7``, PEM/OpenSSH/PGP private key blocks, URL
    credentials (``ssh://user:pass@host``), bearer and API tokens (``Bearer ...``, ``ghp_...``,
    JWTs, ``api_key=...``), ``password=...`` and ``"password": "..."``;
  - a quoted value after a secret keyword (``encrypted-password "..."``, ``community "x"``);
  - a configuration statement inside a sentence (``enable secret X``, ``username u password X``,
    ``snmp-server community X RO``, ``neighbor A password X``, ``key-string X``,
    ``pre-shared-key X``, ``crypto isakmp key X``, TACACS+/RADIUS/NTP/OSPF keys) when the word
    in the secret's place looks like a secret (a digit, a symbol, an inner capital), or its line
    reads as configuration rather than a sentence, or an SNMP access word follows (``RO``) -- and
    never when it is an ordinary word of a question ("password recovery", "key rotation",
    "community string", "secret vs password") or a placeholder (``PASSWORD``, ``<key>``).
    A plain word said to be a password inside a question ("is enable secret cisco ok?") is kept:
    it cannot be told from prose.

Secrets become ``<redacted>`` (the same marker as device output); text without a secret comes
back byte for byte. Redacting twice changes nothing more.
"""

from __future__ import annotations

import os
import re
from typing import Any

from netops.devices.redact import _HASHES, _PRIVATE_KEY, REDACTED, _replace, redact

__all__ = ["REDACTION_VERSION", "RedactingStream", "redact_text", "redact_text_in"]

REDACTION_VERSION = 3
"""Raised whenever the rules here find more: stores written under an older version are
redacted again when opened (:meth:`netops.store.history.History.redact_all`)."""

# Words that stand where a secret would in a statement but are the prose of a question
# ("enable secret vs enable password", "username and password", "key-string format").
_PROSE_WORDS = (
    "a an the and or but nor vs versus is are was were be been being am do does did done doing "
    "for of to in on at by with without from into onto about after before between over under via "
    "not no never it its this that these those there here then than so such as if when where which "
    "what why how who whom whose while should shall must can could would will may might need needs "
    "i we you he she they me us my our your their "
    "recovery recover reset resets policy policies complexity length lengths rotation rotate rotating "
    "mismatch mismatches encryption encrypted encrypt hashing hash hashed hashes type types format "
    "formats string strings command commands syntax configuration configurations config configs "
    "configured configure option options field fields prompt prompts change changes changed changing "
    "expiry expiration expire expires storage stored store requirement requirements setting settings "
    "management level levels best practice practices work works worked working fail fails failed "
    "failing failure failures mean means meaning keyword keywords value values parameter parameters "
    "feature features authentication auth error errors issue issues problem problems example examples "
    "used use uses using set sets show shows shown display missing wrong correct required optional "
    "length-check lockout lockouts manager managers vault vaults file files chain chains id ids "
    "algorithm algorithms exchange exchanges mode modes method methods support supported "
    "protection protected protect plaintext cleartext clear text strength strong weak "
    "per every each all any some same other another different default defaults one two "
    "statement statements line lines entry entries list lists table tables "
    "name names user users account accounts login logins access read write only ro rw "
    "etc e.g. i.e. md5 sha sha1 sha2 sha256 sha384 sha512 aes aes128 aes192 aes256 3des des v1 v2 v2c v3 "
    "ipv4 ipv6 scrypt pbkdf2 type5 type7 type8 type9 type-5 type-7 type-8 type-9"
).split()
_PROSE = "|".join(sorted({re.escape(w) for w in _PROSE_WORDS}, key=len, reverse=True))
# A secret word in a sentence: not a prose word, not a placeholder (PASSWORD, <key>, [secret],
# {token}, x, ...: the whole word, so "xx#Pw9z" or "(priv8)" are secrets), taken whole up to the
# next space: its last characters may be punctuation ("Sup3r!", "Abc123.)"), and a full stop too
# many redacted costs nothing while a secret's last character shown is a leak.
_NOT_PROSE = (rf"(?!(?:{_PROSE})[.,;:!?)]*(?:\s|$))(?-i:(?![A-Z_-]+[.,;:!?)]*(?:\s|$)))"
              r"(?![<\[{(][A-Za-z_ -]*[>\]})][.,;:!?)]*(?:\s|$))(?!x{1,3}[.,;:!?)]*(?:\s|$))(?!\.{2,})"
              r"(?!\w[.,;:!?)]*(?:\s|$))")
_WORD = _NOT_PROSE + r"(?P<secret>[^\s\"'`]+)"
_QUOTED = r"(?P<secret>\"[^\"\n]{4,}\"|'[^'\n]{4,}')"  # not a one-letter name: key 'A' 
# Only a clear-text type (0) or type 6 may stand before a secret word here: after 5, 7, 8 or 9
# comes a hash or hex (matched by shape), and a word after them is prose ("secret 5 still ...").
_TYPE = r"(?:[06]\s+)?"
_KEYWORDS = (r"(?:encrypted-password|plain-text-password-value|password|passwd|secret|key-string|"
             r"pre-shared-key|authentication-key|passphrase|psk|auth-password|"
             r"privacy-password|server-key|key)")
_ALGO = r"(?:(?:[0-9]|ascii-text|hexadecimal|ascii|hex|md5|sha\d*|clear|cleartext|encrypted|plain)\s+)?"


class _Rule:
    """A pattern compiled the first time it is used. Most texts name none of a rule's words
    (``_narrow`` skips it then), and the statement rules, each carrying the prose-word
    alternation, took 0.1-0.2 s of every process start to compile up front."""

    __slots__ = ("pattern", "flags", "_compiled")

    def __init__(self, pattern: str, flags: int) -> None:
        self.pattern, self.flags = pattern, flags
        self._compiled: re.Pattern[str] | None = None

    def sub(self, repl: Any, string: str) -> str:
        if self._compiled is None:  # two threads may both compile it: the same pattern either way
            self._compiled = re.compile(self.pattern, self.flags)
        return self._compiled.sub(repl, string)


def _rx(*patterns: str, flags: int = re.IGNORECASE | re.MULTILINE) -> tuple[_Rule, ...]:
    return tuple(_Rule(p, flags) for p in patterns)


# Secrets by shape: safe anywhere.
_SHAPES = _rx(
    r"\b[a-z][a-z0-9+.-]*://[^\s/:@\"']+:(?P<secret>[^\s@/\"']+)@",  # URL credentials
    r"(?P<secret>(?P<m>%\^%#|%@%@|%\$%\$|%#%#)\S+?(?P=m))",  # Huawei VRP ciphers
    r"(?P<secret>\$1[a-d]\$\S+)",
    rf"\b{_KEYWORDS}\s+7\s+(?P<secret>[0-9A-F]{{4,}})\b",  # Cisco type 7 (hex)
    rf"\b{_KEYWORDS}\s+{_ALGO}{_QUOTED}",  # a quoted secret after its keyword
    # tokens: HTTP authorisation, well-known token prefixes, JWTs, key=value and JSON credentials
    r"\bAuthorization\s*:\s*(?:Bearer|Basic|Token|Digest)?\s*(?P<secret>[^\s\"']+)",
    # a bare "Bearer|Token X": X on the same line, with a letter and a digit ("token  ....." is a TOC line)
    r"\b(?:Bearer|Token)[ \t]+(?=[\w.~+/-]*\d)(?=[\w.~+/-]*[A-Za-z])(?P<secret>[A-Za-z0-9._~+/-]{16,}=*)",
    r"(?P<secret>\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|glpat-[A-Za-z0-9_-]{20,}|"
    r"xox[abposr]-[A-Za-z0-9-]{10,}|AKIA[0-9A-Z]{16}|AIza[0-9A-Za-z_-]{30,}|sk-[A-Za-z0-9_-]{20,}))",
    r"(?P<secret>\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,})",
    (r"(?<![\w-])(?:password|passwd|pwd|secret|passphrase|psk|api[_-]?key|api[_-]?token|access[_-]?token|"
     r"auth[_-]?token|secret[_-]?key|client[_-]?secret|private[_-]?token|x-api-key|"
     r"aws_secret_access_key)[ \t]*=[ \t]*(?P<secret>\"[^\"\n]*\"|'[^'\n]*'|[^\s\"',;&]+)"),
    (r"[\"'](?:password|passwd|secret|passphrase|psk|api[_-]?key|api[_-]?token|access[_-]?token|"
     r"auth[_-]?token|secret[_-]?key|client[_-]?secret|private[_-]?key|token|community)[\"']\s*:\s*"
     r"(?P<secret>\"[^\"\n]+\"|'[^'\n]+')"),
    (r"\b(?:api[_-]?key|api[_-]?token|access[_-]?token|auth[_-]?token|client[_-]?secret|x-api-key|"
     r"secret[_-]?key)\s*:\s*(?=\S*\d)(?P<secret>[A-Za-z0-9._~+/-]{8,}=*)"),
)

# Configuration statements inside a sentence: the secret must not be a word of the sentence.
_STATEMENTS = _rx(
    rf"\benable\s+(?:secret|password)\s+(?:level\s+\d+\s+)?{_TYPE}{_WORD}",
    (rf"\busername\s+{_NOT_PROSE}\S+(?:\s+(?:privilege\s+\d+|role\s+\S+|algorithm-type\s+\S+))*"
     rf"\s+(?:secret|password)\s+{_TYPE}{_WORD}"),
    rf"\bneighbor\s+{_NOT_PROSE}\S+\s+password\s+{_TYPE}{_WORD}",
    rf"\bsnmp-server\s+community\s+{_TYPE}{_WORD}",
    rf"\bsnmp-server\s+host\s+\S+\s+(?:(?:informs|traps)\s+)?(?:version\s+(?:1|2c)\s+){_WORD}",
    rf"\bkey-string\s+{_TYPE}{_WORD}",
    rf"\bpre-shared-key\s+(?:(?:local|remote|ascii-text|hexadecimal)\s+)?(?:(?:address|hostname)\s+\S+\s+key\s+)?{_TYPE}{_WORD}",
    rf"\bcrypto\s+isakmp\s+key\s+{_TYPE}{_WORD}",
    rf"\b(?:tacacs-server|radius-server)\s+(?:host\s+\S+\s+(?:[\w-]+\s+\d+\s+)*)?key\s+{_TYPE}{_WORD}",
    rf"\b(?:ip\s+)?ospf\s+authentication-key\s+{_TYPE}{_WORD}",
    rf"\bmessage-digest-key\s+\d+\s+md5\s+{_TYPE}{_WORD}",
    rf"\bntp\s+authentication-key\s+\d+\s+(?:md5|sha\d*)\s+{_TYPE}{_WORD}",
    rf"\b(?:area|domain)-password\s+{_WORD}",
    rf"\bset\s+snmp\s+community\s+{_WORD}",
    rf"\bencrypted-password\s+{_WORD}",
    rf"\bcommunity\s+name:\s*{_WORD}",  # "show snmp community" output
)

_FENCE = re.compile(r"^[ \t]*(```|~~~)[^\n]*\n.*?(?:^[ \t]*\1[ \t]*$|\Z)", re.MULTILINE | re.DOTALL)

# Configuration lines, for finding pasted blocks.
# Function words of a sentence: two different ones in a line make it prose, not configuration
# ("any", "all", "no", "host", "from", "then" are left out: ACLs and Junos policies use them).
_SENTENCE_WORDS = ("a an the is are was were be been being has have had do does did how what why which who "
                   "whom should could would can cannot will shall must may might i we you he she they me my our "
                   "your their its please it this that these those there and or but for of to in on with about "
                   "not if when where while vs versus than such other each only also more most because however "
                   "used using into by as at so very").split()
_SENTENCE_SET = frozenset(_SENTENCE_WORDS)
# First words of configuration lines (IOS/NX-OS/EOS/XR, Junos, SR OS, VRP, FRR): half the lines of
# a block must start with one (or be structure: "!", braces, ";"), so indented prose (an RFC
# quoted in an answer) is not taken for configuration.
_CONFIG_HEADS = frozenset((
    "aaa accept-lifetime access access-list access-permissions action address address-family "
    "af-interface algorithm archive area area-password authentication authentication-key "
    "authentication-mode authentication-type authorization banner bfd bgp boot certificate class "
    "class-map cli client clock community configure crypto cryptographic-algorithm description "
    "domain domain-password dot11 echo edit enable encrypted-password end engine entry exec-timeout "
    "exit exit-address-family family feature firewall frr group hello-password hostname host-name "
    "hsrp hwtacacs-server interface interfaces ip ipv6 isis key key-chain key-string keychain "
    "keyring line local-user logging login lsp-password match md5-password message-digest-key "
    "mpls mtu neighbor neighbor-group network ntp ntp-service ospf ospf6 password peer peer-as "
    "permit deny policy-map policy-options policy-statement ppp pre-shared-key prefix-list "
    "protocols radius radius-server redistribute remote-as root-authentication route-map "
    "route-target router router-id routing-options rd secret security segment-routing server "
    "server-private service set snmp snmp-agent snmp-server spanning-tree standby super "
    "switchport sysname system tacacs tacacs-server tacplus transport tunnel update-source "
    "user-interface username vlan vrf vrrp wlan wpa-psk psk shutdown no delete next quit "
    "timers log-adjacency-changes passive-interface ip-address user vtp ldap-server management "
    "shared-secret mac profile ssh-key trusted-key ike ike-policy ipsec kron l2tp-class "
    "local-address type unit level remote-servers usm-community user-params").split())
# A YANG module (quoted from an RFC) is structured like Junos but holds no secret: its
# "key name;" names a list's key leaf
_YANG = re.compile(r"^\s*(?:leaf|leaf-list|list|container|grouping|typedef|module|submodule|augment|rpc|"
                   r"notification|choice|identity)\s+\S+\s*\{")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")


def _config_like(line: str) -> tuple[bool, bool]:
    """(reads like a configuration line, anchors a block: indented, structural or a known head)."""
    s = line.strip()
    if not s or s.endswith("?") or _LIST_ITEM.match(line):
        return False, False
    split = s.split()
    if split[0].lower() in ("description", "remark", "alias", "banner") or s in ("!", "#", "}", "]"):
        return True, True
    words = len(split)
    if words > 30:  # before the prose count: a long line of prose costs it once per streamed token
        return False, False
    prose = len({w.lower().rstrip(".,;:!?)") for w in split} & _SENTENCE_SET)
    if (s.endswith(".") and words > 3) or prose >= 2:
        return False, False
    # configuration keywords are lower case: "Password recovery" as a line is a title, not one
    anchor = (s.startswith(("!", "#", "<")) or s.endswith(("{", ";", "}")) or split[0] in _CONFIG_HEADS
              or bool(re.match(r"^\S+(?:\([\w-]+\))?[#>]", s))  # a prompt: r1(config)#, user@host>
              or bool(re.match(r"^[\w.-]+(?: [\w.-]+)?\s*[=:]\s*\S", s)))  # key = value, Label: value
    return True, anchor


def _config_blocks(text: str) -> str:
    """Every device rule applied to runs of two or more configuration lines (one anchoring)."""
    lines = text.split("\n")
    kinds = [_config_like(ln) for ln in lines]
    out = list(lines)
    n = 0
    while n < len(lines):
        if not kinds[n][0]:
            n += 1
            continue
        end = n
        while end < len(lines) and kinds[end][0]:
            end += 1
        # at least half the lines of two or more words start like configuration
        counted = [anchor for (_, anchor), ln in zip(kinds[n:end], lines[n:end]) if anchor or len(ln.split()) > 1]
        if end - n >= 2 and counted and 2 * sum(counted) >= len(counted) and \
                not any(_YANG.match(ln) for ln in lines[n:end]):
            out[n:end] = (redact("\n".join(lines[n:end])) or "").split("\n")
        n = end
    return "\n".join(out)


# A secret's look: a digit, a symbol or an inner capital ("S3cret", "p@ss", "MyKey"); words like
# "better" or "recovery" after "enable secret" have none of these.
_SHAPED = re.compile(r"\d|[^\w\s.,;:!?()'\"-]|_|[a-z][A-Z]")


def _statement(match: re.Match[str]) -> str:
    """Redact a statement's secret word when it looks like a secret, or when its line reads as
    configuration (no question mark, not a sentence), or when an SNMP access word follows."""
    text = match.string
    start, end = match.span("secret")
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start: line_end if line_end >= 0 else len(text)]
    after = text[end:end + 8]
    if (_SHAPED.search(match.group("secret")) or _config_like(line)[0]
            or re.match(r"[ \t]+(?:RO|RW|ro|rw|view[ \t]|\d+\b)", after)):
        return _replace(match)
    return match.group(0)


# A secret said in a sentence or given under a label: "the enable password is Cisco123!", "set the
# community to s3cr3tRO", "the root password for r1 is 'Tr0ub4dor&3'", "- Password: hunter2". The
# value must look like a secret (a digit, a symbol, an inner capital) and end its clause (a line
# end, punctuation, or a joining word follows), so "the password is 8-64 characters" and "the
# password is stored hashed" stay; a label on a line of its own ("Password: cisco") is enough.
# "the password is cisco" stays: a plain word in a sentence cannot be told from prose.
_PROSE_KEYS = (r"(?:password|passwd|passphrase|passcode|secret|psk|pre-shared[ -]key|shared[ -]secret|"
               r"community(?:[ -]string)?)")
_CLAUSE_END = (r"(?=[.,;:!?)\]\"'`*]*[ \t]*$|[.,;!?)\]\"'`*]+\s|\s+(?:and|but|so|for|on|in|at|to|from|with|"
               r"then|or|if|when|until|before|after|via|\(|-|–|—)(?:\s|$))")
_PROSE_SECRETS = _rx(
    (rf"\b{_PROSE_KEYS}(?:[ \t]+(?:for|of|on)[ \t]+[^\s:,.]+)?(?:[ \t]+(?:is|was|to|=|-):?[ \t]+|[ \t]*[:=][ \t]*)"
     rf"(?P<q>[\"'`]?){_WORD}(?P=q){_CLAUSE_END}"),
    # (its line's start is checked in _prose_secret: a "^..." pattern tried at every line cost
    # 0.9 ms per 1,500 characters of RFC text)
    rf"(?P<label>\b){_PROSE_KEYS}(?:\*\*|__)?[ \t]*:(?:\*\*|__)?[ \t]*`?{_WORD}`?[ \t]*$",
)
_LABEL_HEAD = re.compile(r"[ \t]*(?:[-*+][ \t]+)?(?:\*\*|__)?[\w -]{0,20}")


# A BGP community is no secret: "the community is 65001:100", "set the community to 65001:666",
# "community: 64500:1:2" (large), "rt:65001:100" (extended), the well-known names. An SNMP community
# written like one is not told apart (none is in practice).
_BGP_COMMUNITY = re.compile(
    r"(?:(?:rt|soo|target|origin|bandwidth)[:])?\d{1,10}(?:\.\d{1,5})?(?::\d{1,10}){1,2}"
    r"|no[-_]export(?:[-_]subconfed)?|no[-_]advertise|no[-_]peer|local[-_]as|internet|graceful[-_]shutdown"
    r"|blackhole|accept[-_]own|llgr[-_]stale|no[-_]llgr", re.IGNORECASE)


# A hyphenated word that says how a secret is kept or what it is ("MD5-hashed", "IKEv2-compatible",
# "RFC2865-compliant", "SHA1-based", "128-bit"): its digit is the algorithm's or the size's, not a
# secret's ("Adm1n-2024" is one).
_DESCRIBED = re.compile(r"-(?:hashed|salted|encrypted|encoded|protected|based|signed|derived|generated|keyed|"
                        r"only|ready|compatible|compliant|capable|specific|aware|bits?|bytes?|"
                        r"chars?|characters?|digits?|long|length|style|like|safe|strong|wide)$")


def _prose_secret(match: re.Match[str]) -> str:
    """The rules above: a secret-shaped value, or the one word after a label on its own line. The
    punctuation that ends the clause stays ("The password is <redacted>." kept its full stop)."""
    raw = match.group("secret")
    secret = raw.rstrip(".,;:!?)]*`\"'")
    if "community" in match.group(0).lower() and _BGP_COMMUNITY.fullmatch(secret):
        return match.group(0)
    if "label" in match.re.groupindex:  # on a line of its own, after at most a few words
        head = match.string[match.string.rfind("\n", 0, match.start()) + 1:match.start()]
        return _replace_secret(match, secret) if _LABEL_HEAD.fullmatch(head) else match.group(0)
    if len(secret) >= 4 and _SHAPED.search(secret) and not _DESCRIBED.search(secret):
        return _replace_secret(match, secret)
    return match.group(0)


def _replace_secret(match: re.Match[str], secret: str) -> str:
    """``match`` with its secret redacted and what followed the secret in its word kept."""
    if REDACTED in secret or not secret:
        return _replace(match)
    start = match.start("secret") - match.start()
    text = match.group(0)
    return text[:start] + REDACTED + text[start + len(secret):]


# Words one of which each rule needs (lower case): a rule whose words are all absent from the
# text is not run (most prose names none of them; running every rule costs ~0.3 ms per KB each).
_SHAPE_NEEDS = (("://",), ("%",), ("$1",), ("7",), ('"', "'"), ("authorization",), ("bearer", "token"),
                ("gh", "glpat-", "xox", "akia", "aiza", "sk-"), ("eyj",), ("=",), (":",), (":",))
_STATEMENT_NEEDS = (("enable",), ("username",), ("neighbor",), ("snmp-server",), ("snmp-server",),
                    ("key-string",), ("pre-shared-key",), ("isakmp",), ("tacacs-server", "radius-server"),
                    ("authentication-key",), ("message-digest-key",), ("authentication-key",), ("-password",),
                    ("snmp",), ("encrypted-password",), ("community",))
assert len(_SHAPE_NEEDS) == len(_SHAPES) and len(_STATEMENT_NEEDS) == len(_STATEMENTS)


def _narrow(text: str) -> str:
    lower = text.lower()
    for needs, rule in zip(_SHAPE_NEEDS, _SHAPES):
        if any(w in lower for w in needs):
            text = rule.sub(_replace, text)
    for needs, rule in zip(_STATEMENT_NEEDS, _STATEMENTS):
        if any(w in lower for w in needs):
            text = rule.sub(_statement, text)
    if any(w in lower for w in ("pass", "secret", "psk", "pre-shared", "community")):
        for rule in _PROSE_SECRETS:
            text = rule.sub(_prose_secret, text)
    if "$" in text:
        for rule in _HASHES:
            text = rule.sub(_replace, text)
    return text


def redact_text(text: str | None) -> str | None:
    """``text`` (a question, a pasted configuration, a model's answer) with secrets replaced by
    ``<redacted>``; prose about passwords, keys and communities is kept byte for byte.
    ``None`` and ``""`` come back as they are."""
    if not text:
        return text
    out = _PRIVATE_KEY.sub(f"-----BEGIN \\1PRIVATE KEY\\2-----{REDACTED}-----END \\1PRIVATE KEY\\2-----", text)
    if "```" in out or "~~~" in out:
        out = _FENCE.sub(lambda m: redact(m.group(0)) or m.group(0), out)
    if "\n" in out:
        out = _config_blocks(out)
    return _narrow(out)


def redact_text_in(value: Any) -> Any:
    """A copy of a JSON-able value (dicts, lists, strings) with every string through
    :func:`redact_text` (keys are kept; numbers, booleans and ``None`` too)."""
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, dict):
        return {k: redact_text_in(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [redact_text_in(v) for v in value]
    return value


SETTLE_AFTER = 240
"""Unsettled characters of a prose line after which the stream settles it at a sentence end."""
SETTLE_ANYWHERE = 1_600
"""... and after which, with no sentence end, at a space."""
CONTEXT_WORDS = 16
"""Words before a settled point that the redaction of what follows still sees (more than any
statement's words before its secret: ``username X privilege 15 role Y secret 0 S``)."""
_SENTENCE_END = re.compile(r"[.!?][)\]\"'*_`]*[ \t]+(?=\S)")
_OPEN_QUOTE = re.compile(rf"(?:\b{_KEYWORDS}\s+{_ALGO}|[=:]\s*)(['\"])", re.IGNORECASE)


def _prose_for_good(head: str) -> bool:
    """Whatever follows on its line, a line that starts with ``head`` (complete words) is not
    configuration (:func:`_config_like` stays false: it has two sentence words, or more than
    30 words, or is a list item), so no block rule will ever reach into it."""
    s = head.strip()
    if not s:
        return False
    split = s.split()
    if split[0].lower() in ("description", "remark", "alias", "banner") or s in ("!", "#", "}", "]"):
        return False
    if _LIST_ITEM.match(head):
        return True
    return len(split) > 30 or len({w.lower().rstrip(".,;:!?)") for w in split} & _SENTENCE_SET) >= 2


def _open_quote(head: str) -> bool:
    """A quoted value (after a secret keyword, ``=`` or ``:``) starts in ``head`` and is not closed."""
    if head.count('"') % 2:
        return True
    return any(head.find(m.group(1), m.end()) < 0 for m in _OPEN_QUOTE.finditer(head))


class RedactingStream:
    """Streamed text (a model's tokens) as a screen may show it while it arrives.

    :meth:`feed` takes the next piece and returns ``(restart, text)``: ``text`` continues what
    was returned before, redacted like the whole would be. A word is held until the word after
    it is complete (a secret is complete before it is judged, and a word after it, as in
    ``community public RO``, may be what marks it), and lines that read like configuration are
    held until a line of prose follows (the next line may make them a block, whose rules reach
    back to the first line); a line of prose or a blank line settles what came before. A long
    line of prose is also settled inside, at a sentence end (or, when it has none, at a space)
    once it is :data:`SETTLE_AFTER` characters long, so each token costs a bounded amount of work;
    what follows is then redacted with the :data:`CONTEXT_WORDS` words before that point in view.
    ``restart`` is True in the rare case that later text changed what was already returned:
    ``text`` is then the whole of it, to show instead. :meth:`flush` at the end of the turn
    returns what was held back.
    """

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """A new turn: forget what was streamed."""
        self._raw = ""
        self._sent = ""
        self._base = 0  # raw[:base] is settled (ends at a paragraph break outside a fence or key)
        self._base_out = ""
        self._ctx = 0  # raw[ctx:base] is redacted again, as context, with what follows
        self._ctx_out = ""  # ... and this is what it settled as
        self._cut = 0
        self._memo: dict[tuple[str, int], Any] = {}  # facts about settled text (it does not change)
        # the last few :meth:`_redact` results: a feed that completes one word redacts the text
        # without that word, which the feed before redacted whole (the raw text only grows)
        self._redacted: dict[tuple[int, str, int], str | None] = {}

    def _closed_at(self, end: int) -> bool:
        key = ("closed", end)
        if key not in self._memo:
            self._memo[key] = _closed(self._raw[:end])
        return bool(self._memo[key])

    def _line_start(self, at: int) -> int:
        key = ("line", at)
        if key not in self._memo:
            self._memo[key] = self._raw.rfind("\n", 0, at) + 1
        return int(self._memo[key])

    def _redact(self, end: int) -> str | None:
        """``raw[base:end]`` redacted with its context in view; None when the context no longer
        redacts as it was settled (something reaches back across the settled point)."""
        key = (self._ctx, self._ctx_out, end)
        if key in self._redacted:
            return self._redacted[key]
        out = redact_text(self._raw[self._ctx:end]) or ""
        done = out[len(self._ctx_out):] if out.startswith(self._ctx_out) else None
        if len(self._redacted) >= 4:
            del self._redacted[next(iter(self._redacted))]
        self._redacted[key] = done
        return done

    def _unsettle(self) -> None:
        """Give up the settled point inside a line: redact from the start again (rare, safe)."""
        self._base, self._base_out, self._ctx, self._ctx_out = 0, "", 0, ""

    def _settle(self, cut: int) -> None:
        """Settle up to the end of the last complete line of prose (or blank line) outside a fence
        or a key block: no configuration block, and so no rule, reaches across such a line."""
        raw = self._raw
        end = raw.rfind("\n", self._base, cut)
        while end >= self._base:
            start = max(raw.rfind("\n", self._base, end) + 1, self._base)
            line = raw[start:end]
            if not line.strip() or not _config_like(line)[0]:
                head = raw[:end + 1]
                if _closed(head):
                    out = self._redact(end + 1)
                    if out is None:
                        self._unsettle()
                        return
                    self._base_out += out
                    self._base = self._ctx = end + 1
                    self._ctx_out = ""
                return
            end = start - 1

    def _settle_inline(self, hold: int) -> None:
        """Settle a long line of prose inside, before ``hold`` (the held last word): at its last
        sentence end, else (very long) its last space; only where no quote is open, the line can
        never become configuration and the text so far redacts alike with the point settled."""
        raw = self._raw
        line_start = self._line_start(self._base) if raw.find("\n", self._base, hold) < 0 else \
            raw.rfind("\n", self._base, hold) + 1
        lo = max(self._base, line_start)
        if hold - lo < SETTLE_AFTER or not self._closed_at(lo):
            return
        points = [m.end() for m in _SENTENCE_END.finditer(raw, lo, hold) if m.end() <= hold]
        if not points and hold - lo >= SETTLE_ANYWHERE:
            points = [i + 1 for i in (raw.rfind(" ", lo, hold - 1), raw.rfind("\t", lo, hold - 1)) if i >= lo]
        for p in sorted(points, reverse=True)[:2]:
            head = raw[line_start:p]
            if p <= lo or not _prose_for_good(head) or _open_quote(head):
                continue
            upto, whole = self._redact(p), self._redact(hold)
            if upto is None or whole is None or not whole.startswith(upto):
                continue
            # the next redactions start CONTEXT_WORDS words back (on this line), already settled as ctx_out
            ctx = p
            for _ in range(CONTEXT_WORDS):
                back = max(raw.rfind(" ", line_start, ctx - 1), raw.rfind("\t", line_start, ctx - 1))
                if back < line_start:
                    ctx = line_start
                    break
                ctx = back + 1
            ctx_out = redact_text(raw[ctx:p]) or ""
            settled = self._base_out + upto
            if not settled.endswith(ctx_out):
                continue
            self._base_out, self._base, self._ctx, self._ctx_out = settled, p, ctx, ctx_out
            return

    def flush(self) -> tuple[bool, str]:
        """The turn is complete: the rest of it, redacted as a whole (as :meth:`feed` returns)."""
        rest = self._redact(len(self._raw))
        if rest is None:
            self._unsettle()
            rest = redact_text(self._raw) or ""
        out = self._base_out + rest
        self._cut = len(self._raw)
        if out.startswith(self._sent):
            new, self._sent = out[len(self._sent):], out
            return False, new
        self._sent = out
        return True, out

    def feed(self, piece: str) -> tuple[bool, str]:
        self._raw += piece
        raw = self._raw
        cut = max(raw.rfind(" "), raw.rfind("\n"), raw.rfind("\t")) + 1
        if cut <= self._base or cut == self._cut:  # no new word is complete
            return False, ""
        self._cut = cut
        self._settle(cut)
        lines = raw[self._base:cut].split("\n")  # the last one is the line in progress
        # the first is judged whole: settled inside, its start is before base
        first = raw[self._line_start(self._base):self._base] + lines[0]
        keep = len(lines)
        for i in range(len(lines) - 1, -1, -1):  # trailing configuration lines wait for the next line
            line = first if i == 0 else lines[i]
            if not line.strip() and i == len(lines) - 1:
                continue
            if not line.strip() or not _config_like(line)[0]:
                break
            keep = i
        hold = min(cut, self._base + sum(len(ln) + 1 for ln in lines[:keep]))
        if hold == cut and raw[cut - 1] != "\n":  # and the last word: the next may decide ("public RO")
            hold = max(self._base, max(raw.rfind(c, self._base, cut - 1) for c in " \t\n") + 1)
        self._settle_inline(hold)
        # Only what the text so far and the text without its held part redact alike: a word
        # judged by what follows it ("public" before "RO") is not handed out before it is judged.
        full, part = self._redact(cut), self._redact(hold)
        if full is None or part is None:
            self._unsettle()
            full, part = redact_text(raw[:cut]) or "", redact_text(raw[:hold]) or ""
        # the held text is mostly a prefix of the whole: commonprefix walks both a character at a time
        out = self._base_out + (part if full.startswith(part) else os.path.commonprefix([full, part]))
        if out.startswith(self._sent):
            new, self._sent = out[len(self._sent):], out
            return False, new
        self._sent = out
        return True, out


def _closed(head: str) -> bool:
    """No fence or private key block is open at the end of ``head``."""
    return head.count("```") % 2 == 0 and head.count("~~~") % 2 == 0 and \
        head.count("-----BEGIN ") == head.count("-----END ")
