"""A search's excerpt (which message matched) costs about what the search does, however many of a
found conversation's messages match: an excerpt of every matching message, to keep the newest,
took 11 times the search itself in a long history (and held the history's lock meanwhile). The
excerpt is now made for each conversation's newest matching message only; what is checked here is
that it is that message's (timing belongs in bench/, not in an assertion)."""

from __future__ import annotations

from netops.store.history import MATCH_CLOSE, MATCH_OPEN, Conversation, History


def test_the_excerpt_is_the_newest_matching_message(tmp_path):
    with History(tmp_path / "history.db") as h:
        cids = [h.new_conversation(f"conversation {n}") for n in range(4)]
        rows = [(cid, "user", f"message {i} about bgp neighbours on r{i % 5} and the hold timer", "2026-01-01T00:00:00",
                 "{}") for cid in cids for i in range(2500)]
        with h._conn:
            h._conn.executemany("INSERT INTO messages(conversation_id, role, content, created_at, meta) "
                                "VALUES (?, ?, ?, ?, ?)", rows)
        found = [Conversation(*r) for r in h._conn.execute(
            "SELECT c.id, c.title, c.started_at, c.updated_at, c.model, 0 FROM conversations c").fetchall()]
        matched = {c.id: c.match for c in h._with_matches(found, "bgp")}
        assert all(m is not None and m.startswith(f"message 2499 about {MATCH_OPEN}bgp{MATCH_CLOSE}")
                   for m in matched.values()), matched  # each conversation's newest matching message
