"""A conversation is named by a unique start of its id, as git names a commit: `conversations show
9660` for 96602cfaa172 said "no conversation '9660'" (the user trial of 2026-12-03). Everything
that takes an id takes one (show, delete, ask --conversation: the store resolves it). A start two
conversations share, or one shorter than 4 characters, is an error that names the candidates."""

from __future__ import annotations

import pytest

from netops.errors import InputError, NotFoundError


@pytest.fixture
def history(tmp_path):
    from netops.store.history import History

    with History(tmp_path / "history.sqlite") as h:
        yield h


def _with_id(h, cid: str, title: str) -> str:
    h._conn.execute("INSERT INTO conversations VALUES (?, ?, ?, ?, ?)", (cid, "t", "t", title, None))
    return cid


def test_a_unique_start_names_the_conversation(history):
    cid = history.new_conversation("bgp on r1")
    history.append(cid, "user", "bgp on r1")
    conv = history.conversation(cid[:5])
    assert conv.id == cid and conv.messages[0].content == "bgp on r1"
    assert history.resolve(cid[:4]) == cid and history.resolve(cid) == cid
    history.delete_conversation(cid[:6])
    with pytest.raises(NotFoundError):
        history.conversation(cid)


def test_a_shared_start_is_ambiguous_and_names_both(history):
    a = _with_id(history, "abcd11112222", "one")
    b = _with_id(history, "abcd33334444", "two")
    with pytest.raises(InputError) as exc:
        history.conversation("abcd")
    assert a in exc.value.message and b in exc.value.message
    assert history.resolve("abcd1") == a


def test_a_start_too_short_or_unknown_is_not_found(history):
    cid = _with_id(history, "abcd11112222", "one")
    with pytest.raises(NotFoundError):
        history.conversation("abc")  # 3 characters: never a prefix
    with pytest.raises(NotFoundError):
        history.conversation("ffff")
    with pytest.raises(NotFoundError):
        history.conversation("abcd%")  # LIKE's wildcards are plain characters here
    assert history.resolve(cid) == cid

