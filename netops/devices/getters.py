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

            return peer_routes.run(name, fn, lambda: module.GETTERS["bgp_neighbors"](host, read), host, read,
                                   addresses=peer_addresses, **args)
        if name == "bgp_neighbors" and "vrf" in args:
            return _in_vrf(fn(host, read), args["vrf"])
        return fn(host, read, **args)

    return name, dispatch


def _in_vrf(found: Any, vrf: str) -> Any:
    """The sessions of ``vrf``; when it has none, a note naming the VRFs that do."""
    others = sorted({n.vrf for n in found.neighbors})
    found.neighbors = [n for n in found.neighbors if n.vrf == vrf]
    if not found.neighbors and not found.note:
        found.note = (f"no BGP sessions in VRF {vrf}" + (f" (sessions are in: {', '.join(others)})" if others
                                                         else ""))
    return found
