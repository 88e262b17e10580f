"""政策评价: a report on a published policy, published through review, linked to the policy."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from gongkai.accounts.models import Role
from gongkai.catalogue.models import InformationItem
from gongkai.catalogue.services import index_numbers_allocate
from gongkai.participation import services
from gongkai.participation.models import PolicyEvaluation

pytestmark = pytest.mark.django_db

FINDINGS = {
    "standard": "补贴标准每户3000元。",
    "scope": "本市户籍60岁以上老年人家庭。",
    "usage": "全年受理申请1200件。",
    "results": "完成适老化改造1100户。",
    "problems": "农村地区知晓率偏低。",
}


def _policy(org, kind="normative"):
    (number,) = index_numbers_allocate(organisation=org, on_date=datetime.date(2025, 3, 1))
    return InformationItem.objects.create(
        index_number=number,
        organisation=org,
        title="杭东市居家适老化改造补贴办法",
        written_date=datetime.date(2025, 3, 1),
        published_date=datetime.date(2025, 3, 5),
        status="published",
        policy_kind=kind,
    )


def test_publish_refused_without_all_findings(org_tree, make_staff):
    office = org_tree["office"]
    editor = make_staff(Role.EDITOR, office)
    e = services.evaluation_create(
        organisation=office,
        policy=_policy(office),
        title="评价报告",
        plan="方案",
        methods=["interview"],
        acting_user=editor,
        **{**FINDINGS, "problems": ""},
    )
    with pytest.raises(ValidationError, match="存在问题"):
        services.evaluation_publish(evaluation=e, acting_user=editor, without_review="测试")
    e.refresh_from_db()
    assert e.status == "draft"


def test_only_published_policies_are_evaluated(org_tree, make_staff):
    office = org_tree["office"]
    editor = make_staff(Role.EDITOR, office)
    with pytest.raises(ValidationError, match="请选择评价方式") as error:
        services.evaluation_create(
            organisation=office,
            policy=_policy(office, kind=""),
            title="评价",
            plan="方案",
            methods=["nonsense"],
            acting_user=editor,
        )
    assert error.value.message_dict == {
        "methods": ["请选择评价方式"],
        "policy": ["只能评价已发布的政策文件"],
    }
    assert not PolicyEvaluation.objects.exists()
