"""``netops plugin new NAME``: a plugin package that installs and passes its tests as generated.

The package has a ``pyproject.toml`` with the ``netops`` entry point, a playbook skeleton
(``playbook.yaml`` + FRR template) with its own ``playbooks.lock`` (empty: nothing is vetted
until a person reviews it), a runbook as a knowledge source, a README, and a test file that
subclasses the contract tests in :mod:`netops.testing.contracts` (with the rendered fixtures
written from the skeleton, so the first run passes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from netops.errors import InputError

NAME_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Scaffold:
    """What ``new_plugin`` wrote."""

    name: str
    """Entry point name (what ``netops plugins`` shows)."""
    package: str
    """Distribution name (``pip install``)."""
    module: str
    path: Path
    files: tuple[Path, ...]
    playbook: str


def names_for(name: str) -> tuple[str, str, str]:
    """(entry point, distribution, module) for a plugin called ``name``."""
    if not NAME_RE.fullmatch(name) or len(name) > 40:
        raise InputError(f"plugin name {name!r} must be lower-case words joined by '-' (e.g. acme-dc)",
                         hint="letters and digits, starting with a letter, at most 40 characters")
    short = name.removeprefix("netops-")
    return short, f"netops-{short}", "netops_" + short.replace("-", "_")


def new_plugin(name: str, dest: Path) -> Scaffold:
    """Write the package into ``dest/<name>``; refuses to overwrite an existing directory."""
    from netops.playbook.lint import lint_playbook

    short, dist, module = names_for(name)
    root = Path(dest) / name
    if root.exists():
        raise InputError(f"{root} already exists", hint="choose another name or directory")
    playbook = f"{short}-interface-description"
    files = {
        "pyproject.toml": _PYPROJECT,
        "README.md": _README,
        f"{module}/__init__.py": '"""netops plugin {short}."""\n\n__version__ = "0.1.0"\n',
        f"{module}/plugin.py": _PLUGIN,
        f"{module}/playbooks/playbooks.lock": _LOCK,
        f"{module}/playbooks/{playbook}/playbook.yaml": _PLAYBOOK,
        f"{module}/playbooks/{playbook}/frr.j2": _TEMPLATE,
        f"{module}/knowledge/runbooks/{short}-interface-description.md": _RUNBOOK,
        "tests/test_contracts.py": _TEST,
    }
    values = {"short": short, "dist": dist, "module": module, "playbook": playbook}
    written = []
    for rel, template in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        text = template
        for key, value in values.items():
            text = text.replace("{" + key + "}", value)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    report = lint_playbook(root / module / "playbooks" / playbook)
    if not report.ok:  # pragma: no cover - the skeleton is linted by the tests
        raise InputError(f"the generated playbook does not lint: {report.problems}")
    for platform, rendered in report.rendered.items():
        for label, lines in (("", rendered["commands"]), ("rollback-", rendered["rollback"])):
            if isinstance(lines, list):
                path = root / "tests" / "rendered" / playbook / f"{label}{platform}.txt"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text("\n".join(lines) + "\n", encoding="utf-8")
                written.append(path)
    return Scaffold(name=short, package=dist, module=module, path=root, files=tuple(written), playbook=playbook)


_PYPROJECT = """\
[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "{dist}"
version = "0.1.0"
description = "netops plugin {short}: playbooks and runbooks"
requires-python = ">=3.11"
dependencies = ["netops"]

[project.entry-points.netops]
{short} = "{module}.plugin"

[tool.setuptools.packages.find]
include = ["{module}*"]

[tool.setuptools.package-data]
{module} = ["playbooks/playbooks.lock", "playbooks/*/*.yaml", "playbooks/*/*.j2", "knowledge/runbooks/*.md"]

[tool.pytest.ini_options]
testpaths = ["tests"]
"""

_PLUGIN = '''\
"""Entry point ``{short}``. Keep this module light: netops imports it whenever it collects
plugins, so import anything heavy inside the hook functions."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from netops.hookspecs import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_playbook_dirs(register: Callable[..., None]) -> None:
    register(HERE / "playbooks")


@hookimpl
def register_knowledge_sources(register: Callable[..., None]) -> None:
    from netops.plugins import KnowledgeSource

    register(KnowledgeSource(name="{short}-runbooks", description="{short} team runbooks",
                             paths=(HERE / "knowledge" / "runbooks",)))


# More hooks (see netops.hookspecs): register_tools (read-only netops.agent.tools.Tool; give it
# answers=question->arguments or None so it is reached with no tool-calling model too),
# register_parsers (netops.devices.parser_registry.Parser), register_platforms (PlatformSpec).
'''

_LOCK = """\
# Vetted playbooks: the content hash a reviewer approved for each playbook.
# Written by `netops playbook vet --plugin {short} --reviewer WHO`; do not edit by hand.
version: 1
playbooks: {}
"""

_PLAYBOOK = """\
name: {playbook}
version: 1
description: Set the description of one interface (a skeleton to copy for real changes).
owner: {short}
risk: low
read_only: false
platforms: [frr]
parameters:
  interface:
    type: interface
    description: interface name as the router shows it
    example: eth-r2
  description:
    type: description
    description: new description (one line)
    max_length: 80
    example: uplink to spine 1
targets:
  platform: frr
  max_hosts: 1
prechecks:
  - name: interface exists
    command: show interface {{ interface }} json
    assert: '"{{ interface }}" exists'
change:
  frr: frr.j2
postchecks:
  - name: description is set
    command: show interface {{ interface }} json
    assert: '"{{ interface }}".description == {{ description | tojson }}'
    within: 5s
    interval: 1s
# The old description is free text: restore it from the pre-change snapshot.
rollback: snapshot
# How people ask for it in words (part of the vetted content; see playbooks/README.md): each phrase
# is 1 to 6 lower-case words, and a request that says every word of one, in order, with a verb that
# asks for a change, proposes this playbook. Without phrases, words reach it by its name's action
# ("description") and objects ("interface"), the same as netops's own interface-description, and a
# request for either is then ambiguous. A leading team word of the name ("{short}") is never needed.
# phrases: [circuit description]
# What it does not do though a phrase comes close: when said, it is not proposed.
# not_for: [clear circuit description]
"""

_TEMPLATE = """\
interface {{ interface }}
 description {{ description }}
exit
"""

_RUNBOOK = """\
# Runbook: interface descriptions

Every interface carries a description that says what is at the other end, so that an engineer
reading an alarm knows the impact without a lookup. Change it with the playbook
`{playbook}` (plan first with `--dry-run`, then approve).
"""

_TEST = '''\
"""The netops plugin contract: the checks netops runs on its own playbooks and knowledge."""

from pathlib import Path

from netops.testing import contracts

HERE = Path(__file__).resolve().parent


class TestPlaybooks(contracts.PlaybookContract):
    plugin = "{short}"
    render_fixtures = HERE / "rendered"
    # New playbooks are refused by netops until a person reviews them. After the review:
    #   netops playbook vet --plugin {short} --reviewer WHO   (then set this to True)
    require_vetted = False


class TestKnowledge(contracts.KnowledgeContract):
    plugin = "{short}"


def test_every_tool_and_parser_has_its_contract():
    """A tool or parser registered in plugin.py is checked only by its contract class. Add them:

        class TestTools(contracts.ToolContract):
            plugin = "{short}"
            tool_calls = {"my_tool": [{"query": "an example that must succeed"}]}

        class TestParsers(contracts.ParserContract):
            plugin = "{short}"
            parser_captures = HERE / "captures"   # cases.yaml + <case>.txt + <case>.json
    """
    from netops import plugins

    here = [c for c in globals().values() if isinstance(c, type)]
    missing = []
    for kind, registry, contract in (("tools", plugins.tools(), contracts.ToolContract),
                                     ("parsers", plugins.parsers(), contracts.ParserContract)):
        mine = sorted(k for k, owner in registry.owners.items() if owner == "{short}")
        if mine and not any(issubclass(c, contract) for c in here):
            missing.append(f"{kind} {mine} have no contract: subclass contracts.{contract.__name__} in this file")
    assert not missing, missing
'''

_README = """\
# {dist}

A netops plugin (entry point `{short}`): playbooks under `{module}/playbooks/` (pinned by their
own `playbooks.lock`) and runbooks under `{module}/knowledge/runbooks/`.

```
pip install -e .
netops plugins                       # {short} is listed with what it provides
netops playbook list                 # {playbook} [{short}] never_reviewed
pytest                               # the netops plugin contract tests
netops playbook vet --plugin {short} --reviewer YOU   # after reviewing the playbook
netops kb add --source {short}-runbooks
```

Change a template or `playbook.yaml` and netops refuses the playbook until it is vetted again.
After changing a template, `NETOPS_UPDATE_FIXTURES=1 pytest` rewrites `tests/rendered/`;
review that diff like code.
"""
