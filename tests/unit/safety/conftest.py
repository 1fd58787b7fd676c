"""Fixtures for the safety tests: the playbook fixtures (FRR simulator, real SQLite audit)."""

from tests.unit.playbook.conftest import audit, devices, pb_dir, pb_settings, sim, vetted  # noqa: F401
