"""A question naming a thing the documents never mention is not covered (abstain35).

"how many port-channels does the AS-9000 support?" over a vendor how-to for the AS-7000 was answered
(similarity 0.77) from "The AS-7000 supports up to 32 port-channels": the cosine cannot tell one model
number from another. A word with a digit in it (a model, an optic, a release) that occurs nowhere in
the documents now decides; an address ("fec0::/10") and a compound whose parts the documents know
("BGP-4-only") do not. Over the real RFC 4271 lexical index."""

from __future__ import annotations

import pytest

from netops.agent.grounding import from_knowledge


@pytest.mark.parametrize("question, named", [
    ("what hold time does the RX-900 router use for BGP?", "rx-900"),
    ("how many BGP peers does the AS-9000 support?", "as-9000"),
])
def test_a_model_number_the_documents_never_name_is_not_covered(kb, question, named):
    cov = from_knowledge(question, kb).coverage
    assert cov is not None and not cov.covered
    assert cov.reason == f"{named} occurs nowhere in the documents"


@pytest.mark.parametrize("question, unknown", [
    ("what hold time does a BGP-4-only speaker use?", ["bgp-4-only"]),  # every part known: BGP-4, only
    ("can fec0::/10 be sent in the BGP NLRI field?", ["fec0"]),         # an address, not a name
    ("what happens if the hold time is set to 7777 seconds?", ["7777"]),  # a bare number: a value
])
def test_an_address_or_a_compound_of_known_words_names_nothing_missing(kb, question, unknown):
    from netops.agent.abstain import _identifiers

    assert _identifiers(question, unknown, kb.lexical.term_counts) == []
    assert _identifiers("what hold time does the RX-900 use?", ["rx-900"], kb.lexical.term_counts) == ["rx-900"]
