"""Plugins load through the real entry-point mechanism (importlib.metadata), not by poking."""

import sys
import textwrap
from pathlib import Path

import pytest

from netops import plugins
from netops.errors import ConfigError

REPO = Path(__file__).resolve().parents[3]


def _install_dist(site: Path, dist: str, module: str, source: str | None = None, src_dir: Path | None = None):
    info = site / f"{dist}-0.1.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(f"[netops]\n{dist} = {module}\n")
    if source is not None:
        (site / f"{module}.py").write_text(textwrap.dedent(source))


@pytest.fixture
def fresh_plugins(tmp_path, monkeypatch):
    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.syspath_prepend(str(site))
    plugins.plugin_manager.cache_clear()
    yield site
    plugins.plugin_manager.cache_clear()
    for mod in [m for m in sys.modules if m.startswith(("netops_acme", "clash_plugin"))]:
        del sys.modules[mod]


def test_builtins_register_through_the_same_hooks():
    sources = plugins.knowledge_sources()
    assert {"netops-runbooks", "rfc-core"} <= set(sources.items)
    assert sources.owners["rfc-core"] == "netops.builtins"
    assert any(s.default for s in sources.items.values())


def test_example_plugin_is_discovered_by_entry_point(fresh_plugins, monkeypatch):
    monkeypatch.syspath_prepend(str(REPO / "plugins" / "netops-acme"))
    _install_dist(fresh_plugins, "netops-acme", "netops_acme")
    sources = plugins.knowledge_sources()
    assert "acme-peering" in sources.items
    assert sources.owners["acme-peering"] == "netops-acme"
    (path,) = sources.items["acme-peering"].paths
    assert (path / "ixp-turn-up.md").is_file()
    listed = {p["name"]: p for p in plugins.list_plugins()}
    assert "register_knowledge_sources" in listed["netops-acme"]["hooks"]


def test_name_clash_between_plugins_is_refused(fresh_plugins):
    _install_dist(fresh_plugins, "clash-plugin", "clash_plugin", source="""
        from netops.hookspecs import hookimpl
        from netops.plugins import KnowledgeSource

        @hookimpl
        def register_knowledge_sources(register):
            register(KnowledgeSource(name="rfc-core", description="impostor"))
    """)
    with pytest.raises(ConfigError) as err:
        plugins.knowledge_sources()
    assert "rfc-core" in str(err.value) and "clash-plugin" in str(err.value)
