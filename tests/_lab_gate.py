"""A silently skipped lab suite is a red run: in CI as root, a skipped ``lab`` test fails.

Enabled when ``NETOPS_REQUIRE_LAB=1`` (``.ci/run`` sets it when it runs as root) or when ``CI``
is set and the tests run as root. Only tests marked ``lab`` are affected: legitimately optional
skips (no real model, no chroma CLI) carry other markers and stay skips.
"""

from __future__ import annotations

import os

import pytest

_KEY = pytest.StashKey[bool]()


def lab_required(environ=os.environ) -> bool:
    """Must every ``lab`` test run (not skip) in this session?"""
    if environ.get("NETOPS_REQUIRE_LAB") == "1":
        return True
    is_root = hasattr(os, "geteuid") and os.geteuid() == 0
    return bool(environ.get("CI")) and environ.get("NETOPS_REQUIRE_LAB") != "0" and is_root


def pytest_configure(config: pytest.Config) -> None:
    # Read once at start: per-test fixtures strip NETOPS_* from the environment.
    config.stash[_KEY] = lab_required()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    outcome = yield
    report = outcome.get_result()
    if (report.skipped and not hasattr(report, "wasxfail") and item.get_closest_marker("lab") is not None
            and item.config.stash.get(_KEY, False)):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = (f"lab test skipped where the lab is required (CI as root / NETOPS_REQUIRE_LAB=1): "
                           f"{reason}")
