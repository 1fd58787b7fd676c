from netops.doctor import check_devices

INV = """\
defaults: {username: netops, ssh_key_file: /nonexistent/key}
hosts:
  r1: {hostname: 127.0.101.1, platform: frr}
  r2: {hostname: 127.0.101.2, platform: frr}
"""


def test_missing_inventory_is_advice_with_a_fix(settings):
    (c,) = check_devices(settings)
    assert not c.ok and not c.essential and "netops lab up" in c.fix


def test_hosts_without_known_keys_are_named(settings):
    p = settings.paths
    p.home.mkdir(parents=True, exist_ok=True)
    p.inventory.write_text(INV)
    p.known_hosts.write_text("127.0.101.1 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMq\n")
    inv, keys = check_devices(settings)
    assert inv.ok and "2 hosts" in inv.detail
    assert not keys.ok and "r2" in keys.detail and "r1" not in keys.detail
    assert keys.fix.startswith("netops devices trust r2")


def test_malformed_inventory_is_essential(settings):
    p = settings.paths
    p.home.mkdir(parents=True, exist_ok=True)
    p.inventory.write_text("hosts:\n  r1: {hostname: [\n")
    (c,) = check_devices(settings)
    assert not c.ok and c.essential and "inventory" in c.detail.lower()


def test_doctor_agrees_with_search_about_an_old_index_format(settings):
    """An index in another format: search refuses it, so doctor must not call it ok."""
    import pytest

    from netops.doctor import check_index
    from netops.errors import IndexMismatchError
    from netops.rag.kb import KnowledgeBase

    doc = settings.paths.home / "runbook.md"
    settings.paths.home.mkdir(parents=True, exist_ok=True)
    doc.write_text("# Runbook\n\n## Checks\n\nLook at the BGP hold timer and the OSPF dead interval.\n")
    s = settings.model_copy(update={"kb": settings.kb.model_copy(update={"embedder": "none"})})
    with KnowledgeBase(s, embedder=None) as kb:
        kb.add([doc])
        kb.lexical.set_meta(format=1)
    with KnowledgeBase(s, embedder=None) as kb, pytest.raises(IndexMismatchError):
        kb.search("hold timer")
    c = check_index(s)
    assert not c.ok and "format 1" in c.detail and "kb reset" in c.fix
