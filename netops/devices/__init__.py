"""Devices: inventory, SSH transport, command policy, parsers/getters, fan-out."""
