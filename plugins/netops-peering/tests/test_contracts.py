"""The peering plugin's tests are netops' plugin contract, nothing more (see netops.testing.contracts)."""

from pathlib import Path

from netops.testing import contracts

HERE = Path(__file__).resolve().parent


class TestPeeringPlugin(contracts.PluginContract):
    plugin = "peering"
    render_fixtures = HERE / "rendered"
    parser_captures = HERE / "captures"
    tool_calls = {
        "peeringdb_lookup": [{"asn": 64999}, {"ip": "198.51.100.202"}, {"name": "route server"}],
    }
