"""--continue per surface (trial37): a question carries the surface it was asked in; the newest
conversation of a surface is the one its --continue goes on with. A conversation stored before
questions carried it counts for every surface (an upgrade does not lose the chat's --continue)."""

from __future__ import annotations

from netops.store.history import History


def test_the_newest_conversation_of_a_surface(tmp_path):
    with History(tmp_path / "h.sqlite") as h:
        old = h.new_conversation("from before surfaces were kept")
        h.append(old, "user", "q")
        chat = h.new_conversation("chat")
        h.append(chat, "user", "BGP hold timer", {"surface": "chat"})
        assert h.last_conversation("chat") == chat and h.last_conversation("ask") == old
        ask = h.new_conversation("ask")
        h.append(ask, "user", "OSPF dead interval", {"surface": "ask"})
        assert h.last_conversation() == ask
        assert h.last_conversation("chat") == chat
        assert h.last_conversation("ask") == ask
        h.append(old, "user", "again")  # the unmarked one used last: it is every surface's newest
        assert h.last_conversation("chat") == old == h.last_conversation("ask")
        assert h.messages(chat)[0].meta == {"surface": "chat"}


def test_no_conversation_of_that_surface(tmp_path):
    with History(tmp_path / "h.sqlite") as h:
        assert h.last_conversation("chat") is None
        ask = h.new_conversation("ask")
        h.append(ask, "user", "q", {"surface": "ask"})
        assert h.last_conversation("chat") is None and h.last_conversation() == ask
