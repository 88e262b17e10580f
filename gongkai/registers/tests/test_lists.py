"""清单: versioned entries, 动态调整 through review, the list on a past date, Excel in and out."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import Workbook

from gongkai.accounts.models import Role
from gongkai.core.models import AuditEntry
from gongkai.registers import selectors, services
from gongkai.registers.models import Adjustment, Entry, EntryVersion

from .conftest import D, power, publish_through_chain
from .factories import AdjustmentFactory

pytestmark = pytest.mark.django_db


def names(org, on):
    return [(v.entry.code, v.name) for v in selectors.list_as_of(org, "powers", on)]


def test_list_as_of_follows_every_adjustment(chain, adjust):
    org, _editor, _reviewers = chain
    a = adjust("add", D(2025, 1, 1), values=power(name="甲事项"))
    b = adjust("add", D(2025, 1, 1), values=power(name="乙事项"))
    adjust("change", D(2025, 3, 1), entry=a.entry, values=power(name="甲事项（变更后）"))
    adjust("cancel", D(2025, 6, 1), entry=b.entry)
    adjust("add", D(2025, 6, 15), values=power(name="丙事项"))
    c_entry = Entry.objects.get(versions__name="丙事项")
    adjust("delegate", D(2025, 9, 1), entry=c_entry, delegated_to="区县市场监管部门")

    assert names(org, D(2024, 12, 31)) == []
    assert names(org, D(2025, 1, 1)) == [("QZ-0001", "甲事项"), ("QZ-0002", "乙事项")]
    assert names(org, D(2025, 2, 28)) == [("QZ-0001", "甲事项"), ("QZ-0002", "乙事项")]
    assert names(org, D(2025, 3, 1)) == [("QZ-0001", "甲事项（变更后）"), ("QZ-0002", "乙事项")]
    assert names(org, D(2025, 5, 31)) == [("QZ-0001", "甲事项（变更后）"), ("QZ-0002", "乙事项")]
    assert names(org, D(2025, 6, 1)) == [("QZ-0001", "甲事项（变更后）")]
    assert names(org, D(2025, 6, 15)) == [("QZ-0001", "甲事项（变更后）"), ("QZ-0003", "丙事项")]
    assert names(org, D(2025, 9, 1)) == [("QZ-0001", "甲事项（变更后）")]
    history = [
        (a.get_action_display(), a.name, a.effective_date)
        for a in selectors.adjustment_history(org, "powers")
    ]
    assert history == [
        ("下放", "丙事项", D(2025, 9, 1)),
        ("新增", "丙事项", D(2025, 6, 15)),
        ("取消", "乙事项", D(2025, 6, 1)),
        ("变更", "甲事项（变更后）", D(2025, 3, 1)),
        ("新增", "乙事项", D(2025, 1, 1)),
        ("新增", "甲事项", D(2025, 1, 1)),
    ]
    assert selectors.list_counts(org, D(2025, 7, 1)) == {"powers": 2}


def test_draft_and_in_review_adjustments_do_not_change_the_list(chain, adjust):
    org, editor, _reviewers = chain
    a = adjust("add", D(2025, 1, 1), values=power(name="甲事项"))
    draft = services.adjustment_create(
        organisation=org,
        list_kind="powers",
        action="cancel",
        entry=a.entry,
        effective_date=D(2025, 2, 1),
        reason="职能调整",
        legal_basis="杭编〔2025〕3号",
        values={},
        acting_user=editor,
    )
    from gongkai.review.chain_services import review_submit

    review_submit(content=draft, acting_user=editor)
    assert names(org, D(2025, 3, 1)) == [("QZ-0001", "甲事项")]
    # The cancellation carries the entry's content, so the history names what left.
    assert draft.name == "甲事项"
    assert draft.basis == "《中华人民共和国预算法》第九十二条"


def test_adjustment_drafts_and_edits_are_versions_and_announced(
    chain, django_capture_on_commit_callbacks
):
    """The one road of a content edit (``content_saved``): a version of every save and
    ``content_changed`` once committed, as for every other reviewed kind."""
    from gongkai.core.signals import content_changed
    from gongkai.review.chain_services import versions_for

    org, editor, _reviewers = chain
    heard: list[tuple[str, int]] = []

    def receive(sender, instance, kind, **kwargs):
        heard.append((kind, instance.pk))

    content_changed.connect(receive, weak=False)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            draft = services.adjustment_create(
                organisation=org,
                list_kind="powers",
                action="add",
                effective_date=D(2025, 1, 1),
                reason="新设职权",
                legal_basis="杭政〔2025〕2号",
                values=power(),
                acting_user=editor,
            )
            services.adjustment_update(
                adjustment=draft,
                effective_date=D(2025, 2, 1),
                reason="新设职权（补充依据）",
                legal_basis="杭政〔2025〕2号",
                values=power(name="对违反预算管理规定行为的行政处罚"),
                acting_user=editor,
            )
    finally:
        content_changed.disconnect(receive)
    versions = versions_for(draft)
    assert [(v.number, v.note, v.created_by) for v in versions] == [
        (1, "创建", editor),
        (2, "保存", editor),
    ]
    assert versions[0].snapshot["name"] == "对违反预算管理规定行为的处罚"
    assert versions[1].snapshot["name"] == "对违反预算管理规定行为的行政处罚"
    assert heard == [("register_adjustment", draft.pk), ("register_adjustment", draft.pk)]


def test_publish_without_final_approval_is_refused(chain):
    org, editor, _reviewers = chain
    draft = services.adjustment_create(
        organisation=org,
        list_kind="powers",
        action="add",
        effective_date=D(2025, 1, 1),
        reason="新设职权",
        legal_basis="杭政〔2025〕2号",
        values=power(),
        acting_user=editor,
    )
    with pytest.raises(
        ValidationError,
        match="“权责清单新增：对违反预算管理规定行为的处罚”未经审核流程终审通过，不能发布",
    ):
        services.adjustment_publish(adjustment=draft, acting_user=editor)
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert Entry.objects.count() == 0
    assert EntryVersion.objects.count() == 0


def test_adjustment_validation_names_the_fields(chain, adjust):
    org, editor, _reviewers = chain
    with pytest.raises(ValidationError, match="请填写调整理由") as caught:
        services.adjustment_create(
            organisation=org,
            list_kind="powers",
            action="add",
            effective_date=D(2025, 1, 1),
            reason=" ",
            legal_basis="",
            values=power(category="", implementer=""),
            acting_user=editor,
        )
    assert caught.value.message_dict == {
        "reason": ["请填写调整理由"],
        "legal_basis": ["请填写调整依据"],
        "category": ["请填写“类别”"],
        "implementer": ["请填写“实施主体”"],
    }
    a = adjust("add", D(2025, 3, 1))
    with pytest.raises(
        ValidationError, match="调整日期不能早于该事项现行版本的起始日期（2025-03-01）"
    ) as caught:
        services.adjustment_create(
            organisation=org,
            list_kind="powers",
            action="change",
            entry=a.entry,
            effective_date=D(2025, 2, 1),
            reason="理由",
            legal_basis="依据",
            values=power(),
            acting_user=editor,
        )
    assert caught.value.message_dict == {
        "effective_date": ["调整日期不能早于该事项现行版本的起始日期（2025-03-01）"]
    }
    assert Adjustment.objects.count() == 1


def test_only_editors_draft_adjustments(chain, org_tree, make_staff):
    org, _editor, reviewers = chain
    outsider = make_staff(Role.EDITOR, org_tree["office"])
    for user in (reviewers[0], outsider):
        with pytest.raises(PermissionDenied, match="您没有在“杭东市财政局”编辑清单的权限"):
            services.adjustment_create(
                organisation=org,
                list_kind="powers",
                action="add",
                effective_date=D(2025, 1, 1),
                reason="理由",
                legal_basis="依据",
                values=power(),
                acting_user=user,
            )
    assert Adjustment.objects.count() == 0


def test_fee_list_keeps_only_its_own_columns(chain):
    org, editor, reviewers = chain
    obj = services.adjustment_create(
        organisation=org,
        list_kind="fees",
        action="add",
        effective_date=D(2025, 1, 1),
        reason="公布涉企收费",
        legal_basis="发改价格〔2025〕1号",
        values={
            "name": "不动产登记费",
            "basis": "财税〔2016〕79号",
            "standard": "每件80元",
            "duties": "不属于收费清单的列",
        },
        acting_user=editor,
    )
    publish_through_chain(obj, editor, reviewers)
    version = EntryVersion.objects.get()
    assert (version.entry.code, version.name, version.standard, version.duties) == (
        "SF-0001",
        "不动产登记费",
        "每件80元",
        "",
    )


def test_factory_rows_are_not_public_until_applied(chain):
    org, _editor, _reviewers = chain
    AdjustmentFactory(organisation=org, status="approved")
    assert list(selectors.list_as_of(org, "powers", D(2025, 6, 1))) == []


# --- Excel ---------------------------------------------------------------------------------


def workbook(rows, title="权责清单"):
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


HEADER = ["事项名称", "类别", "设定依据", "实施主体", "责任事项", "追责情形"]


def test_import_creates_one_draft_per_row(chain):
    org, editor, _reviewers = chain
    data = workbook(
        [
            HEADER,
            ["甲", "行政处罚", "《预算法》", "市财政局", "立案", "失职"],
            [None, None, None, None, None, None],
            ["乙", "检查", "《会计法》", "市财政局", "", ""],
        ]
    )
    created = services.adjustments_import(
        organisation=org,
        list_kind="powers",
        data=data,
        effective_date=D(2025, 1, 1),
        reason="清单初次公布",
        legal_basis="杭政办〔2025〕1号",
        acting_user=editor,
    )
    assert [(a.name, a.category, a.action, a.status) for a in created] == [
        ("甲", "处罚", "add", "draft"),
        ("乙", "检查", "add", "draft"),
    ]
    assert AuditEntry.objects.filter(action="import").count() == 1


def test_import_is_atomic_and_names_sheet_row_and_column(chain):
    org, editor, _reviewers = chain
    data = workbook(
        [
            HEADER,
            ["甲", "行政处罚", "《预算法》", "市财政局", "", ""],
            ["乙", "行政审批", "《会计法》", "", "", ""],
            ["甲", "检查", "《会计法》", "市财政局", "", ""],
        ]
    )
    with pytest.raises(
        ValidationError, match="工作表“权责清单”第3行“实施主体”列：不能为空"
    ) as caught:
        services.adjustments_import(
            organisation=org,
            list_kind="powers",
            data=data,
            effective_date=D(2025, 1, 1),
            reason="清单初次公布",
            legal_basis="依据",
            acting_user=editor,
        )
    assert caught.value.messages == [
        "工作表“权责清单”第3行“实施主体”列：不能为空",
        "工作表“权责清单”第3行“类别”列：“行政审批”不是权责清单的类别（可填：行政许可、行政处罚、"
        "行政强制、行政征收、行政给付、行政检查、行政确认、行政奖励、行政裁决、其他行政权力）",
        "工作表“权责清单”第4行“事项名称”列：与第2行重复",
    ]
    assert Adjustment.objects.count() == 0
    assert AuditEntry.objects.filter(action="import").count() == 0


def test_import_refuses_missing_columns_and_non_excel(chain):
    org, editor, _reviewers = chain
    kwargs = {
        "organisation": org,
        "list_kind": "powers",
        "effective_date": D(2025, 1, 1),
        "reason": "r",
        "legal_basis": "b",
        "acting_user": editor,
    }
    with pytest.raises(ValidationError, match="工作表“权责清单”第1行：缺少“设定依据”列") as caught:
        services.adjustments_import(data=workbook([["事项名称", "类别"], ["甲", "检查"]]), **kwargs)
    assert caught.value.messages == [
        "工作表“权责清单”第1行：缺少“设定依据”列",
        "工作表“权责清单”第1行：缺少“实施主体”列",
    ]
    with pytest.raises(
        ValidationError, match=r"无法读取该文件，请上传 \.xlsx 格式的Excel文件"
    ) as caught:
        services.adjustments_import(data=b"not a workbook", **kwargs)
    assert caught.value.messages == ["无法读取该文件，请上传 .xlsx 格式的Excel文件"]
    assert Adjustment.objects.count() == 0
