"""政策兑现 information in the back office and on the policy page; 政策找人 pages; the
personal-centre section; staff's count of qualifying profiles (issue 14)."""

import re

import pytest

from gongkai.accounts.models import Role
from gongkai.catalogue import services as catalogue_services
from gongkai.policies import services
from gongkai.policies.models import PolicyConditions

from .factories import PolicyConditionsFactory, PolicyItemFactory


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def editor(org_tree, make_staff):
    return make_staff(Role.EDITOR, org_tree["finance"])


def conditions_post(**extra):
    data = {
        "industries": "C39, i65",
        "scales": ["small", "micro"],
        "min_years": "2",
        "apply_from": "2026-01-01",
        "apply_until": "2026-12-31",
        "procedure": "网上申报，财政局审核。",
        "materials": "营业执照、申请表",
        "office": "企业服务科",
        "phone": "0571-87001234",
        "redemption": "直接拨付",
        "amount": "最高50万元",
    }
    data.update(extra)
    return data


def test_revision_apply_copies_the_conditions(org_tree, editor, monkeypatch):
    live = PolicyItemFactory(organisation=org_tree["finance"])
    PolicyConditionsFactory(item=live, office="旧科室")
    revision = catalogue_services.item_revision_open(item=live, acting_user=editor)
    assert PolicyConditions.objects.get(item=revision).office == "旧科室"
    services.policy_conditions_set(
        item=revision, data={"office": "新科室", "industries": ["C39"]}, acting_user=editor
    )
    monkeypatch.setattr("gongkai.review.chain_services.review_approval_problem", lambda _obj: "")
    catalogue_services.item_revision_apply(revision=revision, acting_user=None)
    row = PolicyConditions.objects.get(item=live)
    assert row.office == "新科室"
    assert list(row.industry_rows.values_list("code", flat=True)) == ["C39"]
