"""``python -m netops.rag.background``: embed the documents a lexical-first index still lacks.

Started detached by :meth:`netops.rag.kb.KnowledgeBase.start_background_vectors`; reads the
settings from the environment (``NETOPS_HOME``, config file) like any netops command, and exits
at once when another process is already doing the work.
"""

from __future__ import annotations

import sys
import time


def take_signals() -> None:
    """Let SIGTERM, SIGINT and SIGHUP end this process. A child inherits the signal mask of the
    thread that started it, and netops starts this one from a worker thread that blocks those
    signals (so they reach its main thread, see ``netops.assistant``): left so, `kill PID` and a
    shutdown's SIGTERM did nothing to a minutes-long embedding. The vectors are written a group
    at a time and the work resumes on the next use, so a stop loses at most one group."""
    import signal

    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM, signal.SIGHUP})


def main() -> int:
    take_signals()
    from netops.errors import NetopsError
    from netops.rag.kb import KnowledgeBase
    from netops.settings import load_settings

    import os

    try:
        os.nice(10)  # yield the CPU to whatever the user runs meanwhile
    except OSError:
        pass
    stamp = time.strftime("%Y-%m-%d %H:%M:%S")
    try:
        with KnowledgeBase(load_settings()) as kb:
            report = kb.complete_vectors()
    except NetopsError as exc:
        print(f"{stamp} vectors: failed: {exc.message}", file=sys.stderr)
        return 1
    print(f"{stamp} vectors: {len(report.added)} documents, {report.chunks} chunks embedded "
          f"in {report.seconds:.1f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
