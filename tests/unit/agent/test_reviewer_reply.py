"""The model reviewer's reply, as the user sees it in the approval prompt."""

from __future__ import annotations

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from netops.agent.reviewer import review_with_model


@pytest.mark.parametrize("deadline", [None, 30.0])
def test_a_reply_with_no_verdict_is_not_reported_as_an_objection(deadline):
    """SmolLM2 answers the reviewer in prose, with no JSON verdict. The user must not read
    'model reviewer objected' (it did not); they read that it gave no verdict. Still a warning:
    a missing second opinion never counts as an ok."""
    model = FakeListChatModel(responses=["The plan sets the OSPF cost on eth-r1 of r2, as asked."])
    v = review_with_model(model, "ospf-cost on r2", "set ospf cost 50 on eth-r1 of r2", "", deadline=deadline)
    assert v.level == "warn"
    assert not any("objected" in f for f in v.findings), v.findings
    assert any("no verdict" in f for f in v.findings), v.findings


def test_a_json_warn_with_no_findings_says_it_gave_no_reason():
    model = FakeListChatModel(responses=['{"verdict": "warn", "findings": []}'])
    v = review_with_model(model, "ospf-cost on r2", "set ospf cost 50 on eth-r1 of r2", "")
    assert v.level == "warn" and v.findings == ["model: the model reviewer warned without giving a reason"]
