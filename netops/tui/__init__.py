"""``netops chat``: the Textual terminal chat. A surface only: it renders the events of
:meth:`netops.assistant.Assistant.events`, answers approval requests with a modal, cancels
through a :class:`~netops.cancel.CancelToken`, and runs slash commands through the library.

Import :mod:`netops.tui.app` lazily: Textual costs ~0.35 s to import.
"""

import os as _os

# Frame pacing. Textual draws on a timer of 1/TEXTUAL_FPS (default 60) and, after a frame that
# took longer than one interval, skips a slot: the next change then waits up to two intervals
# (33 ms at 60) before it is drawn. A chat's frames are driven by changes (keys, appends,
# scrolling), not animation, so a finer timer costs nothing while idle and halves that wait
# (bench/tui.py: scroll p95 54 -> 38-41 ms on an idle 2-core machine). A TEXTUAL_FPS the person
# set wins; it must be in place before Textual is imported, which this package does lazily.
_os.environ.setdefault("TEXTUAL_FPS", "120")
