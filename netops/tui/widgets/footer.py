"""The key footer of the chat and of each modal: Textual's compact footer, fitted to the width.

Textual's footer lays its keys out in one row and cuts whatever passes the edge (or the palette
key docked on the right): at 60 columns the chat's showed ``^r History ^s`` and half a word.
This one leaves whole keys out instead, the least important first (``drop_first``), so what is
shown is always whole. A modal gets its own: the chat's footer under it offered ``esc Cancel``
where Escape closes or denies.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.cells import cell_len
from textual import events
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

PALETTE = "command_palette"
"""The action of the palette key (Ctrl+P), docked on the right."""


class KeyFooter(Footer):
    """A compact footer that shows only whole keys: when they do not fit, keys are left out,
    first those whose actions ``drop_first`` does not name (right to left), then the named ones
    in its order (:data:`PALETTE` names the palette key)."""

    def __init__(self, drop_first: Iterable[str] = (), **kw: Any) -> None:
        super().__init__(compact=True, **kw)
        self.drop_first = tuple(drop_first)
        self.hidden: frozenset[str] = frozenset()
        """The actions left out at the current width."""

    def _shown(self) -> tuple[list[tuple[str, int]], int]:
        """The footer's keys as (action, cells) in order, and the palette key's cells (0: none)."""
        keys: dict[str, int] = {}
        palette = 0
        bindings = self.screen.active_bindings
        for _, binding, _, _ in bindings.values():
            if not binding.show or binding.action in keys:
                continue
            # compact: "key description" and a one-cell margin after it
            keys[binding.action] = cell_len(f"{self.app.get_key_display(binding)} {binding.description}") + 1
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            found = bindings.get(self.app.COMMAND_PALETTE_BINDING)
            if found is not None:
                keys.pop(found.binding.action, None)
                # docked right: its border, the key, a space, the description, the margin
                palette = 1 + cell_len(f"{self.app.get_key_display(found.binding)} {found.binding.description}") + 1
        return list(keys.items()), palette

    def left_out(self, width: int) -> frozenset[str]:
        """The actions to leave out so that every other key is whole within ``width`` cells."""
        keys, palette = self._shown()
        order = [a for a, _ in reversed(keys) if a not in self.drop_first] + list(self.drop_first)
        size = dict(keys)
        if palette:
            size[PALETTE] = palette
        total = sum(size.values())
        out: set[str] = set()
        for action in order:
            if total <= width:
                break
            if action in size:
                out.add(action)
                total -= size[action]
        return frozenset(out)

    def compose(self) -> Any:
        self.hidden = self.left_out(self.size.width or self.app.size.width) if self._bindings_ready else frozenset()
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                widget.display = self._keeps(widget)
            yield widget

    def _keeps(self, key: FooterKey) -> bool:
        action = PALETTE if key.has_class("-command-palette") else key.action
        return action not in self.hidden

    def on_resize(self, event: events.Resize) -> None:
        if not self._bindings_ready:
            return
        self.hidden = self.left_out(event.size.width)
        for key in self.query(FooterKey):
            key.display = self._keeps(key)
