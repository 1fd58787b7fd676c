"""The side panel: devices (platform, reachability), the lab, and the knowledge index.

Everything is read in thread workers through the session; the panel shows "..." until then
and one line if a part cannot be read. Nothing here decides anything.
"""

from __future__ import annotations

from typing import Any

from rich.markup import escape
from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static


class SidePanel(VerticalScroll):
    """Toggle with F2 (``chat.side_panel``); ``refresh_all`` re-reads every part."""

    DEFAULT_CSS = """
    SidePanel {
        /* docks overlap: below the status line (it covered what runs and the conversation) */
        width: 38; dock: right; height: 1fr; margin: 1 0 0 0;
        border-left: wide $primary 40%; background: $surface; padding: 0 1;
    }
    SidePanel .side-title { text-style: bold; color: $text-accent; margin: 1 0 0 0; }
    SidePanel .side-body { color: $text; }
    """

    def __init__(self, session: Any, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.session = session
        self.devices: list[dict[str, Any]] = []
        self.reachable: dict[str, bool | None] = {}
        self.loaded = False

    def compose(self) -> ComposeResult:
        yield Static("Devices", classes="side-title")
        yield Static("...", id="side-devices", classes="side-body")
        yield Static("Lab", classes="side-title")
        yield Static("...", id="side-lab", classes="side-body")
        yield Static("Knowledge index", classes="side-title")
        yield Static("...", id="side-index", classes="side-body")

    def refresh_all(self) -> None:
        self.loaded = True
        self._load_devices()
        self._load_lab()
        self._load_index()

    def _set(self, part: str, text: str) -> None:
        try:
            self.query_one(f"#side-{part}", Static).update(text)
        except Exception:  # the panel was removed meanwhile
            pass

    def _post(self, part: str, text: str) -> None:
        self.app.call_from_thread(self._set, part, text)

    # -- devices ---------------------------------------------------------------------------
    def _devices_text(self) -> str:
        if not self.devices:
            return "no devices in the inventory"
        marks = {True: "[green]✓ up[/]", False: "[red]✗ down[/]", None: "[dim]… checking[/]"}
        return "\n".join(f"{escape(d['name'])} [dim]{escape(d['platform'])}[/] {marks[self.reachable.get(d['name'])]}"
                         for d in self.devices)

    @work(thread=True, group="side-devices", exclusive=True, exit_on_error=False)
    def _load_devices(self) -> None:
        try:
            hosts = list(self.session.devices.inventory)
        except Exception as exc:
            self._post("devices", escape(f"no inventory: {getattr(exc, 'message', None) or exc}"))
            return
        self.devices = [{"name": h.name, "platform": h.platform} for h in hosts]
        self.reachable = {d["name"]: None for d in self.devices}
        self._post("devices", self._devices_text())
        if not hosts:
            return
        try:
            results = self.session.devices.check("all")
            for name, r in results.items():
                self.reachable[name] = bool(r.ok)
        except Exception as exc:
            self._post("devices", self._devices_text() + "\n" + escape(f"check failed: {exc}"))
            return
        self._post("devices", self._devices_text())

    # -- lab -------------------------------------------------------------------------------
    @work(thread=True, group="side-lab", exclusive=True, exit_on_error=False)
    def _load_lab(self) -> None:
        """Every lab with recorded state under this home (``netops lab up [--id N]``)."""
        try:
            from netops.lab import Lab

            root = self.session.settings.paths.lab_dir
            ids = sorted(int(d.name) for d in root.iterdir() if d.name.isdigit() and (d / "state.json").exists()) \
                if root.is_dir() else []
            statuses = [Lab(self.session.settings, i).status() for i in ids]
        except Exception as exc:
            self._post("lab", escape(f"unknown ({getattr(exc, 'message', None) or exc})"))
            return
        up = [st for st in statuses if st.up]
        if not up:
            self._post("lab", "no lab is up [dim](netops lab up)[/]")
            return
        lines = []
        for st in up:
            lines.append(f"lab {st.lab_id}: " + ("[green]healthy[/]" if st.healthy else "[yellow]degraded[/]"))
            lines.append("  " + "  ".join(f"{escape(r.name)} " + ("[green]✓[/]" if r.healthy else "[red]✗[/]")
                                          for r in st.routers))
        self._post("lab", "\n".join(lines))

    # -- index -----------------------------------------------------------------------------
    @work(thread=True, group="side-index", exclusive=True, exit_on_error=False)
    def _load_index(self) -> None:
        try:
            st = self.session.kb.stats()
        except Exception as exc:
            self._post("index", escape(f"unavailable: {getattr(exc, 'message', None) or exc}"))
            return
        kinds = ", ".join(f"{k} {v}" for k, v in sorted(st.kinds.items()))
        embedder = "" if st.embedder.startswith("none") else f"; embedder {st.embedder}"  # it said lexical-only twice
        self._post("index", escape(f"{st.docs} documents, {st.chunks} chunks\n{st.mode}{embedder}"
                                   + (f"\n{kinds}" if kinds else "")))
