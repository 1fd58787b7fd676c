from __future__ import annotations

from pathlib import Path

import pytest

from netops.errors import NotFoundError, NotVetted
from netops.playbook.catalogue import Catalogue
from netops.playbook.lint import lint_playbook
from netops.playbook.lock import Lock, content_hash, require_vetted

REPO = Path(__file__).resolve().parents[3]
SHIPPED = sorted(p.name for p in (REPO / "playbooks").iterdir() if (p / "playbook.yaml").exists())


def test_at_least_the_required_playbooks_ship():
    need = {"bgp-neighbor-shutdown", "bgp-neighbor-enable", "interface-description", "static-route-add",
            "static-route-remove", "ospf-cost", "router-drain", "router-undrain", "bgp-soft-clear", "bgp-health"}
    assert need <= set(SHIPPED)


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_playbooks_lint_clean(name):
    report = lint_playbook(REPO / "playbooks" / name)
    assert report.ok, report.problems


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_playbooks_are_vetted_in_the_shipped_lock(name):
    from netops.playbook.spec import load_playbook

    require_vetted(load_playbook(REPO / "playbooks" / name))


def _mutate(pb_dir: Path, name: str, old: str, new: str, file: str = "playbook.yaml") -> Path:
    f = pb_dir / name / file
    text = f.read_text()
    assert old in text
    f.write_text(text.replace(old, new))
    return pb_dir / name


@pytest.mark.parametrize("file,old,new,problem", [
    ("frr.j2", "neighbor {{ neighbor }} shutdown", "neighbor {{ neighbor }} shutdown\nend", "'end'"),
    ("frr.j2", "neighbor {{ neighbor }} shutdown", "do write memory", "'do'"),
    ("frr.j2", "neighbor {{ neighbor }} shutdown", "neighbor {{ nieghbor }} shutdown", "UndefinedError"),
    ("frr.j2", "neighbor {{ neighbor }} shutdown", "{{ ''.__class__.__mro__ }}", "SecurityError|unsafe|UndefinedError"),
    ("playbook.yaml", "rollback:\n  frr: rollback-frr.j2\n", "", "needs a rollback"),
    ("playbook.yaml", "    example: 198.51.100.2\n", "", "no example"),
    ("playbook.yaml", "command: show bgp summary json", "command: clear bgp *", "only run 'show"),
    ("playbook.yaml", "assert: ipv4Unicast.as exists", "assert: ipv4Unicast.as", "no operator"),
    ("playbook.yaml", "risk: medium", "risk: extreme", "risk"),
])
def test_lint_catches(pb_dir, file, old, new, problem):
    import re

    path = _mutate(pb_dir, "bgp-neighbor-shutdown", old, new, file)
    report = lint_playbook(path)
    assert not report.ok
    assert any(re.search(problem, p) for p in report.problems), report.problems


def test_hash_is_stable_and_covers_templates(pb_dir):
    path = pb_dir / "ospf-cost"
    h = content_hash(path)
    assert h == content_hash(path) and h.startswith("sha256:")
    (path / "rollback-frr.j2").write_text((path / "rollback-frr.j2").read_text() + " ")
    assert content_hash(path) != h
    (path / "notes.txt").write_text("not part of the hash")
    h2 = content_hash(path)
    assert content_hash(path) == h2


def test_vet_and_notvetted_messages(pb_settings, pb_dir):
    cat = Catalogue(pb_settings)
    pb = cat.get("ospf-cost")
    with pytest.raises(NotVetted, match="never reviewed"):
        require_vetted(pb)
    entry = cat.lock_for(pb).vet(pb, "carol")
    assert require_vetted(pb) == entry and entry.vetted_at.endswith("Z")
    lock_text = (pb_dir / "playbooks.lock").read_text()
    assert "carol" in lock_text and pb.hash in lock_text
    _mutate(pb_dir, "ospf-cost", "risk: medium", "risk: low")
    with pytest.raises(NotVetted, match="edited after review"):
        require_vetted(cat.get("ospf-cost"))
    assert Lock.for_dir(pb_dir).entries["ospf-cost"].reviewer == "carol"


def test_vetting_through_the_library_is_audited(pb_settings, pb_dir):
    """The audit entry comes from the catalogue, so any surface that vets (CLI, plugin, script)
    leaves the same record; a playbook that does not lint is neither pinned nor recorded."""
    from netops.errors import PlaybookInvalid
    from netops.store.audit import AuditLog

    pb, entry, lock = Catalogue(pb_settings).vet("ospf-cost", "dave")
    with AuditLog.from_settings(pb_settings) as audit:
        (rec,) = audit.list(kind="vet")
        assert rec.payload["playbook"] == "ospf-cost" and rec.payload["hash"] == pb.hash
        assert rec.payload["reviewer"] == "dave" and rec.payload["lock"] == str(lock.path)
        assert rec.payload["plugin"] is None and rec.actor == pb_settings.user
        (pb_dir / "broken").mkdir()
        (pb_dir / "broken" / "playbook.yaml").write_text("name: broken\n")
        with pytest.raises(PlaybookInvalid):
            Catalogue(pb_settings).vet("broken", "dave")
        assert len(audit.list(kind="vet")) == 1 and "broken" not in Lock.for_dir(pb_dir).entries


def test_catalogue_list_and_get(pb_settings, pb_dir):
    (pb_dir / "broken").mkdir()
    (pb_dir / "broken" / "playbook.yaml").write_text("name: broken\n")
    cat = Catalogue(pb_settings)
    entries = {e.name: e for e in cat.list()}
    assert entries["broken"].error and entries["broken"].vetting == "invalid"
    assert entries["bgp-health"].read_only is True and entries["bgp-health"].vetting == "never_reviewed"
    with pytest.raises(NotFoundError):
        cat.get("no-such-playbook")


def test_catalogue_list_reads_each_lock_once(pb_settings, pb_dir, monkeypatch):
    """Listing (done for every question the agent routes) reads one directory's lock once, not
    once per playbook in it; the entries still carry that lock's vetting."""
    pb = Catalogue(pb_settings).get("bgp-health")
    Lock.for_dir(pb_dir).vet(pb, "erin")
    read = []
    real = Lock.load.__func__
    monkeypatch.setattr(Lock, "load", classmethod(lambda cls, path: read.append(path) or real(cls, path)))
    entries = {e.name: e for e in Catalogue(pb_settings).list()}
    assert len(entries) >= 5
    assert read == [pb_dir / "playbooks.lock"]
    assert entries["bgp-health"].vetting == "vetted" and entries["bgp-health"].reviewer == "erin"
    assert {e.vetting for n, e in entries.items() if n != "bgp-health"} == {"never_reviewed"}


def test_plugin_dirs_have_their_own_lock(pb_settings, tmp_path, pb_dir):
    import shutil

    extra = tmp_path / "plugin-playbooks"
    extra.mkdir()
    shutil.copytree(pb_dir / "bgp-health", extra / "team-health")
    _mutate(extra, "team-health", "name: bgp-health", "name: team-health")
    cat = Catalogue(pb_settings, extra_dirs=(extra,))
    pb = cat.get("team-health")
    cat.lock_for(pb).vet(pb, "team-lead")
    assert (extra / "playbooks.lock").exists() and not (pb_dir / "playbooks.lock").exists()
