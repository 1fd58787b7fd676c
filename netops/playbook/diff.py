"""FRR configuration as a tree: predicted diffs for plans and snapshot restores for rollback.

``show running-config`` on FRR prints top-level lines and blocks (``interface X``, ``router
bgp N`` with nested ``address-family`` blocks) closed by ``exit``/``exit-address-family``.
Multi-line config is not atomic and ``vtysh -f`` is additive, so restoring a snapshot means
sending the *difference*: ``no`` for every line that was added (inside its block), and the
removed lines again. :func:`restore_commands` computes that; the runner then re-reads the
running config and insists it equals the snapshot (:func:`normalise` drops only the
``Building configuration``/``Current configuration`` header and timestamp comments).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

_HEADER_RE = re.compile(r"^(Building configuration\.\.\.|Current configuration:.*|! Last configuration change.*|"
                        r"! NVRAM config last updated.*|!Time: .*)$")
_CLOSERS = ("exit", "exit-address-family", "exit-vrf", "exit-vnc", "end", "quit")
_TOP_OPENERS = ("interface ", "router ", "route-map ", "line ", "vrf ", "key chain ", "segment-routing",
                "mpls ", "bfd", "debug ", "nexthop-group ", "pbr-map ", "rpki")
_TOP_SINGLE = ("ip route ", "ipv6 route ", "hostname ", "ip prefix-list ", "ipv6 prefix-list ", "access-list ",
               "ip protocol ", "bgp community-list ", "bgp large-community-list ", "bgp as-path ",
               "ip forwarding", "ipv6 forwarding", "no ip forwarding", "no ipv6 forwarding", "log ", "password ",
               "service ", "frr ", "agentx", "ip router-id ", "ip nht ", "zebra ")
_META = ("frr version ", "frr defaults ")
# Lines that hold one value: a new one replaces the old one instead of adding a second.
_SINGLE_VALUED = re.compile(r"^(description|ip ospf cost|ip ospf hello-interval|ip ospf dead-interval|"
                            r"ip ospf network|ip ospf priority|ospf router-id|bgp router-id|timers bgp|"
                            r"neighbor \S+ (description|timers connect|timers|advertisement-interval|remote-as)|"
                            r"hostname|bandwidth|mtu|link-detect)\b")


@dataclass
class Node:
    line: str
    children: list["Node"] = field(default_factory=list)

    def find(self, line: str) -> "Node | None":
        return next((c for c in self.children if c.line == line), None)

    def render(self, depth: int = 0) -> list[str]:
        out = [" " * depth + self.line] if self.line else []
        for c in self.children:
            out.extend(c.render(depth + 1 if self.line else 0))
        if self.line and self.children:
            closer = "exit-address-family" if self.line.startswith("address-family") else "exit"
            out.append(" " * depth + closer)
        return out


def normalise(text: str) -> str:
    """Drop only header/timestamp lines and leading blank lines; keep every other byte."""
    lines = [ln for ln in text.replace("\r\n", "\n").split("\n") if not _HEADER_RE.match(ln.strip())]
    while lines and not lines[0].strip():
        lines.pop(0)
    return "\n".join(lines).rstrip("\n") + "\n"


def same_config(a: str, b: str) -> bool:
    return normalise(a) == normalise(b)


def parse(text: str) -> Node:
    """The config as a tree under an unnamed root (comments, closers and headers dropped)."""
    root = Node("")
    stack: list[tuple[int, Node]] = [(-1, root)]
    for raw in normalise(text).split("\n"):
        if not raw.strip():
            continue
        stripped = raw.strip()
        if stripped.startswith("!") or stripped in _CLOSERS:
            continue
        indent = len(raw) - len(raw.lstrip(" "))
        while stack[-1][0] >= indent:
            stack.pop()
        node = Node(stripped)
        stack[-1][1].children.append(node)
        stack.append((indent, node))
    return root


def unified(before: str, after: str, name: str = "running-config") -> str:
    return "".join(difflib.unified_diff(normalise(before).splitlines(keepends=True),
                                        normalise(after).splitlines(keepends=True),
                                        fromfile=f"{name} (now)", tofile=f"{name} (after change)"))


def _is_top(line: str) -> bool:
    body = line[3:] if line.startswith("no ") else line
    return body.startswith(_TOP_OPENERS) or body.startswith(_TOP_SINGLE) or line.startswith(_TOP_SINGLE)


def _opens_block(line: str, depth: int) -> bool:
    if depth == 0:
        return line.startswith(_TOP_OPENERS)
    return line.startswith(("address-family ", "vni ", "vrf-policy ", "area ")) and depth == 1 and not line.startswith("area ")


class NotComputable(Exception):
    """The effect of these lines cannot be predicted safely."""


def _key(line: str) -> str | None:
    m = _SINGLE_VALUED.match(line)
    return m.group(0) if m else None


def apply_lines(tree: Node, lines: list[str]) -> Node:
    """Apply rendered config lines to a parsed tree, the way vtysh would (best effort).

    Raises :class:`NotComputable` for lines whose effect is ambiguous (a ``no`` that matches
    nothing, a block it cannot place).
    """
    import copy

    root = copy.deepcopy(tree)
    path: list[Node] = [root]
    for line in lines:
        if line in _CLOSERS:
            if line == "end":
                raise NotComputable("'end' in the change")
            if len(path) > 1:
                path.pop()
            continue
        if len(path) > 1 and _is_top(line):
            path = [root]
        ctx = path[-1]
        depth = len(path) - 1
        if line.startswith("no "):
            body = line[3:]
            victims = [c for c in ctx.children if c.line == body or c.line.startswith(body + " ")]
            if not victims:
                raise NotComputable(f"cannot predict {line!r}")
            for v in victims:
                ctx.children.remove(v)
            continue
        if _opens_block(line, depth):
            node = ctx.find(line)
            if node is None:
                node = Node(line)
                ctx.children.append(node)
            path.append(node)
            continue
        if ctx.find(line) is not None:
            continue
        key = _key(line)
        replaced = None
        if key:
            for i, c in enumerate(list(ctx.children)):
                if _key(c.line) == key and not c.children:
                    replaced = i
                    ctx.children.remove(c)
                    break
        # New leaves go before nested blocks, as FRR prints them; a replaced value keeps its place.
        idx = replaced if replaced is not None else next(
            (i for i, c in enumerate(ctx.children) if c.children), len(ctx.children))
        ctx.children.insert(idx, Node(line))
    return root


def render_tree(root: Node, meta_from: str = "") -> str:
    """Text for a tree in FRR's layout (blocks separated by ``!``)."""
    out: list[str] = []
    for node in root.children:
        if node.children:
            out.append("!")
            out.extend(node.render())
        else:
            out.append(node.line)
    out.append("!")
    out.append("end")
    return "\n".join(out) + "\n"


