import subprocess
import sys

import click
import pytest

from netops.cli import main as cli_main
from netops.errors import NetopsError, NotFoundError


def run(*args):
    return subprocess.run([sys.executable, "-m", "netops", *args], capture_output=True, text=True, timeout=60)


def test_help_lists_every_command_without_importing_them():
    r = run("--help")
    assert r.returncode == 0
    for name in cli_main.COMMANDS:
        assert name in r.stdout
    assert "Exit codes" in r.stdout


def test_help_imports_nothing_heavy():
    code = (
        "import sys; from netops.cli.main import main; main(['--help']);"
        "heavy=[m for m in ('chromadb','llama_index','torch','langchain','paramiko','textual','netmiko') if m in sys.modules];"
        "print('HEAVY', heavy)"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "HEAVY []" in r.stdout, r.stdout + r.stderr


def test_every_registered_command_module_exists():
    import importlib

    missing = []
    for name, (target, _) in cli_main.COMMANDS.items():
        module, attr = target.split(":")
        try:
            obj = getattr(importlib.import_module(module), attr)
        except (ImportError, AttributeError):
            missing.append(name)
            continue
        assert isinstance(obj, click.Command), name
    assert not missing, f"COMMANDS names modules that do not exist: {missing}"


def test_unknown_command_is_usage_error():
    r = run("frobnicate")
    assert r.returncode == 2
    assert "No such command" in r.stderr


@pytest.mark.parametrize("typo, meant", [("aks", "ask"), ("doctr", "doctor"), ("devcies", "devices"),
                                         ("playbok", "playbook")])
def test_a_mistyped_command_suggests_the_one_meant(capsys, typo, meant):
    """'netops kb serach' said "Did you mean 'search'?" but 'netops aks' said only "No such
    command": the top-level commands load lazily, so click had no names to compare with."""
    assert cli_main.main([typo]) == 2
    err = capsys.readouterr().err
    assert "Did you mean" in err and repr(meant) in err


def _install(monkeypatch, exc):
    @click.command("boom")
    def boom():
        raise exc

    monkeypatch.setitem(cli_main.cli.commands, "boom", boom)


def test_netops_error_is_one_line_with_hint_and_exit_code(monkeypatch, capsys):
    _install(monkeypatch, NotFoundError("no playbook named 'x'", hint="netops playbook list"))
    code = cli_main.main(["boom"])
    err = capsys.readouterr().err
    assert code == 4
    assert err.splitlines() == ["error: no playbook named 'x'", "hint: netops playbook list"]


def test_unexpected_exception_is_short_and_mentions_debug(monkeypatch, capsys):
    _install(monkeypatch, RuntimeError("kaboom"))
    code = cli_main.main(["boom"])
    err = capsys.readouterr().err
    assert code == cli_main.EXIT_INTERNAL
    assert "Traceback" not in err and "kaboom" in err and "--debug" in err
    assert len(err.strip().splitlines()) == 1


def test_debug_shows_the_traceback(monkeypatch):
    _install(monkeypatch, RuntimeError("kaboom"))
    with pytest.raises(RuntimeError):
        cli_main.main(["--debug", "boom"])


def test_keyboard_interrupt_exits_130(monkeypatch, capsys):
    _install(monkeypatch, KeyboardInterrupt())
    assert cli_main.main(["boom"]) == 130
    assert "interrupted" in capsys.readouterr().err


def test_every_error_class_has_an_exit_code():
    import netops.errors as errors

    for name in errors.__all__:
        cls = getattr(errors, name)
        assert issubclass(cls, NetopsError)
        assert isinstance(cls.exit_code, int) and cls.exit_code != 0


def test_broken_config_is_reported_by_any_command(tmp_path, monkeypatch):
    cfg = tmp_path / "bad.toml"
    cfg.write_text("[[[")
    monkeypatch.setenv("NETOPS_CONFIG", str(cfg))
    r = run("plugins")
    assert r.returncode == 2
    assert r.stderr.startswith("error: config file") and "Traceback" not in r.stderr


def test_a_broken_pipe_that_is_not_the_reader_of_stdout_is_a_failure(monkeypatch, capsys):
    """A pipe to something else (a helper process, a socket) breaking under a command stops it before
    it finished: one line and exit 1, not 0 as if it had worked (papercuts35)."""
    import os

    @click.command("boom")
    def boom():
        read_end, write_end = os.pipe()
        os.close(read_end)
        try:
            os.write(write_end, b"plan\n")
        finally:
            os.close(write_end)

    monkeypatch.setitem(cli_main.cli.commands, "boom", boom)
    assert cli_main.main(["boom"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: a pipe closed under netops before the command finished") and "Traceback" not in err


def test_a_reader_of_stdout_that_left_is_still_no_failure(monkeypatch):
    """stdout an embedding program's own stream (not made forgiving), its reader gone: exit 0."""
    import os

    read_end, write_end = os.pipe()
    os.close(read_end)
    out = os.fdopen(write_end, "w", buffering=1)
    monkeypatch.setattr("sys.stdout", out)

    @click.command("boom")
    def boom():
        print("r1  frr  127.0.0.1", file=out)

    monkeypatch.setitem(cli_main.cli.commands, "boom", boom)
    try:
        assert cli_main.main(["boom"]) == 0
    finally:
        try:
            out.close()
        except BrokenPipeError:
            pass


def test_the_exit_code_of_an_interruption_names_its_signal(monkeypatch, capsys):
    """128 + the signal (the shell's convention): 143 for SIGTERM, 129 for SIGHUP, 130 for Ctrl-C."""
    import signal

    def install(signum):
        @click.command("boom")
        def boom():
            cli_main._terminate(signum, None)

        monkeypatch.setitem(cli_main.cli.commands, "boom", boom)

    for signum, code in ((signal.SIGTERM, 143), (signal.SIGHUP, 129)):
        install(signum)
        assert cli_main.main(["boom"]) == code
        assert f"interrupted ({signal.Signals(signum).name})" in capsys.readouterr().err
    _install(monkeypatch, KeyboardInterrupt())
    assert cli_main.main(["boom"]) == 130  # a new command: the earlier signal is not carried over
