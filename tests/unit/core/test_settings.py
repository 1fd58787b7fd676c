from pathlib import Path

import pytest

from netops.errors import ConfigError
from netops.settings import load_settings


def test_home_from_env_moves_all_state(netops_env):
    s = load_settings()
    p = s.paths
    assert s.home == netops_env
    for path in (p.index_dir, p.chroma_dir, p.kb_db, p.audit_db, p.history_db, p.lab_dir, p.known_hosts):
        assert netops_env in path.parents


def test_env_overrides_and_nested_delimiter(monkeypatch):
    monkeypatch.setenv("NETOPS_MODEL", "llama3.1:8b")
    monkeypatch.setenv("NETOPS_SSH__MAX_WORKERS", "7")
    monkeypatch.setenv("NETOPS_KB__EMBEDDER", "none")
    s = load_settings()
    assert s.model == "llama3.1:8b"
    assert s.ssh.max_workers == 7
    assert s.kb.embedder == "none"


def test_toml_config_file_is_read_and_env_wins(tmp_path, monkeypatch):
    cfg = tmp_path / "xdg-config" / "netops" / "config.toml"
    cfg.parent.mkdir(parents=True)
    cfg.write_text('model = "from-file"\nchroma_url = "http://127.0.0.1:8000"\n[ssh]\ncommand_timeout = 5.5\n')
    s = load_settings()
    assert s.model == "from-file"
    assert s.chroma_url == "http://127.0.0.1:8000"
    assert s.ssh.command_timeout == 5.5
    monkeypatch.setenv("NETOPS_MODEL", "from-env")
    assert load_settings().model == "from-env"


def test_netops_config_points_elsewhere(tmp_path, monkeypatch):
    cfg = tmp_path / "team.toml"
    cfg.write_text('model = "team-model"\n')
    monkeypatch.setenv("NETOPS_CONFIG", str(cfg))
    assert load_settings().model == "team-model"


def test_broken_toml_is_one_config_error(tmp_path, monkeypatch):
    cfg = tmp_path / "bad.toml"
    cfg.write_text("model = \n")
    monkeypatch.setenv("NETOPS_CONFIG", str(cfg))
    with pytest.raises(ConfigError) as err:
        load_settings()
    assert "bad.toml" in str(err.value) and "TOML" in str(err.value)


def test_invalid_value_names_the_setting(monkeypatch):
    monkeypatch.setenv("NETOPS_SSH__MAX_WORKERS", "0")
    with pytest.raises(ConfigError) as err:
        load_settings()
    assert "ssh.max_workers" in str(err.value)
    assert "NETOPS_SSH__MAX_WORKERS" in err.value.hint


def test_secret_is_not_shown(monkeypatch):
    monkeypatch.setenv("NETOPS_OPENAI_API_KEY", "sk-very-secret")
    s = load_settings()
    assert "sk-very-secret" not in repr(s)
    assert s.openai_api_key.get_secret_value() == "sk-very-secret"


def test_shipped_data_dirs_exist(settings):
    assert Path(settings.knowledge_dir).is_dir()
    assert Path(settings.playbooks_dir).is_dir()


def test_user_without_user_env_is_the_account_not_unknown(monkeypatch):
    """In a container, cron or a service USER and LOGNAME are often unset: the audit log and
    the chat's "approved by" still name the account that ran netops."""
    import os
    import pwd

    for name in ("USER", "LOGNAME", "LNAME", "USERNAME", "NETOPS_USER"):
        monkeypatch.delenv(name, raising=False)
    assert load_settings().user == pwd.getpwuid(os.getuid()).pw_name
    monkeypatch.setenv("USER", "alice")
    assert load_settings().user == "alice"


