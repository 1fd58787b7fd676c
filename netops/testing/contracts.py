"""Contract tests for plugins: the checks netops runs on its own playbooks, tools, parsers and
knowledge sources, packaged as pytest classes a plugin author subclasses.

::

    # tests/test_contracts.py of a plugin whose entry point is named "peering"
    from pathlib import Path
    from netops.testing import contracts

    HERE = Path(__file__).parent

    class TestPeering(contracts.PluginContract):
        plugin = "peering"                         # the entry point name
        render_fixtures = HERE / "rendered"        # <playbook>/<platform>.txt (expected lines)
        parser_captures = HERE / "captures"        # cases.yaml + <case>.txt + <case>.json
        tool_calls = {"peeringdb_lookup": [{"asn": 64999}]}

The plugin must be installed (``pip install -e .``): the contracts find what it contributes
through the same entry point and hooks netops uses, so a registration mistake fails here and
not on a colleague's machine. Run ``NETOPS_UPDATE_FIXTURES=1 pytest`` once to write missing
rendered fixtures, then review them like code.

Checks: the plugin loads without problems; every playbook lints (schema, templates for every
platform, deny list, rollback, postchecks) and is pinned by the plugin's own lock (``edited``
always fails; ``never_reviewed`` fails unless ``require_vetted = False``); every platform's
change and rollback render exactly as the fixtures; parameters refuse wrong types and injection
attempts; tools have a valid schema, are read-only, turn bad arguments into data and answer
the sample calls; parsers give the expected data for captured output and a clean error for
junk; knowledge sources ingest into passages; and nothing rendered or returned contains a
secret.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any, ClassVar

import pytest

__all__ = [
    "INJECTIONS",
    "KnowledgeContract",
    "ParserContract",
    "PlaybookContract",
    "PluginContract",
    "ToolContract",
    "contains_secret",
]

INJECTIONS: tuple[str, ...] = (
    "x\nend", "x\r\nreload", "x; reload", "x | include", "{{ 7 * 7 }}", "{% raw %}", "x`id`", "$(id)",
    "x ! comment", "x\x00y", "write memory", "do show run", "a\\b", "<script>", "a && b", "exit",
)
"""Values every string-like parameter must refuse (newlines, separators, template code, CLI words)."""

_BAD_BY_TYPE: dict[str, tuple[Any, ...]] = {
    "ip": ("300.1.1.1", "not-an-ip", 12), "ipv4": ("2001:db8::1", "1.2.3"), "ipv6": ("198.51.100.1",),
    "prefix": ("198.51.100.1/24", "10.0.0.0/33"), "prefix4": ("2001:db8::/32",), "prefix6": ("10.0.0.0/8",),
    "asn": (0, 4294967296, "AS-FOO"), "int": ("ten", True), "enum": ("not-a-choice",),
    "interface": ("1eth", "eth 0"),
}


def contains_secret(text: str) -> bool:
    """True when netops' own redaction would change ``text`` (passwords, keys, communities)."""
    from netops.devices.redact import redact

    return redact(text) != text


def _update() -> bool:
    return os.environ.get("NETOPS_UPDATE_FIXTURES") == "1"


class _PluginBound:
    plugin: ClassVar[str] = ""
    """The plugin's entry point name (``netops plugins`` lists it)."""

    @classmethod
    def _owned(cls, registry: Any) -> dict[str, Any]:
        from netops import plugins

        if not cls.plugin:
            pytest.fail(f"{cls.__name__}.plugin is not set (the entry point name of the plugin under test)")
        names = {i.name for i in plugins.plugin_infos()}
        if cls.plugin not in names:
            pytest.fail(f"plugin {cls.plugin!r} is not installed (found: {', '.join(sorted(names))}); "
                        "pip install -e . first")
        return registry().by_owner(cls.plugin)


