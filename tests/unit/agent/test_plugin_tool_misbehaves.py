"""plugin36: a team's first plugin, read by a sceptic. A plugin tool is the team's Python, run inside
netops: one that never returns (a ticket system that does not answer) froze ``netops ask`` and the
chat's answer until someone killed the process. Two plugins that claim the same question were
decided by the order the distributions happened to be found on disk, and nothing said so."""

from __future__ import annotations

import pytest

from netops import plugins
from netops.agent.budget import Budget
from netops.testing.plugins import forget, write_dist_info

HANGING = '''
import threading
from pydantic import BaseModel
from netops.agent.tools import Tool, ToolResult
from netops.hookspecs import hookimpl

RELEASE = threading.Event()
LATE = {}  # what the tool met when it went on after netops stopped waiting (review36)
DONE = threading.Event()


class Args(BaseModel):
    interface: str


def run(ctx, args):
    RELEASE.wait()  # a backend that never answers (released when the test ends)
    try:
        LATE["read"] = ctx.devices.get("r1", "facts")  # it goes on to read a device
    except Exception as exc:
        LATE["error"] = exc
    try:
        LATE["audit"] = ctx.session.audit
    except Exception as exc:
        LATE["audit_error"] = exc
    DONE.set()
    return ToolResult("ticket_lookup", True, content="late answer")


def answers(question):
    return {"interface": "eth-r2"} if "ticket" in question and "eth-r2" in question else None


@hookimpl
def register_tools(register):
    register(Tool("ticket_lookup", "Open NOC tickets on an interface. Read-only.", Args, run, answers=answers))
'''


@pytest.fixture
def hanging_plugin(tmp_path, monkeypatch):
    site = tmp_path / "site"
    (site / "p36_hanging").mkdir(parents=True)
    (site / "p36_hanging" / "__init__.py").write_text(HANGING)
    write_dist_info(site, "p36-hanging", "hanging", "p36_hanging")
    monkeypatch.syspath_prepend(str(site))
    forget("p36_hanging")
    plugins.reset()
    yield
    import sys

    module = sys.modules.get("p36_hanging")
    if module is not None:
        module.RELEASE.set()
    plugins.reset()
    forget("p36_hanging")


def test_a_plugin_tool_that_never_returns_is_given_up_on_and_the_answer_says_so(hanging_plugin, make_assistant):
    """The failed call is in the answer, one line that names the tool and the limit."""
    assistant = make_assistant(budget=Budget(plugin_tool_seconds=0.3))
    answer = assistant.ask("which ticket is open on eth-r2?")
    calls = [c for c in answer.tool_calls if c.tool == "ticket_lookup"]
    assert calls and not calls[0].ok, answer.to_dict()
    assert "did not answer within 0.3 s" in calls[0].error
    assert "did not answer within 0.3 s" in answer.text


def test_a_plugin_tool_given_up_on_reaches_nothing_of_netops_after(hanging_plugin, make_assistant):
    """review36: the tool's thread goes on after netops stopped waiting (Python cannot stop it). Whatever
    it does later must not reach the devices or the session in netops's name after the answer ended
    (a device read, its audit record, in the next turn's middle): its view of them is closed."""
    import sys

    from netops.errors import Cancelled

    answer = make_assistant(budget=Budget(plugin_tool_seconds=0.3)).ask("which ticket is open on eth-r2?")
    assert "did not answer within 0.3 s" in answer.text
    module = sys.modules["p36_hanging"]
    module.RELEASE.set()  # the backend answers, late
    assert module.DONE.wait(10)
    assert "read" not in module.LATE and isinstance(module.LATE.get("error"), Cancelled), module.LATE
    assert "stopped waiting for ticket_lookup" in str(module.LATE["error"])
    assert "audit" not in module.LATE and isinstance(module.LATE.get("audit_error"), Cancelled), module.LATE


def test_a_plugin_tool_that_answers_in_time_is_unchanged(hanging_plugin, make_assistant, scripted):
    from netops.testing.ollama_server import say

    import sys

    plugins.tools()  # loads the plugin
    sys.modules["p36_hanging"].RELEASE.set()  # the backend answers now
    scripted.push(say("The ticket lookup says: late answer [1]."))
    answer = make_assistant(budget=Budget(plugin_tool_seconds=30)).ask("which ticket is open on eth-r2?")
    calls = [c for c in answer.tool_calls if c.tool == "ticket_lookup"]
    assert calls and calls[0].ok, answer.to_dict()
    assert "late answer" in calls[0].output


CLAIMER = '''
from pydantic import BaseModel
from netops.agent.tools import Tool, ToolResult
from netops.hookspecs import hookimpl


class Args(BaseModel):
    interface: str


def run(ctx, args):
    return ToolResult("{tool}", True, content="{tool} says: circuit CKT-9 is on " + args.interface)


def answers(question):
    return {{"interface": "eth-r2"}} if "circuit" in question and "eth-r2" in question else None


@hookimpl
def register_tools(register):
    register(Tool("{tool}", "Which circuit is on an interface. Read-only.", Args, run, answers=answers))
'''


@pytest.fixture
def two_claimants(tmp_path, monkeypatch):
    """Two teams' plugins that claim the same question, the later name found first on sys.path."""
    for site, dist, module, tool in (("site-a", "zz-noc", "p36_zz", "zz_circuits"),
                                     ("site-b", "aa-noc", "p36_aa", "aa_circuits")):
        (tmp_path / site / module).mkdir(parents=True)
        (tmp_path / site / module / "__init__.py").write_text(CLAIMER.format(tool=tool))
        write_dist_info(tmp_path / site, dist, dist, module)
    monkeypatch.syspath_prepend(str(tmp_path / "site-b"))
    monkeypatch.syspath_prepend(str(tmp_path / "site-a"))  # searched first
    forget("p36_zz", "p36_aa")
    plugins.reset()
    yield
    plugins.reset()
    forget("p36_zz", "p36_aa")


def test_two_plugins_claiming_one_question_answer_by_name_order_and_the_notice_names_the_other(
        two_claimants, make_assistant, scripted):
    from netops.testing.ollama_server import say

    assert [p.name for p in plugins.plugin_infos()][1:] == ["aa-noc", "zz-noc"]  # by name, not by sys.path
    scripted.push(say("The circuit is CKT-9 [1]."))
    answer = make_assistant().ask("which circuit is on r1 eth-r2?")
    ran = [c.tool for c in answer.tool_calls]
    assert ran == ["aa_circuits"], ran
    assert answer.notice and "answered by aa_circuits (plugin aa-noc)" in answer.notice, answer.notice
    assert "zz_circuits (plugin zz-noc) claims it too and was not run" in answer.notice, answer.notice
