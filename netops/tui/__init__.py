"""``netops chat``: the Textual terminal chat. A surface only: it renders the events of
:meth:`netops.assistant.Assistant.events`, answers approval requests with a modal, cancels
through a :class:`~netops.cancel.CancelToken`, and runs slash commands through the library.

Import :mod:`netops.tui.app` lazily: Textual costs ~0.35 s to import.
"""