class PlaybookContract(_PluginBound):
    """Lint, vetting, rendering against fixtures, parameter validation, no secrets."""

    render_fixtures: ClassVar[Path | None] = None
    """Directory with ``<playbook>/<platform>.txt`` and ``<playbook>/rollback-<platform>.txt``."""
    require_vetted: ClassVar[bool] = True
    """False while a new plugin's playbooks await their first review (edited ones still fail)."""

    def playbook_paths(self) -> list[Path]:
        from netops import plugins

        dirs = [Path(d) for d in self._owned(plugins.playbook_dirs).values()]
        return sorted(p for d in dirs for p in d.iterdir() if (p / "playbook.yaml").is_file())

    def test_contributes_playbooks(self) -> None:
        assert self.playbook_paths(), f"plugin {self.plugin} registers no playbook directory with playbooks"

    def test_playbooks_lint(self) -> None:
        from netops.playbook.lint import lint_playbook

        bad = {r.name: r.problems for r in (lint_playbook(p) for p in self.playbook_paths()) if not r.ok}
        assert not bad, f"lint problems: {json.dumps(bad, indent=2)}"

    def test_playbooks_pinned_by_the_plugin_lock(self) -> None:
        from netops.playbook.lock import Lock
        from netops.playbook.spec import load_playbook

        states = {}
        for path in self.playbook_paths():
            pb = load_playbook(path)
            states[pb.name] = Lock.for_dir(path.parent).status(pb).state
        edited = sorted(n for n, s in states.items() if s == "edited")
        assert not edited, (f"edited after review: {edited}; review the change, then "
                            f"netops playbook vet --plugin {self.plugin} --reviewer WHO")
        if self.require_vetted:
            unvetted = sorted(n for n, s in states.items() if s != "vetted")
            assert not unvetted, (f"never reviewed: {unvetted}; netops playbook vet --plugin {self.plugin} "
                                  "--reviewer WHO")

    def test_every_platform_renders_as_the_fixtures(self) -> None:
        from netops.playbook.lint import lint_playbook

        if self.render_fixtures is None:
            pytest.fail(f"{type(self).__name__}.render_fixtures is not set (a directory of expected renders)")
        missing, differ = [], []
        for path in self.playbook_paths():
            report = lint_playbook(path)
            for platform, rendered in report.rendered.items():
                for label, lines in (("", rendered["commands"]), ("rollback-", rendered["rollback"])):
                    if not isinstance(lines, list):  # no change (read-only) or rollback: snapshot
                        continue
                    text = "\n".join(lines) + "\n"
                    file = Path(self.render_fixtures) / report.name / f"{label}{platform}.txt"
                    if _update():
                        file.parent.mkdir(parents=True, exist_ok=True)
                        file.write_text(text, encoding="utf-8")
                    elif not file.is_file():
                        missing.append(str(file))
                    elif file.read_text(encoding="utf-8") != text:
                        differ.append(f"{file}:\n--- expected\n{file.read_text(encoding='utf-8')}--- rendered\n{text}")
        assert not missing, f"no fixture for {missing} (NETOPS_UPDATE_FIXTURES=1 writes them; review them)"
        assert not differ, "\n".join(differ)

    def test_parameters_refuse_wrong_types_and_injection(self) -> None:
        from netops.errors import ParameterError
        from netops.playbook.params import validate_params
        from netops.playbook.spec import load_playbook

        accepted = []
        for path in self.playbook_paths():
            spec = load_playbook(path).spec
            examples = {n: p.example for n, p in spec.parameters.items()}
            for name, param in spec.parameters.items():
                bad: tuple[Any, ...] = _BAD_BY_TYPE.get(param.type, ())
                if param.type in ("description", "string", "interface", "enum"):
                    bad = bad + INJECTIONS
                for value in bad:
                    try:
                        validate_params(spec.parameters, {**examples, name: value})
                    except ParameterError:
                        continue
                    accepted.append(f"{spec.name}.{name}={value!r}")
            unknown = {**examples, "not_a_parameter": "x"}
            try:
                validate_params(spec.parameters, unknown)
                accepted.append(f"{spec.name}: unknown parameter")
            except ParameterError:
                pass
        assert not accepted, f"accepted bad values: {accepted}"

    def test_rendered_commands_hold_no_secrets(self) -> None:
        from netops.playbook.lint import lint_playbook

        leaks = []
        for path in self.playbook_paths():
            report = lint_playbook(path)
            for platform, rendered in report.rendered.items():
                for line in [*rendered["commands"], *(rendered["rollback"] if isinstance(rendered["rollback"], list) else [])]:
                    if contains_secret(line):
                        leaks.append(f"{report.name}/{platform}: {line}")
        assert not leaks, f"secrets in rendered commands (use a credential reference instead): {leaks}"


