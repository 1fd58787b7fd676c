"""netops-peering: what the peering team adds to netops (see README.md)."""

__version__ = "0.2.0"