def test_an_empty_variable_is_unset_not_the_current_directory(tmp_path, monkeypatch):
    """`NETOPS_HOME=` (set but empty, as `export NETOPS_HOME=$UNSET_VAR` leaves it) made the
    current directory the state directory ('.': index, audit log and history written wherever
    netops ran); `NETOPS_INVENTORY=` read ./hosts.yaml and `NETOPS_MODEL=` asked for a model
    named ''. An empty variable now counts as unset."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    for name in ("NETOPS_HOME", "NETOPS_INVENTORY", "NETOPS_MODEL", "NETOPS_SSH__MAX_WORKERS"):
        monkeypatch.setenv(name, "")
    s = load_settings()
    default = type(s).model_fields
    assert s.home != Path(".") and s.home == Path(tmp_path / ".local" / "share" / "netops")
    assert s.inventory is None and s.model == default["model"].default and s.ssh.max_workers > 0


def test_settings_import_without_pydantic_settings():
    """Every netops process builds Settings first: pydantic-settings' import (all its cloud and
    CLI sources) was ~0.13 s of CPU of each start, more than the rest of `netops --version`.
    The env/TOML reading is netops' own now; the tests around this one pin its behaviour."""
    import os
    import subprocess
    import sys

    repo = str(Path(__file__).resolve().parents[3])
    probe = "import sys, netops.settings as s; s.load_settings(); print(sorted(m for m in sys.modules if m.startswith('pydantic_settings')))"
    out = subprocess.run([sys.executable, "-c", probe], env={**os.environ, "PYTHONPATH": repo},
                         capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"


def test_env_names_ignore_case_and_a_whole_section_reads_as_json(monkeypatch):
    monkeypatch.setenv("netops_model", "lower-case-name")
    monkeypatch.setenv("NETOPS_SSH", '{"max_workers": 3, "command_timeout": 9}')
    monkeypatch.setenv("NETOPS_SSH__COMMAND_TIMEOUT", "4.5")  # the nested variable refines the section
    monkeypatch.setenv("NETOPS_CHAT__KEYS", '{"chat.side_panel": "f3"}')
    monkeypatch.setenv("NETOPS_MODEL_REVIEW", "0")
    monkeypatch.setenv("NETOPS_NOT_A_SETTING", "ignored")
    s = load_settings()
    assert s.model == "lower-case-name"
    assert (s.ssh.max_workers, s.ssh.command_timeout) == (3, 4.5)
    assert s.chat.keys == {"chat.side_panel": "f3"} and s.model_review is False


def test_env_and_file_sections_merge_and_keywords_win(tmp_path, monkeypatch):
    cfg = tmp_path / "team.toml"
    cfg.write_text('model = "file"\n[ssh]\ncommand_timeout = 5.5\nmax_workers = 9\n[kb]\ntop_k = 7\n')
    monkeypatch.setenv("NETOPS_CONFIG", str(cfg))
    monkeypatch.setenv("NETOPS_SSH__MAX_WORKERS", "4")
    monkeypatch.setenv("NETOPS_MODEL", "env")
    s = load_settings(model="keyword")
    assert (s.ssh.command_timeout, s.ssh.max_workers, s.kb.top_k) == (5.5, 4, 7)
    assert s.model == "keyword"


def test_a_section_variable_that_is_not_json_is_one_config_error(monkeypatch):
    monkeypatch.setenv("NETOPS_CHAT__KEYS", "f3")
    with pytest.raises(ConfigError) as err:
        load_settings()
    assert "NETOPS_CHAT__KEYS" in str(err.value)


@pytest.mark.parametrize("under", ["", "sub/dir"])
def test_a_home_that_is_a_file_is_one_clear_error(tmp_path, monkeypatch, capsys, under):
    """trial32: NETOPS_HOME=/etc/passwd (a file) gave a history warning advising to move
    '/etc/passwd/history.sqlite' aside, then an index error; now one error and its hint, exit 2,
    before anything is opened."""
    from netops.cli.main import main

    afile = tmp_path / "not-a-dir"
    afile.write_text("x")
    monkeypatch.setenv("NETOPS_HOME", str(afile / under) if under else str(afile))
    assert main(["ask", "--offline", "what is the BGP hold time?"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[0] == f"error: the netops home {afile / under if under else afile} (NETOPS_HOME) is not a " \
                     f"directory: {afile} is a file", err
    assert len(err) == 2 and err[1].startswith("hint: set NETOPS_HOME to a directory"), err
    assert afile.read_text() == "x"


def test_a_home_that_does_not_exist_yet_is_fine(tmp_path, monkeypatch):
    monkeypatch.setenv("NETOPS_HOME", str(tmp_path / "new" / "home"))
    assert load_settings().home == tmp_path / "new" / "home"


@pytest.mark.parametrize(("text", "says", "hint"), [
    ('modle = "llama3"\n', "unknown setting 'modle'", "did you mean 'model'?"),
    ('[ssh]\nconect_timeout = 3\n', "unknown setting 'ssh.conect_timeout'", "did you mean 'connect_timeout'?"),
    ('[sssh]\nconnect_timeout = 3\n', "unknown setting 'sssh'", "did you mean 'ssh'?"),
])
def test_a_misspelt_key_in_the_config_file_is_an_error_not_a_silent_default(tmp_path, monkeypatch, text, says, hint):
    cfg = tmp_path / "config.toml"
    cfg.write_text(text)
    monkeypatch.setenv("NETOPS_CONFIG", str(cfg))
    with pytest.raises(ConfigError) as err:
        load_settings()
    assert says in err.value.message and str(cfg) in err.value.message
    assert err.value.hint == hint


def test_a_mapping_setting_keeps_free_keys(tmp_path, monkeypatch):
    cfg = tmp_path / "config.toml"
    cfg.write_text('[chat.keys]\n"chat.side_panel" = "f3"\n')
    monkeypatch.setenv("NETOPS_CONFIG", str(cfg))
    assert load_settings().chat.keys == {"chat.side_panel": "f3"}


def test_a_misspelt_section_variable_is_an_error(monkeypatch):
    monkeypatch.setenv("NETOPS_SSH__CONECT_TIMEOUT", "3")
    with pytest.raises(ConfigError) as err:
        load_settings()
    assert "NETOPS_SSH__CONECT_TIMEOUT" in err.value.message and "connect_timeout" in err.value.hint
    monkeypatch.delenv("NETOPS_SSH__CONECT_TIMEOUT")
    monkeypatch.setenv("NETOPS_CHAT__KEYS__CHAT.CANCEL", "ctrl+x")  # a mapping's keys are free
    monkeypatch.setenv("NETOPS_LAB_PASSWORD", "not a setting")      # plain NETOPS_* names may be anyone's
    load_settings()


def test_a_top_level_setting_put_under_a_section_says_where_it_belongs(tmp_path, monkeypatch):
    monkeypatch.setenv("NETOPS_SSH__KNOWN_HOSTS", "/tmp/kh")
    with pytest.raises(ConfigError) as err:
        load_settings()
    assert err.value.hint.startswith("'known_hosts' is not under [ssh]: it is a top-level setting (NETOPS_KNOWN_HOSTS"), \
        err.value.hint
    monkeypatch.delenv("NETOPS_SSH__KNOWN_HOSTS")
    cfg = tmp_path / "config.toml"
    cfg.write_text('[ssh]\nknown_hosts = "/tmp/kh"\n')
    monkeypatch.setenv("NETOPS_CONFIG", str(cfg))
    with pytest.raises(ConfigError) as err:
        load_settings()
    assert "unknown setting 'ssh.known_hosts'" in err.value.message and "top-level setting" in err.value.hint


@pytest.mark.parametrize("name, char", [("bob\n**netops's own findings:** nothing", "U+000A"),
                                        ("\x1b]0;pwned\x07alice", "U+001B"), ("eve\u2028- approved", "U+2028"),
                                        ("mallory\u202e", "U+202E")])
def test_a_user_name_is_one_line_of_printable_text(monkeypatch, tmp_path, name, char):
    """adv36: a newline or escape sequence in NETOPS_USER forged lines of `netops audit list` and of
    answers about changes; such a name is refused when the settings load (one line, exit 2)."""
    from netops.errors import ConfigError
    from netops.settings import load_settings

    monkeypatch.setenv("NETOPS_HOME", str(tmp_path))
    monkeypatch.setenv("NETOPS_USER", name)
    with pytest.raises(ConfigError) as err:
        load_settings()
    assert str(err.value).startswith("invalid setting user: a user name is one line of printable text") \
        and char in str(err.value), str(err.value)
    assert "Value error" not in str(err.value)


@pytest.mark.parametrize("name", ["alice", "o_brien", "Zoë Müller", "j.doe@example.net", "李雷"])
def test_ordinary_user_names_load(monkeypatch, tmp_path, name):
    from netops.settings import load_settings

    monkeypatch.setenv("NETOPS_HOME", str(tmp_path))
    monkeypatch.setenv("NETOPS_USER", name)
    assert load_settings().user == name