class ToolContract(_PluginBound):
    """Tool schemas, read-only, bad arguments as data, sample calls answer without secrets."""

    tool_calls: ClassVar[dict[str, list[dict[str, Any]]]] = {}
    """tool name -> argument sets that must succeed (run with a fresh ``NETOPS_HOME``)."""

    def tools(self) -> dict[str, Any]:
        from netops import plugins

        return self._owned(plugins.tools)

    def test_tool_schemas(self) -> None:
        problems = []
        for name, tool in self.tools().items():
            if not re.fullmatch(r"[a-z][a-z0-9_]{1,63}", name):
                problems.append(f"{name}: name must be lower_snake_case")
            if len(tool.description) < 20:
                problems.append(f"{name}: describe what it does and returns for the model")
            fn = tool.openai_schema()["function"]
            params = fn["parameters"]
            if params.get("type") != "object":
                problems.append(f"{name}: parameters are not a JSON object schema")
            for prop, schema in params.get("properties", {}).items():
                if not schema.get("description"):
                    problems.append(f"{name}.{prop}: no description")
            json.dumps(fn)
        assert not problems, problems

    def test_tools_are_read_only(self) -> None:
        from netops import plugins

        assert not [t for t in self.tools().values() if t.changes_state]
        refused = [p for p in plugins.problems() if p.plugin == self.plugin and p.kind == "refused"]
        assert not refused, [str(p) for p in refused]

    def test_bad_arguments_are_data_not_exceptions(self, tmp_path: Path) -> None:
        from netops.agent.tools import ToolBox

        box = ToolBox(self.tools(), self._context(tmp_path))
        for name, tool in self.tools().items():
            required = tool.openai_schema()["function"]["parameters"].get("required", [])
            bad: list[object] = ["not json", [1, 2], 42]
            if required:
                bad.append({})
            for raw in bad:  # ToolBox.call never raises; a bad call must come back as a failed result
                result = box.call(name, raw)
                assert result.ok is False and result.error, f"{name}({raw!r}) should fail as data"
            box.call(name, {"unexpected": "value"})  # must not raise, whatever it returns

    def test_sample_calls_answer_without_secrets(self, tmp_path: Path) -> None:
        from netops.agent.tools import ToolBox

        tools = self.tools()
        assert set(self.tool_calls) <= set(tools), f"unknown tools in tool_calls: {set(self.tool_calls) - set(tools)}"
        untested = sorted(set(tools) - set(self.tool_calls))
        assert not untested, f"give at least one sample call for {untested} in tool_calls"
        box = ToolBox(tools, self._context(tmp_path))
        for name, calls in self.tool_calls.items():
            for args in calls:
                result = box.call(name, args)
                assert result.ok, f"{name}({args}): {result.error}"
                assert result.content, f"{name}({args}) returned nothing for the model"
                assert not contains_secret(result.content), f"{name}({args}) output holds a secret"

    @staticmethod
    def _context(tmp_path: Path) -> Any:
        from netops.agent.tools import ToolContext
        from netops.settings import Settings

        return ToolContext(settings=Settings(home=tmp_path / "home"))


