"""A team's own folder of knowledge, added and asked about offline (know33).

Builds a folder the way a team has one (Markdown runbooks with YAML front matter, a wiki page
exported as HTML with its sidebar, plain text, a cp1252 file, a PDF, 3GPP clause excerpts in
Markdown and plain text, a copied runbook), indexes it with ``netops kb add`` into a fresh
``NETOPS_HOME`` and asks twelve questions in the team's words with no model
(``Assistant.ask(offline=True)``). Per question: answered from the documents at all (not "no
known intent"), and the first citation the right file and section (and not an abstention); over the index: identical passages
in a top 5, front matter or sidebar text found as a passage, deleted file still indexed after the
folder is added again.

    python bench/team_folder.py [--src DIR] [--embedder none|minilm] [--json]

``--src`` runs another netops source tree (e.g. ``git archive`` of an older commit) for a
before/after in the same run conditions. Figures only, no target.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ap = argparse.ArgumentParser()
ap.add_argument("--src", help="netops source tree to run (default: this repository)")
ap.add_argument("--embedder", default="none", choices=["none", "minilm"])
ap.add_argument("--json", action="store_true")
opts = ap.parse_args()
sys.path.insert(0, opts.src or str(Path(__file__).resolve().parents[1]))
for k, v in {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "ORT_DISABLE_TELEMETRY": "1",
             "ANONYMIZED_TELEMETRY": "False", "NETOPS_MODEL_REVIEW": "false"}.items():
    os.environ.setdefault(k, v)

FILES = {
    "runbooks/core-upf-failover.md": (
        "---\ntitle: UPF failover\nowner: core-team\ntags: [5gc, upf, n4]\n---\n# Runbook: UPF failover\n\n"
        "## Symptoms\n\nThe SMF raises alarm `PFCP-HB-LOSS` and new PDU sessions fail with cause 0x1A.\n\n"
        "## Checks\n\n### 1. PFCP heartbeat\n\nA peer with more than 3 missed heartbeats is declared dead after "
        "9 seconds; the team threshold for paging is 5 missed heartbeats.\n"),
    "runbooks/mpls-ldp-flap.md": (
        "---\ntitle: LDP session flapping\nowner: transport\n---\n# Runbook: LDP session flapping\n\n## Checks\n\n"
        "### 1. Hello adjacency\n\nThe LDP hello hold time on the Rhine ring is set to 45 seconds.\n\n### 2. MTU\n\n"
        "The core MTU on the Rhine ring is 9178 bytes; a mismatch with 1500 breaks targeted LDP.\n"),
    "old/mpls-ldp-flap-copy.md": None,  # the same runbook, copied
    "misc/change-freeze.txt": ("Change freeze policy\n\nThe network change freeze runs from 15 December to "
                               "5 January every year; only emergency changes approved by the duty manager may be made.\n"),
    "wiki/sbc-registration.html": (
        "<html><head><title>SBC registration storms - Wiki</title><script>var t=1;</script></head><body>"
        "<nav><a href='/'>Home</a></nav><div id='sidebar'><h3>Recently viewed</h3><ul><li>Lunch menu</li>"
        "<li>Holiday rota</li></ul></div><main><h1>SBC registration storms</h1><h2>Throttle settings</h2>"
        "<p>The throttle limit on the Berlin SBC pair is 1,200 registrations per second.</p><h2>Who to call</h2>"
        "<p>The voice core team owns the SBCs; their queue is VOICE-CORE.</p></main><footer>Powered by Wiki</footer>"
        "</body></html>"),
    "3gpp/ts23501-5.6.1.md": ("# TS 23.501 clause 5.6.1\n\n## 5.6.1 General\n\nOur default DNN is internet.example."
                              "\n\n## 5.6.2 Interaction with DN-AAA\n\nIn our network the DN-AAA timeout is 4 seconds.\n"),
    "3gpp/ts23501-5.7.txt": ("TS 23.501 clause 5.7 QoS model\n\n5.7.1 General Overview\n\nOur team reserves QFI 9 "
                             "for best-effort traffic and QFI 1 for voice.\n\n5.7.2 QoS Flow parameters\n\n"
                             "Our default ARP priority level for voice is 2.\n"),
}
SPLICES = (b"Fiber splice notes\n\nThe splice loss budget per splice is 0.1 dB on the Munich metro ring.\n"
           b"Caf\xe9 building patch panel PP-\xa712 holds the spare pairs.\n")
QUESTIONS = [
    ("What is the LDP hello hold time on the Rhine ring?", "mpls-ldp-flap"),
    ("what is the core MTU on the Rhine ring?", "mpls-ldp-flap"),
    ("when does the change freeze start?", "change-freeze"),
    ("who owns the SBCs?", "sbc-registration (Who to call)"),
    ("what is the throttle limit on the Berlin SBC pair?", "sbc-registration (Throttle settings)"),
    ("which QFI is reserved for voice?", "ts23501-5.7|TS 23.501 §5.7.1"),
    ("what is the DN-AAA timeout?", "ts23501-5.6.1 §5.6.2|TS 23.501 §5.6.2"),
    ("what is the splice loss budget on the Munich metro ring?", "latin1-splices"),
    ("how many missed PFCP heartbeats before we page?", "core-upf-failover §1"),
    ("which alarm does the SMF raise when PFCP heartbeats are lost?", "core-upf-failover (Symptoms)"),
    ("what is the fade margin target for E-band links?", "mw-backhaul §2"),
    ("who do I call for a link below 20 dB fade margin?", "mw-backhaul §3"),
]


def _pdf(pages: list[list[str]]) -> bytes:
    objs: list[bytes] = [b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for lines in pages:
        body = "BT /F1 11 Tf 50 780 Td 14 TL\n" + "".join(f"({ln}) '\n" for ln in lines) + "ET"
        objs.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(body), body.encode("latin-1")))
        objs.append(b"<< /Type /Page /Parent PAGES 0 R /MediaBox [0 0 612 842] /Contents %d 0 R "
                    b"/Resources << /Font << /F1 1 0 R >> >> >>" % len(objs))
        kids.append(len(objs))
    objs.append(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids)))
    pages_id = len(objs)
    objs.append(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    out, offs = b"%PDF-1.4\n", []
    for i, o in enumerate(objs, 1):
        offs.append(len(out))
        out += b"%d 0 obj\n" % i + o.replace(b"PAGES", str(pages_id).encode()) + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offs)
    return out + b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, len(objs), xref)


def build(root: Path) -> None:
    for rel, text in FILES.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text if text is not None else FILES["runbooks/mpls-ldp-flap.md"])
    (root / "misc" / "latin1-splices.txt").write_bytes(SPLICES)
    (root / "misc" / "mw-backhaul.pdf").write_bytes(_pdf([
        ["Microwave Backhaul Design Guide", "1 Introduction", "This guide covers the E-band links.",
         "2 Link budget", "The fade margin target for E-band links is 35 dB at 99.999 percent availability."],
        ["3 Escalation", "Call the radio planning team (queue RADIO-PLAN) for any link below 20 dB fade margin."]]))
    (root / "misc" / "empty.md").write_text("")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="netops-team-") as tmp:
        home, team = Path(tmp) / "home", Path(tmp) / "team"
        os.environ["NETOPS_HOME"] = str(home)
        os.environ["NETOPS_KB__EMBEDDER"] = opts.embedder
        os.environ["NETOPS_INVENTORY"] = str(Path(tmp) / "no-inventory.yaml")
        build(team)
        from netops.assistant import Assistant
        from netops.playbook.approval import DenyAll
        from netops.rag.kb import KnowledgeBase
        from netops.session import Session
        from netops.settings import load_settings

        settings = load_settings()
        t0 = time.perf_counter()
        with KnowledgeBase(settings) as kb:
            report = kb.add([team])
            add_s = time.perf_counter() - t0
            dup_questions = 0
            for q, _ in QUESTIONS:
                texts = [" ".join(h.chunk.text.split()) for h in kb.search(q, top_k=5)]
                dup_questions += len(texts) != len(set(texts))
            junk = {probe: any(mark in h.chunk.text for h in kb.search(probe, top_k=10, mode="lexical"))
                    for probe, mark in (("owner core-team tags", "owner:"), ("recently viewed lunch menu", "Lunch menu"))}
            (team / "misc" / "change-freeze.txt").unlink()
            kb.add([team])
            stale = any(r.source.endswith("change-freeze.txt") for r in kb.list())
            (team / "misc" / "change-freeze.txt").write_text(FILES["misc/change-freeze.txt"])
            kb.add([team])
        rows = []
        with Session(settings, actor="bench") as session:
            assistant = Assistant(session, approver=DenyAll())
            for q, want in QUESTIONS:
                a = assistant.ask(q, offline=True)
                cited = a.citations[0] if a.citations else ""
                rows.append({"question": q, "answered": "no known intent" not in a.text and bool(a.citations),
                             "right_file": any(cited.startswith(w) for w in want.split("|")) and not a.abstained,
                             "citation": cited})
        out = {"src": opts.src or "this repository", "embedder": opts.embedder,
               "add": {"added": len(report.added), "failed": len(report.failed), "chunks": report.chunks,
                       "seconds": round(add_s, 1)},
               "answered": sum(r["answered"] for r in rows), "right_file": sum(r["right_file"] for r in rows),
               "questions": len(rows), "questions_with_duplicate_passages_in_top5": dup_questions,
               "junk_passages": junk, "deleted_file_still_indexed": stale, "rows": rows}
        if opts.json:
            print(json.dumps(out, indent=2))
            return
        print(f"src: {out['src']}  embedder: {opts.embedder}")
        print(f"kb add: {out['add']}")
        print(f"answered from the documents: {out['answered']}/{len(rows)}; first citation from the right file: "
              f"{out['right_file']}/{len(rows)}")
        print(f"questions with the same passage twice in the top 5: {dup_questions}/{len(rows)}")
        print(f"junk found as passages: {junk}; deleted file still indexed: {stale}")
        for r in rows:
            mark = "ok " if r["answered"] and r["right_file"] else "-- "
            print(f"  {mark}{r['question']}  ->  {r['citation'] or '(no citation)'}")


main()
