"""回应关切: the 舆情 ledger, responses and the quarterly export."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from openpyxl import load_workbook

from gongkai.accounts.models import Role
from gongkai.interaction import opinion
from gongkai.interaction.models import OpinionItem

pytestmark = pytest.mark.django_db

ITEM = {"source": "微博", "summary": "网民反映公租房排队时间长", "level": "significant"}


def test_record_respond_and_analyse(org_tree, make_staff):
    editor = make_staff(Role.EDITOR, org_tree["finance"])
    today = timezone.localdate()
    item = opinion.opinion_record(
        organisation=org_tree["finance"], data={**ITEM, "collected_on": today}, acting_user=editor
    )
    opinion.opinion_record(
        organisation=org_tree["finance"],
        data={**ITEM, "level": "general", "collected_on": today},
        acting_user=editor,
    )
    with pytest.raises(ValidationError, match="请关联回应的信息、解读或发布会，或填写回应说明"):
        opinion.opinion_respond(item=item, acting_user=editor)
    opinion.opinion_respond(item=item, note="已发布政策解读说明排队规则", acting_user=editor)
    analysis = opinion.quarterly_analysis({org_tree["finance"].pk}, today, today)
    assert analysis["collected"] == 2
    assert analysis["responded"] == 1
    assert analysis["by_level"] == {"general": 1, "significant": 1, "major": 0}
    sheet = load_workbook(io.BytesIO(opinion.quarterly_workbook(analysis, "分析"))).active
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    assert rows[1][:4] == ["收集", 2, "已回应", 1]
    assert rows[6][2] == "网民反映公租房排队时间长"


def test_refusals(org_tree, make_staff):
    handler = make_staff(Role.FOI_HANDLER, org_tree["finance"])
    editor = make_staff(Role.EDITOR, org_tree["finance"])
    with pytest.raises(PermissionDenied, match="只有该机构的编辑或政务公开管理员可以登记舆情"):
        opinion.opinion_record(
            organisation=org_tree["finance"],
            data={**ITEM, "collected_on": timezone.localdate()},
            acting_user=handler,
        )
    with pytest.raises(ValidationError, match="请选择研判等级"):
        opinion.opinion_record(
            organisation=org_tree["finance"],
            data={**ITEM, "level": "huge", "collected_on": timezone.localdate()},
            acting_user=editor,
        )
    assert OpinionItem.objects.count() == 0
