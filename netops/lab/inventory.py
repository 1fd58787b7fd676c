"""The lab's inventory in Nornir SimpleInventory layout (hosts / groups / defaults).

No secret is written here: authentication is by ``data.ssh_key_file``; the password is
named by ``data.password_env`` and lives in ``data.password_file`` (mode 0600) for people who
``source`` it.
"""

from __future__ import annotations

from typing import Any

from netops.lab.types import LabInfo


def inventory_dict(info: LabInfo) -> dict[str, Any]:
    hosts: dict[str, Any] = {}
    for r in info.routers:
        hosts[r.name] = {
            "hostname": r.ssh_host,
            "port": r.ssh_port,
            "username": info.username,
            "platform": "frr",
            "groups": ["lab"],
            "data": {
                "asn": r.asn,
                "loopback": r.loopback,
                "router_id": r.router_id,
                "namespace": r.namespace,
                "role": "router",
                "interfaces": {
                    link.interface: {
                        "address": link.address,
                        "peer": link.peer,
                        "peer_address": link.peer_address,
                        "description": link.description,
                    }
                    for link in r.links
                },
                "bgp_neighbors": {link.peer_address: {"peer": link.peer,
                                                      "remote_as": 65000 + int(link.peer[1:])}
                                  for link in r.links},
            },
        }
    return {
        "hosts": hosts,
        "groups": {
            "lab": {
                "platform": "frr",
                "data": {"site": f"netops-lab-{info.lab_id}", "lab_id": info.lab_id},
            },
        },
        "defaults": {
            "username": info.username,
            "port": 22,
            "ssh_key_file": str(info.key_file),
            "password_env": info.password_env,
            "data": {
                "ssh_key_file": str(info.key_file),
                "password_env": info.password_env,
                "password_file": str(info.password_file),
                "known_hosts": str(info.known_hosts_path),
            },
        },
    }


def render_inventory(info: LabInfo) -> str:
    import yaml

    header = (f"# netops lab {info.lab_id}: written by `netops lab up`, removed by `netops lab down`.\n"
              f"# Password: source {info.password_file} (exports {info.password_env}).\n")
    return header + yaml.safe_dump(inventory_dict(info), sort_keys=False, default_flow_style=False)