class ParserContract(_PluginBound):
    """Parsers against captured device output (``cases.yaml`` + ``<case>.txt`` + ``<case>.json``)."""

    parser_captures: ClassVar[Path | None] = None

    def parsers(self) -> dict[str, Any]:
        from netops import plugins
        from netops.devices.parser_registry import Parser

        return {k: v for k, v in self._owned(plugins.parsers).items() if isinstance(v, Parser)}

    def cases(self) -> dict[str, dict[str, str]]:
        import yaml

        if self.parser_captures is None:
            pytest.fail(f"{type(self).__name__}.parser_captures is not set (captured output with cases.yaml)")
        return yaml.safe_load((Path(self.parser_captures) / "cases.yaml").read_text(encoding="utf-8")) or {}

    def test_every_parser_has_captured_output(self) -> None:
        from netops.devices.parser_registry import find_parser

        covered = {find_parser(c["platform"], c["command"]) for c in self.cases().values()}
        uncovered = [k for k, p in self.parsers().items() if p not in covered]
        assert not uncovered, f"no captured output for parsers {uncovered} (add a case to cases.yaml)"

    def test_parsers_on_captured_output(self) -> None:
        from netops.devices.parser_registry import find_parser, parse_output
        from netops.errors import DeviceError

        base = Path(self.parser_captures or ".")
        wrong = []
        for case, c in self.cases().items():
            parser = find_parser(c["platform"], c["command"])
            if parser is None or parser not in self.parsers().values():
                wrong.append(f"{case}: no parser of {self.plugin} matches {c['command']!r} on {c['platform']}")
                continue
            text = (base / f"{case}.txt").read_text(encoding="utf-8")
            expected = json.loads((base / f"{case}.json").read_text(encoding="utf-8"))
            try:
                data = parse_output(c["platform"], c["command"], text)
            except DeviceError as exc:
                if expected != {"error": True}:
                    wrong.append(f"{case}: {exc}")
                continue
            got = data.model_dump(mode="json") if hasattr(data, "model_dump") else data
            if got != expected:
                wrong.append(f"{case}: got {json.dumps(got)}")
            elif contains_secret(json.dumps(got)) and not contains_secret(text):
                wrong.append(f"{case}: the parsed data holds a secret the output did not show")
            elif contains_secret(json.dumps(got)):
                wrong.append(f"{case}: the captured output holds a secret; capture it through netops (redacted)")
        assert not wrong, wrong

    def test_junk_gives_a_clean_error(self) -> None:
        from netops.errors import DeviceError

        for key, parser in self.parsers().items():
            for junk in ("", "% Unknown command", "\x00\x01garbage"):
                try:
                    parser(junk)
                except DeviceError:
                    continue
                except Exception as exc:  # anything else would surface as a crash in `netops show`
                    pytest.fail(f"{key} raised {type(exc).__name__} on junk; raise netops.devices.parsers.ParseError")


class KnowledgeContract(_PluginBound):
    """Knowledge sources: files exist, ingest into passages, hold no secrets."""

    def sources(self) -> dict[str, Any]:
        from netops import plugins

        return self._owned(plugins.knowledge_sources)

    def files(self) -> list[Path]:
        out = []
        for src in self.sources().values():
            for p in src.paths:
                p = Path(p)
                out.extend(sorted(f for f in p.rglob("*") if f.is_file()) if p.is_dir() else [p])
        return out

    def test_sources_ingest_into_passages(self) -> None:
        from netops.rag.loaders import load_document

        empty = []
        for f in self.files():
            _, chunks = load_document(f, max_bytes=20 * 1024 * 1024)
            if not chunks or not all(c.text.strip() for c in chunks):
                empty.append(str(f))
        assert self.files() or any(s.rfc_packs for s in self.sources().values()), "sources name no files"
        assert not empty, f"no passages from {empty}"

    def test_glossaries_parse(self) -> None:
        from netops.rag.glossary import load_glossary

        empty = [str(g) for s in self.sources().values() for g in s.glossaries if not load_glossary(Path(g))]
        assert not empty, f"no '- **ACRONYM**: Expansion' entries in {empty}"

    def test_knowledge_holds_no_secrets(self) -> None:
        leaks = [str(f) for f in self.files() if contains_secret(f.read_text(encoding="utf-8", errors="replace"))]
        assert not leaks, f"secrets in {leaks}"


class PluginContract(PlaybookContract, ToolContract, ParserContract, KnowledgeContract):
    """Everything above, for a plugin that contributes each kind. Override a ``test_`` method
    with ``None``-returning body only if the plugin deliberately contributes none of that kind."""

    def test_plugin_loads_cleanly(self) -> None:
        from netops import plugins

        info = {i.name: i for i in plugins.plugin_infos()}.get(self.plugin)
        assert info is not None and info.loaded, info.error if info else f"{self.plugin} not installed"
        mine = [str(p) for p in plugins.problems() if p.plugin == self.plugin]
        assert not mine, mine
