"""Running pre/postchecks and report items against devices: command -> JSON -> assertions."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from netops.errors import NetopsError, ParameterError, PlaybookInvalid
from netops.playbook.assertions import AssertionResult, parse
from netops.playbook.policy import check_command_problem
from netops.playbook.render import render_string
from netops.playbook.spec import Check, Playbook
from netops.store.audit import digest


@dataclass
class CheckResult:
    """One check on one host (the last attempt, with how many attempts it took)."""

    name: str
    host: str
    command: str
    ok: bool
    assertions: list[AssertionResult] = field(default_factory=list)
    captured: dict[str, Any] = field(default_factory=dict)
    attempts: int = 1
    elapsed: float = 0.0
    error: str | None = None
    output_digest: str | None = None
    stopped: bool = False
    """A cancel stopped the retries before ``within`` was up: the check did not pass *yet*; it did
    not fail (trial37: a Ctrl+C during post-checks read "FAILED after 7 attempts")."""

    @property
    def summary(self) -> str:
        if self.error:
            return self.error
        bad = [a for a in self.assertions if not a.ok]
        if not bad:
            return "ok"
        return "; ".join(f"{a.expr}: {a.message or 'false'}" for a in bad)


def parse_output(text: str) -> Any:
    """JSON when the device printed JSON; otherwise ``{"text": ..., "lines": [...]}``."""
    stripped = (text or "").strip()
    if stripped[:1] in ("{", "["):
        try:
            return json.loads(stripped)
        except ValueError:
            pass
    return {"text": text or "", "lines": [ln.strip() for ln in (text or "").splitlines() if ln.strip()]}


def render_check_command(playbook: Playbook, command: str, ctx: dict[str, Any]) -> str:
    cmd = render_string(playbook, command, ctx, what="check command")
    problem = check_command_problem(cmd)
    if problem:
        raise PlaybookInvalid(f"{playbook.name}: {problem}")
    return cmd


def run_command(devices: Any, host: str, command: str) -> tuple[str | None, str | None]:
    """(output, error) of one read-only command on one host through the DeviceService."""
    try:
        agg = devices.run(host, command)
    except NetopsError as exc:
        return None, exc.message
    result = next(iter(agg.values()), None)
    if result is None:
        return None, f"{host}: no result"
    if result.failed:
        return None, result.error or "command failed"
    text = result.output or ""
    if text.lstrip().startswith("%"):
        return None, text.strip().splitlines()[0]
    return text, None


def run_check(playbook: Playbook, check: Check, *, host: str, devices: Any, ctx: dict[str, Any],
              retry: bool = False, cancelled: Callable[[], bool] = lambda: False) -> CheckResult:
    """Run one check; with ``retry`` keep trying every ``interval`` until ``within`` has passed."""
    command = render_check_command(playbook, check.command, ctx)
    sources = [render_string(playbook, a, ctx, what="assertion") for a in check.expect]
    parsed = [parse(s) for s in sources]
    start = time.monotonic()
    attempts = 0
    while True:
        attempts += 1
        output, error = run_command(devices, host, command)
        result = CheckResult(check.name, host, command, False, attempts=attempts,
                             output_digest=digest(output) if output is not None else None, error=error)
        if output is not None:
            data = parse_output(output)
            result.assertions = [a.evaluate(data) for a in parsed]
            result.ok = all(a.ok for a in result.assertions)
            if result.ok and check.capture:
                result.captured, cap_error = _capture(playbook, check, data, ctx)
                if cap_error:
                    result.ok, result.error = False, cap_error
        result.elapsed = time.monotonic() - start
        if result.ok or not retry:
            return result
        if cancelled():
            result.stopped = True
            return result
        if time.monotonic() - start + check.interval > check.within:
            return result
        time.sleep(check.interval)


def _capture(playbook: Playbook, check: Check, data: Any, ctx: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    import jmespath

    out: dict[str, Any] = {}
    for name, cap in check.capture.items():
        query = render_string(playbook, cap.query, ctx, what="capture query")
        try:
            value = jmespath.search(query, data)
        except Exception as exc:  # jmespath's own errors for bad input
            return out, f"capture {name}: cannot evaluate {cap.query!r}: {exc}"
        if value is None:
            return out, f"capture {name}: {cap.query!r} found nothing"
        try:
            out[name] = cap.param.validate_value(f"facts.{name}", value)
        except ParameterError as exc:
            return out, f"capture {name}: device value rejected: {exc.message}"
    return out, None


def run_report(playbook: Playbook, *, host: str, devices: Any, ctx: dict[str, Any]) -> dict[str, Any]:
    """Read-only playbooks: the value of every report item (or its error)."""
    import jmespath

    out: dict[str, Any] = {}
    for item in playbook.spec.report:
        command = render_check_command(playbook, item.command, ctx)
        output, error = run_command(devices, host, command)
        if error:
            out[item.name] = {"error": error}
            continue
        try:
            value = jmespath.search(item.query, parse_output(output or ""))
            if item.each and isinstance(value, dict):
                value = {k: jmespath.search(item.each, v) for k, v in value.items()}
            out[item.name] = value
        except Exception as exc:  # jmespath's own errors
            out[item.name] = {"error": f"cannot evaluate {item.query!r}: {exc}"}
    return out
