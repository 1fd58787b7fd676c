"""A small, safe assertion language over JSON: ``<jmespath> <op> <value>``.

Operators (surrounded by spaces): ``==  !=  <  <=  >  >=  in  not in  contains  not contains``
and the postfix ``exists`` / ``not exists``. The left side is a JMESPath expression evaluated
against the command's parsed output; the right side is a YAML scalar or flow list
(``Established``, ``30``, ``true``, ``[Idle, Active]``, ``'quoted string'``). Nothing is ever
passed to ``eval``. A path naming a key the output lacks fails every operator but
``not exists`` (``!=`` and ``not in`` included: absent is unknown, not "different").
See ``playbooks/README.md``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import yaml

from netops.errors import PlaybookInvalid

BINARY_OPS = ("not contains", "contains", "not in", "in", "==", "!=", "<=", ">=", "<", ">")
UNARY_OPS = ("not exists", "exists")
NEGATED = ("!=", "not in")
"""Operators that a missing value would satisfy: on a key the device output lacks they fail
(``not contains`` fails there already: nothing is not a list)."""
_OPEN = "([{"
_CLOSE = ")]}"
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class Assertion:
    """A parsed assertion."""

    source: str
    path: str
    op: str
    value: Any = None

    def evaluate(self, data: Any) -> "AssertionResult":
        import jmespath

        try:
            actual = jmespath.search(self.path, data)
        except Exception as exc:  # jmespath raises its own error types for bad input types
            why = absent_key(self.path, data) or f"cannot evaluate: {exc}"
            return AssertionResult(self.source, False, None, self.value, why)
        if actual is None and self.op in NEGATED:
            # "cost != 5", "state not in [Idle]": a key the output lacks is not "not 5", it is
            # unknown; only "not exists" asks for absence
            missing = absent_key(self.path, data)
            if missing:
                return AssertionResult(self.source, False, None, self.value, missing)
        ok, why = _apply(self.op, actual, self.value)
        if not ok:
            # 'got None' for an interface the device does not have said nothing useful
            why = absent_key(self.path, data) or why
            counted = _counted(self.path, data)
            if counted:  # 'got 1' said nothing of which session was not Established (trial37)
                why = f"{why}; counted: {counted}"
        return AssertionResult(self.source, ok, _short(actual), self.value, why)


@dataclass(frozen=True)
class AssertionResult:
    expr: str
    ok: bool
    actual: Any
    expected: Any
    message: str = ""


def absent_key(path: str, data: Any) -> str | None:
    """Which key of ``path``'s leading ``a."b".c`` chain ``data`` lacks, in words, or None.

    ``interfaces."eth-r9": not present in the device output (it has: eth-r1, lo)``: the
    first missing key with the keys that are there instead (ten at most).
    """
    import jmespath

    try:
        fields, _ = _leading_fields(jmespath.compile(path).parsed)
    except Exception:  # not a path jmespath reads: nothing to say about keys
        return None
    here = data
    for i, key in enumerate(fields):
        if not isinstance(here, dict):
            return None
        if key not in here:
            where = ".".join(k if _IDENT.fullmatch(k) else json.dumps(k) for k in fields[:i + 1])
            keys = [str(k) for k in here]
            has = ("it has: " + ", ".join(keys[:10]) + (f", … {len(keys) - 10} more" if len(keys) > 10 else "")
                   if keys else "it is empty")
            return f"{where}: not present in the device output ({has})"
        here = here[key]
    return None


def _leading_fields(node: dict) -> tuple[list[str], bool]:
    """The keys a JMESPath AST reads first (``a."b".c[?x]`` -> a, b, c) and whether that is all."""
    kind = node.get("type")
    if kind == "field":
        return [node["value"]], True
    if kind == "subexpression":
        out: list[str] = []
        for child in node["children"]:
            fields, whole = _leading_fields(child)
            out += fields
            if not whole:
                return out, False
        return out, True
    if kind in ("projection", "filter_projection", "value_projection", "index_expression", "flatten", "pipe"):
        return _leading_fields(node["children"][0])[0], False
    return [], False


_COUNT = re.compile(r"^(?P<items>.+)\|\s*length\(\s*@\s*\)\s*$", re.DOTALL)


def _counted(path: str, data: Any, most: int = 5) -> str:
    """For a count (``<items> | length(@)``), the items it counted, each by its key in the device
    output and its short text fields: "198.51.100.1 (state Active, desc r1-backup)". Empty when the
    path is no count, or it counted nothing."""
    import jmespath

    m = _COUNT.match(path.strip())
    if not m:
        return ""
    try:
        items = jmespath.search(m.group("items"), data)
    except Exception:  # jmespath raises its own error types for bad input types
        return ""
    if not isinstance(items, list) or not items:
        return ""
    keys = _keys_by_identity(data)
    said = []
    for item in items[:most]:
        name = keys.get(id(item), "")
        brief = (", ".join(f"{k} {v}" for k, v in item.items() if isinstance(v, str) and 0 < len(v) <= 40)
                 if isinstance(item, dict) else repr(_short(item, 80)))
        said.append(f"{name} ({brief})" if name and brief else name or brief or "{}")
    return "; ".join(said) + (f"; … {len(items) - most} more" if len(items) > most else "")


def _keys_by_identity(data: Any, depth: int = 6) -> dict[int, str]:
    """id(object) -> its key, for every object or list held under a key in ``data`` (JMESPath hands
    back the output's own objects, so a counted peer is found under its address)."""
    out: dict[int, str] = {}
    stack = [(data, 0)]
    while stack:
        here, d = stack.pop()
        children = here.items() if isinstance(here, dict) else enumerate(here) if isinstance(here, list) else ()
        for k, v in children:
            if isinstance(v, (dict, list)):
                if isinstance(k, str):
                    out.setdefault(id(v), k)
                if d < depth:
                    stack.append((v, d + 1))
    return out


def _short(value: Any, limit: int = 300) -> Any:
    text = repr(value)
    if isinstance(value, (dict, list)) and len(text) > limit:
        return text[:limit] + "..."
    return value


def _top_level_positions(text: str) -> list[int]:
    """Indexes in ``text`` that are outside quotes and brackets."""
    out: list[int] = []
    depth = 0
    quote: str | None = None
    escaped = False
    for i, ch in enumerate(text):
        if quote:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == quote:
                quote = None
            continue
        if ch in "\"'`":
            quote = ch
        elif ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth -= 1
        elif depth == 0:
            out.append(i)
    if quote or depth:
        raise PlaybookInvalid(f"assertion {text!r}: unbalanced quotes or brackets")
    return out


def parse(source: str) -> Assertion:
    """Parse ``source`` into an :class:`Assertion`; raises :class:`PlaybookInvalid`."""
    import jmespath
    from jmespath.exceptions import JMESPathError

    text = source.strip()
    if not text:
        raise PlaybookInvalid("empty assertion")
    positions = set(_top_level_positions(text))
    for op in UNARY_OPS:
        suffix = " " + op
        if text.endswith(suffix) and (len(text) - len(suffix)) in positions:
            path = text[: -len(suffix)].strip()
            break
    else:
        path = ""
        op = ""
        value: Any = None
        for i in sorted(positions):
            if i == 0 or not text[i - 1].isspace():
                continue
            match = next((o for o in BINARY_OPS if text.startswith(o + " ", i)), None)
            if match:
                path, op, rhs = text[:i].strip(), match, text[i + len(match):].strip()
                try:
                    value = yaml.safe_load(rhs) if rhs else None
                except yaml.YAMLError as exc:
                    raise PlaybookInvalid(f"assertion {source!r}: cannot read value {rhs!r}: {exc}") from exc
                if rhs == "":
                    raise PlaybookInvalid(f"assertion {source!r}: missing value after {op!r}")
                if op in ("in", "not in") and not isinstance(value, list):
                    raise PlaybookInvalid(f"assertion {source!r}: {op!r} needs a list, e.g. [Idle, Active]")
                if op in ("<", "<=", ">", ">=") and not _num(value):
                    raise PlaybookInvalid(f"assertion {source!r}: {op!r} needs a number")
                break
        if not op:
            raise PlaybookInvalid(
                f"assertion {source!r}: no operator found",
                hint="write '<jmespath> <op> <value>' with spaces around one of: "
                     + ", ".join(BINARY_OPS + UNARY_OPS))
        if not path:
            raise PlaybookInvalid(f"assertion {source!r}: missing JMESPath before {op!r}")
        try:
            jmespath.compile(path)
        except JMESPathError as exc:
            raise PlaybookInvalid(f"assertion {source!r}: bad JMESPath {path!r}: {exc}") from exc
        return Assertion(source, path, op, value)
    if not path:
        raise PlaybookInvalid(f"assertion {source!r}: missing JMESPath before {op!r}")
    try:
        jmespath.compile(path)
    except JMESPathError as exc:
        raise PlaybookInvalid(f"assertion {source!r}: bad JMESPath {path!r}: {exc}") from exc
    return Assertion(source, path, op, None)


def _num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _apply(op: str, actual: Any, expected: Any) -> tuple[bool, str]:
    if op == "exists":
        return actual is not None, "" if actual is not None else "not found"
    if op == "not exists":
        return actual is None, "" if actual is None else "present"
    if op == "==":
        ok = actual == expected or (_num(actual) and _num(expected) and float(actual) == float(expected))
    elif op == "!=":
        ok = actual != expected
    elif op in ("<", "<=", ">", ">="):
        if not _num(actual):
            return False, f"{actual!r} is not a number"
        ok = {"<": actual < expected, "<=": actual <= expected, ">": actual > expected,
              ">=": actual >= expected}[op]
    elif op in ("in", "not in"):
        ok = (actual in expected) == (op == "in")
    elif op in ("contains", "not contains"):
        if isinstance(actual, str):
            found = isinstance(expected, str) and expected in actual
        elif isinstance(actual, list):
            found = expected in actual
        elif isinstance(actual, dict):
            found = expected in actual
        else:
            return False, f"{actual!r} is not a list, string or object"
        ok = found == (op == "contains")
        if not ok and isinstance(actual, (list, dict)):  # not the first 300 characters of a whole config
            what = "lines" if isinstance(actual, list) and all(isinstance(x, str) for x in actual) else "items"
            return False, (f"{expected!r} is not among the {len(actual)} {what}" if op == "contains"
                           else f"{expected!r} is among the {len(actual)} {what}")
    else:  # pragma: no cover - parse() only produces the operators above
        return False, f"unknown operator {op}"
    return ok, "" if ok else f"got {_short(actual)!r}"


def evaluate_all(sources: list[str], data: Any) -> list[AssertionResult]:
    return [parse(s).evaluate(data) for s in sources]
