"""Redaction over public device captures: which secret-bearing lines survive ``redact``?

Reads the local snapshots (``fetch`` into ``/work/.mirror``) of the parser sweep's sources, takes
every text file (not code) with a line that names a secret (password, secret, community, key,
cipher, ...), runs :func:`netops.devices.redact.redact` over the whole file with the platform its
path names (every rule when none), and lists the lines that came out unchanged while a word after
the secret's keyword looks like a value (not a keyword, a number alone or a placeholder). Those are
read by hand: a real leak, or a line that holds no secret (``service password-encryption``, ``set
community 65000:1`` in a route map). Nothing of the captures is written anywhere.

    python bench/redact_sweep.py [--mirrors /work/.mirror] [--show N] [--json]
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

from netops.devices.redact import redact

MIRRORS = Path("/work/.mirror")
KEYWORDS = re.compile(r"(?<![\w-])(secret|password|passwd|community|authentication-key|pre-shared-key|key-string|"
                      r"cipher|md5-password|psk|passphrase|key)\s+(\S+)", re.I)
SKIP_EXT = (".py", ".c", ".h", ".go", ".js", ".ts", ".rst", ".java", ".rs", ".cpp", ".sh", ".yang", ".html", ".css")
# values after a keyword that are no secret: keywords, levels, algorithm names, placeholders
BENIGN = re.compile(
    r"^(?:\d{1,2}|encryption|encrypted|encrypt|chain|config-key|\*+|<[^>]*>|\{|\[|\(|x+|none|required|"
    r"level|type|md5|sha\S*|hmac\S*|cipher|simple|plain|irreversible-cipher|hash2?|authentication|"
    r"timeout|retransmit|mode|policy|list|name|id|value|no|yes|enable|disable|is|for|of|the|to|and|with|"
    r"auth\S*|priv|recovery|aging|min\S*|max\S*|length|complexity|history|lifetime|warning|expir\S*|"
    r"\d+:\d+\S*|additive|internet|no-export|no-advertise|local-as|gshut|delete|none;|set|members|"
    r"\"?\$[0-9a-z]+\$\S*|<redacted>\S*|redacted|xxx\S*|\S*\*\*\*\S*|change-interval|lockout\S*)$", re.I)


_PROSE = re.compile(r'"(?:Info|FuncDef|ExtraInfo|Parameters|Format|Example)"|\*\*|\]\(|^\s*[#|>*-]\s|[.:]\s*$')
_NOT_SECRET = re.compile(
    r"public[- ]key|key[- ]pair|key-chain|keychain|key chain|ssl\.key|\.key\b|key-id|key id|cipher \d+ \{|"
    r"attribute|entries|using \d+ bytes|community-list|community list|match community|set community|"
    r"extcommunity|ext-community|large-community|send-community|community (?:add|delete|set)\b|members|"
    r"password-encryption|password-policy|password policy|no password|authentication-key-chain|"
    r"community-filter|advertise-community|from community|community \{?\d+:\d+", re.I)


def interesting(line: str, keyword: str) -> bool:
    """A configuration-like line whose secret a reader would expect gone (not prose, not a BGP
    community in a policy, not a key's name or number)."""
    if len(line.split()) > 14 or _PROSE.search(line) or _NOT_SECRET.search(line):
        return False
    if keyword.lower() == "community":  # a BGP community is route data; an SNMP one is a password
        return "snmp" in line.lower() or re.match(r"^\s*community\s+\S+\s*[;{]?\s*$", line) is not None
    return True


def _platform(repo: str, path: str, nos: dict[str, str]) -> str | None:
    p = f"{repo}/{path}".lower()
    for snap, n in nos.items():
        if path.startswith(snap):
            return n
    for words, platform in ((("iosxr", "ios_xr", "cisco_xr", "xrv"), "cisco_xr"),
                            (("nxos", "nx-os", "nexus"), "cisco_nxos"),
                            (("junos", "juniper", "vmx", "vqfx"), "juniper_junos"),
                            (("sros", "nokia", "timos"), "nokia_sros"),
                            (("huawei", "vrp", "ce6800", "ne40e", "napalm-ce"), "huawei_vrp"),
                            (("arista", "eos", "ceos", "eantc", "only-mitch"), "arista_eos"),
                            (("frr", "cumulus", "topotests"), "frr"),
                            (("iosxe", "ios_xe", "cisco_ios", "cisco.ios", "/ios/", "iosv"), "cisco_ios")):
        if any(w in p for w in words):
            return platform
    return None


def _batfish_nos(root: Path) -> dict[str, str]:
    names = {"ios": "cisco_ios", "iosxe": "cisco_ios", "nxos": "cisco_nxos", "iosxr": "cisco_xr", "eos": "arista_eos",
             "junos": "juniper_junos", "cumulus": "frr", "sros": "nokia_sros"}
    out: dict[str, str] = {}
    files = subprocess.run(["git", "ls-tree", "-r", "--name-only", "HEAD"], cwd=root, capture_output=True,
                           text=True).stdout.split()
    for f in files:
        if f.endswith("host_nos.txt"):
            text = subprocess.run(["git", "show", f"HEAD:{f}"], cwd=root, capture_output=True, text=True).stdout
            base = f.rsplit("/", 1)[0]
            for line in text.splitlines():
                host, _, nos = line.partition(":")
                if nos.strip().lower() in names:
                    out[f"{base}/configs/{host.strip()}"] = names[nos.strip().lower()]
                    out[f"{base}/show/{host.strip()}/"] = names[nos.strip().lower()]
    return out


def sweep(mirrors: Path) -> tuple[Counter, list[dict[str, str]]]:
    counts: Counter = Counter()
    survivors: list[dict[str, str]] = []
    for repo_dir in sorted(p for p in mirrors.iterdir() if (p / "repo").is_dir()):
        root = repo_dir / "repo"
        repo = repo_dir.name
        listed = subprocess.run(["git", "grep", "-l", "-I", "-i", "-E",
                                 r"(secret|password|passwd|community|authentication-key|pre-shared-key|key-string|cipher|psk|passphrase) ",
                                 "HEAD"], cwd=root, capture_output=True, text=True).stdout.split("\n")
        nos = _batfish_nos(root) if repo == "batfish+lab-validation" else {}
        for entry in filter(None, listed):
            path = entry.split(":", 1)[1]
            if path.lower().endswith(SKIP_EXT) or "/.github/" in path:
                continue
            text = subprocess.run(["git", "show", f"HEAD:{path}"], cwd=root, capture_output=True, text=True,
                                  errors="replace").stdout
            if len(text) > 2_000_000:
                continue
            platform = _platform(repo, path, nos)
            after = redact(text, platform) or ""
            before_lines, after_lines = text.splitlines(), after.splitlines()
            if len(before_lines) != len(after_lines):
                after_set = set(after_lines)
                pairs = [(ln, ln if ln in after_set else "") for ln in before_lines]
            else:
                pairs = list(zip(before_lines, after_lines))
            counts["files"] += 1
            for b, a in pairs:
                m = KEYWORDS.search(b)
                if not m:
                    continue
                counts["keyword lines"] += 1
                if a != b:
                    counts["redacted"] += 1
                    continue
                value = m.group(2).strip('";,')
                if BENIGN.match(m.group(2)) or BENIGN.match(value) or len(value) < 3 or not interesting(b, m.group(1)):
                    continue
                counts["survivors"] += 1
                survivors.append({"repo": repo, "path": path, "platform": platform or "-", "line": b.strip()[:160]})
    return counts, survivors


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mirrors", type=Path, default=MIRRORS)
    ap.add_argument("--show", type=int, default=400)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    counts, survivors = sweep(a.mirrors)
    if a.json:
        print(json.dumps({"counts": counts, "survivors": survivors}, indent=1))
        return 0
    print(dict(counts))
    shapes: dict[str, list[dict[str, str]]] = defaultdict(list)
    for s in survivors:  # one row per line shape (digits and the value folded)
        key = re.sub(r"\d+", "N", KEYWORDS.sub(lambda m: f"{m.group(1)} V", s["line"]))[:90]
        shapes[f"{s['platform']} | {key}"].append(s)
    for key, rows in sorted(shapes.items(), key=lambda kv: -len(kv[1]))[:a.show]:
        print(f"{len(rows):4d}  {key}\n      e.g. {rows[0]['repo']}:{rows[0]['path']}: {rows[0]['line']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
