"""The model reviewer's reply, as the user sees it in the approval prompt."""

from __future__ import annotations

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from netops.agent.reviewer import review_with_model


@pytest.mark.parametrize("deadline", [None, 30.0])
def test_a_reply_with_no_verdict_is_not_reported_as_an_objection(deadline):
    """SmolLM2 answers the reviewer in prose, with no JSON verdict. The user must not read
    'model reviewer objected' (it did not); they read that it gave no verdict. Changed on purpose by
    helper "model19": no verdict is no second opinion, as with no model reviewer (level ok, said in one
    line), not a warning -- a warning meant --yes could never apply anything with SmolLM2. The intent
    check and the approval policy still decide (tests/unit/agent/test_reviewer_no_verdict.py)."""
    model = FakeListChatModel(responses=["The plan sets the OSPF cost on eth-r1 of r2, as asked."])
    v = review_with_model(model, "ospf-cost on r2", "set ospf cost 50 on eth-r1 of r2", "", deadline=deadline)
    assert v.level == "ok" and "not reviewed by the model" in v.findings[0]
    assert not any("objected" in f for f in v.findings), v.findings
    assert any("no verdict" in f for f in v.findings), v.findings


def test_a_json_warn_with_no_findings_says_it_gave_no_reason():
    model = FakeListChatModel(responses=['{"verdict": "warn", "findings": []}'])
    v = review_with_model(model, "ospf-cost on r2", "set ospf cost 50 on eth-r1 of r2", "")
    assert v.level == "warn" and v.findings == ["model: the model reviewer warned without giving a reason"]
