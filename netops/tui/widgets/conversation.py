"""The scrolling conversation. It follows new text at its end (Textual's anchor); scrolling up
stops following, and scrolling down to the end follows again."""

from __future__ import annotations

from typing import Any

from textual import events
from textual.containers import VerticalScroll


class Conversation(VerticalScroll):
    """A :class:`VerticalScroll` whose PageDown / Down / mouse wheel at the end follow again.

    Textual releases the anchor on every scroll and takes it back only when the scroll position
    *changes* to the end. A PageDown that found the view already at the end (one press too many,
    or while it follows a streaming answer) changed nothing, so the anchor stayed released and
    the view stood still while the answer went on below it. Pages are also scrolled at once and
    counted from where the previous key sent the view (Textual scrolls after the next frame, from
    the position before it): keys that arrive together (a paste of keys, tmux send-keys, a key
    held down) add up instead of each starting from a stale position.
    """

    DEFAULT_CSS = """
    Conversation { height: 1fr; padding: 0 1; scrollbar-size-vertical: 1; }
    """

    def _follows(self, rows: float) -> bool:
        """Scrolling ``rows`` down reaches the end: follow the end instead (True if so)."""
        if self.scroll_target_y + rows < self.max_scroll_y:
            return False
        self.anchor()  # at the end now, and it stays there as text arrives
        return True

    def scroll_page_down(self, *, animate: bool = True, **kwargs: Any) -> None:
        rows = self.scrollable_content_region.height
        if not self._follows(rows):
            self.scroll_to(y=self.scroll_target_y + rows, animate=animate, immediate=True)

    def scroll_page_up(self, *, animate: bool = True, **kwargs: Any) -> None:
        if self.scroll_target_y <= 0:  # nothing above: moving nowhere must not stop the following
            return
        self.scroll_to(y=self.scroll_target_y - self.scrollable_content_region.height, animate=animate,
                       immediate=True)

    def scroll_down(self, **kwargs: Any) -> None:
        if not self._follows(1):
            super().scroll_down(**kwargs)

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        if not (event.ctrl or event.shift) and self._follows(self.app.scroll_sensitivity_y):
            event.prevent_default()
            event.stop()
