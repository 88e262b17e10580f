"""三同步 link warnings (issue 15 item 2): an interpretation older than its policy, or from an
organisation unrelated to the policy's, is most often a mistyped 索引号."""

import datetime

import pytest

from gongkai.accounts.models import Role
from gongkai.catalogue.tests.factories import InformationItemFactory
from gongkai.checks.item_checks import InterpretationLink, interpretation_link_findings
from gongkai.checks.selectors import interpretation_findings, item_findings
from gongkai.policies.services import interpretation_create


def _link(**changes) -> InterpretationLink:
    values = {
        "interpretation_title": "稳岗补贴政策解读",
        "interpretation_org_id": 2,
        "interpretation_org": "杭东市财政局",
        "interpretation_date": datetime.date(2026, 3, 10),
        "policy_title": "杭东市小微企业稳岗补贴实施办法",
        "policy_org_id": 2,
        "policy_org": "杭东市财政局",
        "policy_date": datetime.date(2026, 3, 2),
    }
    return InterpretationLink(**(values | changes))


TREE = {1: {1, 2, 3}, 2: {1, 2}, 3: {1, 3}, 9: {9}}  # 1 city above 2 and 3; 9 elsewhere


def _findings(*links):
    return interpretation_link_findings(links, related_orgs=TREE.__getitem__)


def test_own_interpretation_after_the_policy_is_fine():
    assert _findings(_link()) == []
    # The same day, a draft (no date yet), or the city interpreting its department's document.
    assert _findings(_link(interpretation_date=datetime.date(2026, 3, 2))) == []
    assert _findings(_link(interpretation_date=None)) == []
    assert _findings(_link(interpretation_org_id=1, interpretation_org="杭东市人民政府")) == []


def test_interpretation_older_than_its_policy_is_warned():
    (finding,) = _findings(_link(interpretation_date=datetime.date(2025, 12, 31)))
    assert finding.message == (
        "政策解读《稳岗补贴政策解读》发布于2025-12-31，早于《杭东市小微企业稳岗补贴实施办法》"
        "的日期2026-03-02，请核对是否关联错了文件（三同步）"
    )
    assert (finding.kind, finding.blocking, finding.field) == (
        "santongbu",
        False,
        "interpretations",
    )


def test_interpretation_of_an_unrelated_organisation_is_warned():
    (finding,) = _findings(
        _link(interpretation_org_id=3, interpretation_org="杭东市人民政府办公厅")
    )
    assert finding.message == (
        "政策解读《稳岗补贴政策解读》由杭东市人民政府办公厅发布，"
        "《杭东市小微企业稳岗补贴实施办法》由杭东市财政局发布，"
        "两者没有上下级关系，请核对是否关联错了文件（联合发文的除外）"
    )
    assert not finding.blocking


@pytest.fixture
def linked(org_tree, make_staff):
    finance_editor = make_staff(Role.EDITOR, org_tree["finance"], username="fin_ed")
    edu_editor = make_staff(Role.EDITOR, org_tree["district_edu"], username="edu_ed")
    policy = InformationItemFactory.create(
        organisation=org_tree["finance"],
        title="杭东市小微企业稳岗补贴实施办法",
        index_number="113301000024900002/2026-00003",
        policy_kind="normative",
        written_date=datetime.date(2026, 3, 2),
    )
    own = interpretation_create(
        organisation=org_tree["finance"],
        title="稳岗补贴政策解读",
        body="<p>一、起草背景。</p>",
        policies=[policy],
        acting_user=finance_editor,
    )
    stranger = interpretation_create(
        organisation=org_tree["district_edu"],
        title="课后服务政策解读",
        body="<p>一、起草背景。</p>",
        policies=[policy],
        acting_user=edu_editor,
    )
    return policy, own, stranger


def test_the_policys_checks_name_the_strangers_interpretation(linked):
    policy, _own, _stranger = linked
    messages = [f.message for f in item_findings(policy) if f.field == "interpretations"]
    assert "政策解读《课后服务政策解读》由西湖区教育局发布，" in " ".join(messages)
    assert not any("稳岗补贴政策解读" in m for m in messages)


def test_the_interpretations_own_checks_warn_too(linked, settings):
    _policy, own, stranger = linked
    assert interpretation_findings(own) == []
    (finding,) = interpretation_findings(stranger)
    assert "由西湖区教育局发布" in finding.message
    settings.GONGKAI_SANTONGBU_MODE = "off"
    assert interpretation_findings(stranger) == []
