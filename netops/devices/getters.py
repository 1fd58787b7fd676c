"""Typed getters: one name, one model, every platform (``DeviceService.get``).

=============== ============================== =========================================
getter          aliases                        model
=============== ============================== =========================================
facts           facts                          :class:`~netops.devices.models.Facts`
interfaces      interfaces, int                :class:`~netops.devices.models.Interfaces`
bgp_neighbors   bgp (optional ``vrf=``)        :class:`~netops.devices.models.BgpNeighbors`
ospf_neighbors  ospf                           :class:`~netops.devices.models.OspfNeighbors`
route           route (``prefix=`` required)   :class:`~netops.devices.models.RouteLookup`
routes          (``prefix=`` required)         :class:`~netops.devices.models.RouteSet`
bgp_routes      (``prefix=`` required)         :class:`~netops.devices.models.BgpRoutes`
bgp_inbound     (``prefix=`` required)         :class:`~netops.devices.models.BgpInbound`
bgp_advertised  advertised (``peer=`` required) :class:`~netops.devices.models.BgpPeerRoutes`
bgp_received    received (``peer=`` required)  :class:`~netops.devices.models.BgpPeerRoutes`
config          config, running_config         :class:`~netops.devices.models.RunningConfig`
=============== ============================== =========================================

``routes``, ``bgp_routes`` and ``bgp_inbound`` (every route / BGP path at a prefix or inside it,
the peers' policies and what they sent before them, for a route diagnosis) are optional: a
platform module offers them in ``RIB_GETTERS`` next to ``GETTERS``. ``bgp_advertised`` and
``bgp_received`` (the routes sent to / taken from one peer, ``peer=`` an address or a host name,
or ``all`` for each peer of the VRF as a :class:`~netops.devices.models.BgpPeersRoutes`;
optional ``family=`` ipv4/ipv6 and ``vrf=``) are in ``PEER_GETTERS``; see :mod:`netops.devices.peer_routes`.
``bgp_neighbors`` with ``vrf=NAME`` keeps that VRF's sessions (every platform reads all VRFs).
"""

from __future__ import annotations

import importlib
import ipaddress
import re
from collections.abc import Callable
from typing import Any

from netops.devices.peer_routes import PEER_GETTERS, validate, vrf_name  # noqa: F401  (PEER_GETTERS: CLI)
from netops.errors import DeviceError, InputError

GETTER_NAMES = ("facts", "interfaces", "bgp_neighbors", "ospf_neighbors", "route", "config", "routes", "bgp_routes",
                "bgp_inbound", "bgp_advertised", "bgp_received")
PREFIX_GETTERS = ("route", "routes", "bgp_routes", "bgp_inbound")
ALIASES = {
    "bgp": "bgp_neighbors", "ospf": "ospf_neighbors", "int": "interfaces", "intf": "interfaces",
    "running_config": "config", "running-config": "config", "bgp-neighbors": "bgp_neighbors",
    "ospf-neighbors": "ospf_neighbors", "advertised": "bgp_advertised", "received": "bgp_received",
    "bgp-advertised": "bgp_advertised", "bgp-received": "bgp_received",
}


class GetterUnsupported(DeviceError):
    """The platform has no implementation of this getter."""


def canonical(getter: str) -> str:
    name = ALIASES.get(getter.strip().lower(), getter.strip().lower())
    if name not in GETTER_NAMES:
        import difflib

        close = difflib.get_close_matches(getter.strip().lower(), [*ALIASES, *GETTER_NAMES], n=1, cutoff=0.7)
        raise InputError(f"unknown getter {getter!r}" + (f"; did you mean {close[0]!r}?" if close else ""),
                         hint=f"one of: {', '.join(GETTER_NAMES)} (aliases: bgp, ospf, config)")
    return name


def resolve_getter(getter: str, kw: dict[str, Any]) -> tuple[str, Callable[..., Any]]:
    """``(canonical name, fn(host, read, **kw))``; validates the getter's arguments up front."""
    name = canonical(getter)
    if name in PREFIX_GETTERS:
        prefix = kw.get("prefix")
        if not prefix:
            raise InputError(f"the {name} getter needs a prefix or address", hint="e.g. --prefix 10.0.0.0/24")
        try:
            ipaddress.ip_network(str(prefix), strict=False)
        except ValueError:
            raise InputError(f"{prefix!r} is not an IP prefix or address") from None
        kw["prefix"] = str(prefix)
        if set(kw) != {"prefix"}:  # the getters take prefix= only: anything else was a TypeError per host
            raise InputError(f"the {name} getter takes only a prefix (got {', '.join(k for k in kw if k != 'prefix')})")
    elif name in PEER_GETTERS:
        kw.update(validate(name, kw))
    elif name == "bgp_neighbors" and set(kw) == {"vrf"}:
        kw["vrf"] = vrf_name(kw["vrf"])
    elif kw:
        raise InputError(f"getter {name!r} takes no arguments (got {', '.join(kw)})")

    def dispatch(host: Any, read: Callable[[str], str], *, peer_addresses: Callable[[], list[str]] | None = None,
                 **args: Any) -> Any:
        from netops.devices.parser_registry import getter_modules

        # Built-in platforms register their getter modules through the same hook as plugins.
        module_name = getter_modules().get(host.platform)
        if module_name is None:
            raise GetterUnsupported(f"no getters for platform {host.platform!r}")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            raise GetterUnsupported(f"no getters implemented for platform {host.platform} yet",
                                    hint="use 'netops show' with a read-only command instead") from None
        fn = (module.GETTERS.get(name) or getattr(module, "RIB_GETTERS", {}).get(name)
              or getattr(module, "PEER_GETTERS", {}).get(name))
        if fn is None:
            raise GetterUnsupported(f"getter {name!r} is not available for platform {host.platform}")
        if name in PEER_GETTERS:
            from netops.devices import peer_routes

            # the sessions as `state bgp` reads them: BGP that should run but is not is said (not "no such peer")
            return peer_routes.run(name, fn, lambda: _expected_bgp(host, read, module,
                                                                   module.GETTERS["bgp_neighbors"](host, read)),
                                   host, read,
                                   addresses=peer_addresses, **args)
        if name == "bgp_neighbors":
            found = _expected_bgp(host, read, module, fn(host, read))
            return _in_vrf(found, args["vrf"]) if "vrf" in args else found
        if name == "bgp_routes":  # the BGP table of a router whose bgpd is down: the same fault
            return _expected_bgp(host, read, module, fn(host, read, **args))
        return fn(host, read, **args)

    return name, dispatch


