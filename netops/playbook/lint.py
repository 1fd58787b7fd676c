"""``playbook lint``: everything a reviewer needs checked before vetting a playbook.

* the YAML validates (schema, parameter types, assertion syntax, JMESPath);
* every parameter has an ``example`` that passes its own validation;
* every declared platform has a change template (and a rollback template unless the
  rollback is ``snapshot``) and they render with the examples (StrictUndefined: a missing
  variable is an error);
* rendered change and rollback lines pass the command deny list (or, for ``exec`` changes,
  the operational allow list); check and report commands are plain ``show`` commands;
* a rollback exists unless the playbook is read-only;
* every phrase (how people ask for the playbook) has a specific word and is said once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from netops.errors import NetopsError
from netops.playbook.assertions import parse
from netops.playbook.params import validate_params
from netops.playbook.policy import check_command_problem, command_problems
from netops.playbook.render import context, render_change, render_rollback, render_string
from netops.playbook.spec import Capture, Playbook, load_playbook

_EXAMPLES: dict[str, Any] = {"ip": "198.51.100.1", "ipv4": "198.51.100.1", "ipv6": "2001:db8::1",
                             "prefix": "203.0.113.0/24", "prefix4": "203.0.113.0/24", "prefix6": "2001:db8::/32",
                             "interface": "eth0", "asn": 64512, "description": "example", "string": "example"}


@dataclass
class LintReport:
    name: str
    path: str
    ok: bool = True
    hash: str | None = None
    problems: list[str] = field(default_factory=list)
    rendered: dict[str, dict[str, Any]] = field(default_factory=dict)
    """platform -> {"commands": [...], "rollback": [...] | "snapshot"} with the example parameters."""

    def problem(self, text: str) -> None:
        self.problems.append(text)
        self.ok = False


def _example_fact(cap: Capture) -> Any:
    if cap.example is not None:
        return cap.example
    if cap.type == "int":
        return cap.min if cap.min is not None else 1
    if cap.type == "enum":
        return (cap.choices or ["x"])[0]
    return _EXAMPLES.get(cap.type, "example")


def lint_playbook(path: Path) -> LintReport:
    """Lint one playbook directory; never raises for a problem in the playbook itself."""
    report = LintReport(name=Path(path).name, path=str(path))
    try:
        pb = load_playbook(path)
    except NetopsError as exc:
        report.problem(exc.message)
        return report
    report.hash = pb.hash
    _lint_loaded(pb, report)
    return report


# Words that say nothing about which playbook is meant: a phrase needs one word besides these
# ("show the bgp" would turn every BGP question into a run of the playbook).
_GENERIC_WORDS = frozenset("""
a an the on in at of for to from with and or by via this that it its my our your please pls kindly
run do show check get give list see what which who why how when where is are was were can could
would should will me us bgp ospf router routers device devices host box peer peers neighbor neighbors
neighbour neighbours session sessions route routes interface interfaces link port config state status
""".split())


def _lint_phrases(pb: Playbook, report: LintReport) -> None:
    seen: dict[str, str] = {}
    for field_name, phrases in (("phrase", pb.spec.phrases), ("not_for", pb.spec.not_for)):
        for phrase in phrases:
            words = phrase.replace("-", " ").split()
            key = " ".join(words)
            if key in seen:
                report.problem(f"{field_name} {phrase!r} is said twice (as {seen[key]!r})")
            seen.setdefault(key, phrase)
            if all(w in _GENERIC_WORDS for w in words):
                report.problem(f"{field_name} {phrase!r} has no specific word: it would match questions about "
                               "anything (add what this playbook does, e.g. 'prefix limit')")


def _lint_loaded(pb: Playbook, report: LintReport) -> None:
    spec = pb.spec
    _lint_phrases(pb, report)
    for name, p in spec.parameters.items():
        if p.example is None:
            report.problem(f"parameter {name} has no example (lint renders the templates with it)")
    try:
        params = validate_params(spec.parameters, {}, use_examples=True)
    except NetopsError as exc:
        report.problem(f"example parameters do not validate: {exc.message}")
        return
    facts = {n: _example_fact(c) for check in spec.prechecks for n, c in check.capture.items()}
    for platform in spec.platforms:
        ctx = context(params, host="example", platform=platform, facts=facts)
        _lint_checks(pb, ctx, report)
        if spec.read_only:
            report.rendered[platform] = {"commands": [], "rollback": None}
            continue
        assert spec.change is not None and spec.rollback is not None
        if platform not in spec.change.templates:
            report.problem(f"platform {platform}: no change template")
            continue
        if not spec.rollback.snapshot_only and platform not in spec.rollback.templates:
            report.problem(f"platform {platform}: no rollback template (declare one or use 'rollback: snapshot')")
        try:
            commands = render_change(pb, platform, ctx)
            rollback = render_rollback(pb, platform, ctx)
        except NetopsError as exc:
            report.problem(f"platform {platform}: {exc.message}")
            continue
        report.rendered[platform] = {"commands": commands, "rollback": rollback if rollback is not None else "snapshot"}
        if not commands:
            report.problem(f"platform {platform}: the change renders no commands")
        for why in command_problems(commands, mode=spec.change.mode):
            report.problem(f"platform {platform}: change: {why}")
        for why in command_problems(rollback or [], mode="config"):
            report.problem(f"platform {platform}: rollback: {why}")
    for t in sorted(set(spec.change.templates.values()) | set(spec.rollback.templates.values())
                    if spec.change and spec.rollback else []):
        if not (pb.path / t).is_file():
            report.problem(f"template {t} does not exist next to playbook.yaml")
        elif not t.endswith(".j2"):
            report.problem(f"template {t} must end in .j2 (only .j2 files are hashed)")


def _lint_checks(pb: Playbook, ctx: dict[str, Any], report: LintReport) -> None:
    spec = pb.spec
    groups = [("precheck", spec.prechecks), ("postcheck", spec.postchecks)]
    for kind, checks in groups:
        for check in checks:
            where = f"{kind} {check.name!r}"
            try:
                cmd = render_string(pb, check.command, ctx, what="check command")
                problem = check_command_problem(cmd)
                if problem:
                    report.problem(f"{where}: {problem}")
                if not check.expect:
                    report.problem(f"{where}: no assertions")
                for a in check.expect:
                    parse(render_string(pb, a, ctx, what="assertion"))
                for cap in check.capture.values():
                    _compile(render_string(pb, cap.query, ctx, what="capture query"))
            except NetopsError as exc:
                report.problem(f"{where}: {exc.message}")
        # (a postcheck without a wait is allowed: static config facts need none)
    for item in spec.report:
        try:
            cmd = render_string(pb, item.command, ctx, what="report command")
            problem = check_command_problem(cmd)
            if problem:
                report.problem(f"report {item.name!r}: {problem}")
            _compile(item.query)
            if item.each:
                _compile(item.each)
        except NetopsError as exc:
            report.problem(f"report {item.name!r}: {exc.message}")
    if not spec.read_only and not spec.postchecks:
        report.problem("a change needs at least one postcheck (how else would we know it worked?)")


def _compile(query: str) -> None:
    import jmespath
    from jmespath.exceptions import JMESPathError

    from netops.errors import PlaybookInvalid

    try:
        jmespath.compile(query)
    except JMESPathError as exc:
        raise PlaybookInvalid(f"bad JMESPath {query!r}: {exc}") from exc