def predict(running: str, lines: list[str]) -> tuple[str | None, str]:
    """(unified diff of running config -> running config + lines, note). Diff None if not computable."""
    try:
        before = parse(running)
        after = apply_lines(before, lines)
    except NotComputable as exc:
        return None, f"not computable: {exc}"
    diff = unified(render_tree(before), render_tree(after))
    return diff, "predicted from the running config (FRR may order lines differently)" if diff else "no config change expected"


# FRR negates these without their free-text value.
_NEGATE_WITHOUT_VALUE = re.compile(r"^(description|neighbor \S+ description|bandwidth|mtu) ")


def _negate(line: str) -> str:
    if line.startswith("no "):
        return line[3:]
    m = _NEGATE_WITHOUT_VALUE.match(line)
    if m:
        return "no " + m.group(1)
    return "no " + line


def _closer(header: str) -> str:
    return "exit-address-family" if header.startswith("address-family") else "exit"


def restore_commands(current: str, snapshot: str) -> list[str]:
    """Config lines that turn the ``current`` running config back into ``snapshot``."""
    cur, snap = parse(current), parse(snapshot)
    out: list[str] = []
    _diff_into(cur, snap, [], out)
    return out


def _emit(out: list[str], path: list[str], body: list[str]) -> None:
    if not body:
        return
    out.extend(path)
    out.extend(body)
    out.extend(_closer(h) for h in reversed(path))


def _diff_into(cur: Node, snap: Node, path: list[str], out: list[str]) -> None:
    snap_lines = {c.line: c for c in snap.children}
    cur_lines = {c.line: c for c in cur.children}
    removals: list[str] = []
    gone_neighbors: set[str] = set()
    # Reverse order: dependent lines (neighbor X shutdown) go before what they depend on.
    for c in reversed(cur.children):
        if c.line in snap_lines or any(c.line.startswith(m) for m in _META):
            continue
        if c.children and not c.line.startswith("router "):
            continue  # handled below by recursing into the block
        m = re.match(r"^neighbor (\S+) remote-as ", c.line)
        if m:
            gone_neighbors.add(m.group(1))
        removals.append(_negate(c.line))
    removals = [r for r in removals
                if not (re.match(r"^no neighbor (\S+) ", r) and re.match(r"^no neighbor (\S+) ", r).group(1) in gone_neighbors
                        and " remote-as " not in r)]
    # Removing the remote-as removes the neighbor's other lines: do it last.
    removals.sort(key=lambda r: " remote-as " in r)
    _emit(out, path, removals)
    for c in cur.children:
        if c.children and not c.line.startswith("router ") and c.line not in snap_lines:
            _diff_into(c, Node(c.line), path + [c.line], out)
    additions: list[str] = []
    for s in snap.children:
        if any(s.line.startswith(m) for m in _META):
            continue
        c = cur_lines.get(s.line)
        if c is None:
            if s.children:
                _emit(out, path + [s.line], _flatten(s))
            else:
                additions.append(s.line)
        elif s.children or c.children:
            _diff_into(c, s, path + [s.line], out)
    _emit(out, path, additions)


def _flatten(node: Node) -> list[str]:
    out: list[str] = []
    for c in node.children:
        out.append(c.line)
        if c.children:
            out.extend(_flatten(c))
            out.append(_closer(c.line))
    return out
