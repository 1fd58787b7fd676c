"""Test doubles for netops backends (usable by plugin authors)."""