_BGP_CONFIG = re.compile(r"^(?:router bgp|bgp) (?P<asn>\d[\d.]*)\s*$"  # IOS, EOS, NX-OS, XR, FRR; VRP
                         # Junos set form (also inside a routing instance or logical system), braces form, SR OS
                         r"|^set (?:(?:logical-systems|routing-instances) \S+ )+protocols bgp\b|^set protocols bgp\b"
                         r"|^\s+bgp\s*(?:\{\s*)?$", re.M)


_DAEMON_DOWN = re.compile(r"\b[a-z0-9]+d is not running|failed to connect to any daemons", re.I)
"""The device's words when the daemon is down (FRR/Quagga vtysh), whose part of the running
configuration is then missing too."""


def expected_bgp(host: Any, read: Callable[[str], str], found: Any) -> Any:
    """:func:`_expected_bgp` with the host platform's getter module (a raw ``show`` read that
    the device answered with "BGP is not running" is judged by the same rule)."""
    from netops.devices.parser_registry import getter_modules

    return _expected_bgp(host, read, importlib.import_module(getter_modules()[host.platform]), found)


def _expected_bgp(host: Any, read: Callable[[str], str], module: Any, found: Any) -> Any:
    """A device that says BGP is not running (FRR: ``bgpd is not running``, as a router without
    BGP says too) but should run it: its running configuration has BGP in it (read only then),
    or the inventory gives it an AS number or BGP neighbours. ``found.expected`` says why, and the
    note says it is configured but not running. On FRR the running configuration is assembled from
    the daemons, so with bgpd down it has no ``router bgp``: there (or when the configuration could
    not be read) the inventory is what tells. A configuration read with no BGP in it, from a device
    whose daemon runs, is a router without BGP: no fault, whatever the inventory says."""
    from netops.devices.parsers import command_error, not_running_note

    off = not_running_note("BGP")
    if getattr(found, "neighbors", None) or getattr(found, "paths", None) or not (found.note or "").startswith(off):
        return found
    why = None
    said = found.note[len(off):].strip()
    # the configuration tells, unless it could not be read or is silent because the daemon that
    # would print its part is down (FRR: "bgpd is not running"; an FRR router whose bgpd runs with
    # no "router bgp" simply has no BGP, whatever AS the inventory gives it)
    config_tells = False
    config = module.GETTERS.get("config")
    if config is not None:
        try:
            text = config(host, read).text or ""
            m = _BGP_CONFIG.search(text)
            # an error reply ("% Invalid input", a user without the privilege) is no configuration
            config_tells = bool(text.strip()) and command_error(host.platform, text) is None \
                and not _DAEMON_DOWN.search(said)
        except DeviceError:  # the configuration could not be read: the inventory may still say
            m = None
        if m:
            why = (f"'{m.group(0).strip()}' in its running configuration" if m["asn"]
                   else "BGP in its running configuration")
    data = getattr(host, "data", None) or {}
    if why is None and not config_tells and data.get("asn") is not None:
        why = f"the inventory gives it AS {data['asn']}"
    elif why is None and not config_tells and data.get("bgp_neighbors"):
        why = f"the inventory lists {len(data['bgp_neighbors'])} BGP neighbour(s) for it"
    if why:
        found.expected = why
        found.note = f"BGP should run on this device ({why}) but is not running" + (f" {said}" if said else "")
    return found


def _in_vrf(found: Any, vrf: str) -> Any:
    """The sessions of ``vrf``; when it has none, a note naming the VRFs that do."""
    others = sorted({n.vrf for n in found.neighbors})
    found.neighbors = [n for n in found.neighbors if n.vrf == vrf]
    if not found.neighbors and not found.note:
        found.note = (f"no BGP sessions in VRF {vrf}" + (f" (sessions are in: {', '.join(others)})" if others
                                                         else ""))
    return found
