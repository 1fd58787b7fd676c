"""Per-question overhead a Session saves: two device questions in one Session (the second reuses
the first one's SSH connection, audit log and history) vs each question in a fresh Session.

    python bench/session_reuse.py [--lab-id 6] [--home DIR] [--rounds 15]

Both arms ask the same two offline questions about r1 (no model: the intent router calls one
typed getter over SSH), and both record every device command in the audit log. Rounds interleave
the arms; the figure is the median wall time of the *second* question:

* one session:   ``with Session(s) as session: ask(q1); ask(q2)``        (q2 timed)
* fresh session: ``with Session(s): ask(q1)`` then ``with Session(s): ask(q2)``  (q2 timed)

The difference is what a chat (``netops chat``) or any caller that keeps a Session saves per
question after the first.
"""

from __future__ import annotations

import datetime
import os
import statistics
import time

from _devlab import lab_settings

QUESTIONS = ("bgp neighbours on r1", "interfaces down on r1")


def _ask(session, question: str) -> float:
    t = time.perf_counter()
    answer = session.assistant().ask(question, offline=True)
    elapsed = time.perf_counter() - t
    assert answer.tool_calls and answer.tool_calls[0].ok, answer.text
    return elapsed


def main() -> None:
    import argparse

    ap = argparse.ArgumentParser()
    ap.add_argument("--lab-id", type=int, default=6)
    ap.add_argument("--home")
    ap.add_argument("--rounds", type=int, default=15)
    args = ap.parse_args()
    from netops.session import Session

    load0 = os.getloadavg()
    with lab_settings(args.lab_id, args.home) as (settings, info):
        with Session(settings) as warm:  # imports, router embedder decision, DB files created
            _ask(warm, QUESTIONS[0])
        one, fresh, first_one, first_fresh, conns = [], [], [], [], []
        for _ in range(args.rounds):
            with Session(settings) as session:
                first_one.append(_ask(session, QUESTIONS[0]))
                one.append(_ask(session, QUESTIONS[1]))
                conns.append(len(session.devices._pool))
            with Session(settings) as session:
                first_fresh.append(_ask(session, QUESTIONS[0]))
            with Session(settings) as session:
                fresh.append(_ask(session, QUESTIONS[1]))
        with Session(settings) as session:
            audited = len(session.audit.list(limit=None, kind="device_command"))
    ms = lambda xs: statistics.median(xs) * 1000  # noqa: E731
    print(f"# session_reuse {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, "
          f"{os.cpu_count()} CPUs, load {load0[0]:.1f}, {args.rounds} rounds, questions {QUESTIONS}")
    print(f"first question (both arms open a connection): {ms(first_one):.1f} / {ms(first_fresh):.1f} ms")
    print(f"second question, same Session (pooled SSH):   {ms(one):.1f} ms  (connections open: {max(conns)})")
    print(f"second question, fresh Session:               {ms(fresh):.1f} ms")
    print(f"saved per question after the first:           {ms(fresh) - ms(one):.1f} ms "
          f"({(1 - ms(one) / ms(fresh)) * 100:.0f}%)")
    print(f"device commands audited during the run: {audited}")


if __name__ == "__main__":
    main()
