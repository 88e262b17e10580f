import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from gongkai.accounts.models import Role
from gongkai.catalogue.models import Audience, Column, InformationItem, Page, TopicCategory
from gongkai.catalogue.selectors import (
    column_items,
    items_visible_to,
    public_items,
    validity_banner,
)
from gongkai.catalogue.services import (
    item_create,
    item_publish,
    item_set_validity,
    item_update,
    item_withdraw,
)
from gongkai.catalogue.testing import revise_approved
from gongkai.catalogue.tests.factories import InformationItemFactory
from gongkai.core.models import AuditEntry
from gongkai.review.testing import mark_approved

D = datetime.date
DEFAULT_DAY = D(2024, 1, 10)


@pytest.fixture
def published(org_tree, editor):
    def make(title: str, on: datetime.date = DEFAULT_DAY) -> InformationItem:
        item = item_create(
            organisation=org_tree["finance"],
            data={"title": title, "written_date": on, "body": "<p>正文</p>"},
            acting_user=editor,
        )
        mark_approved(item)
        return item_publish(item=item, acting_user=editor, on=on)

    return make


def test_seeded_classifications_columns_and_pages(db):
    tops = list(TopicCategory.objects.filter(parent=None).values_list("name", flat=True))
    assert len(tops) == 22
    assert tops[0] == "国务院组织机构"
    assert tops[-1] == "其他"
    assert TopicCategory.objects.count() == 22 + 121
    health = TopicCategory.objects.get(parent=None, name="卫生、体育")
    assert list(health.children.values_list("name", "sort_order")) == [
        ("卫生", 1),
        ("医药管理", 2),
        ("体育", 3),
        ("其他", 4),
    ]
    assert str(health.children.get(name="医药管理")) == "卫生、体育\\医药管理"
    assert list(Audience.objects.values_list("name", flat=True)) == [
        "公众",
        "企业",
        "社会组织",
        "政府机关",
        "其他",
    ]
    columns = {c.slug: (c.name, c.kind, c.update_period_days) for c in Column.objects.all()}
    assert columns["zdgk"] == ("主动公开基本目录", "catalogue", None)
    assert columns["dtyw"] == ("动态要闻", "news", 14)
    assert columns["tzgg"] == ("通知公告", "notice", 180)
    assert columns["zcwj"] == ("政策文件", "policy", 180)
    assert columns["wjjdp"] == ("稳经济大盘", "special", None)
    assert columns["zqjk"] == ("助企纾困", "special", None)
    assert Column.objects.get(slug="zqjk").parent.slug == "ztzl"
    assert dict(Page.objects.values_list("slug", "title")) == {
        "guide": "政府信息公开指南",
        "rules": "政府信息公开制度",
    }


def test_create_sanitises_body_and_stores_plain_text(org_tree, editor):
    topic = TopicCategory.objects.get(parent__name="财政、金融、审计", name="财政")
    item = item_create(
        organisation=org_tree["finance"],
        data={
            "title": "  关于做好2026年度部门预算编制工作的通知 ",
            "body": (
                '<h2>一、总体要求</h2><p onclick="x()">坚持<script>bad()</script>过紧日子。</p>'
            ),
            "topic": topic,
            "genre": "notice",
            "audiences": list(Audience.objects.filter(name__in=["公众", "企业"])),
            "columns": [Column.objects.get(slug="tzgg")],
        },
        acting_user=editor,
    )
    item.refresh_from_db()
    assert item.title == "关于做好2026年度部门预算编制工作的通知"
    assert item.body == "<h2>一、总体要求</h2><p>坚持过紧日子。</p>"
    assert item.body_text == "一、总体要求\n坚持过紧日子。"
    assert item.status == InformationItem.Status.DRAFT
    assert item.created_by == editor
    assert sorted(item.audiences.values_list("name", flat=True)) == ["企业", "公众"]
    entry = AuditEntry.objects.get(target_type="catalogue.informationitem", target_id=str(item.pk))
    assert (entry.action, entry.actor, entry.detail) == (
        "create",
        editor,
        {"index_number": item.index_number},
    )


@pytest.mark.parametrize(
    ("kind", "label"), [("on_request", "依申请公开"), ("withheld", "不予公开")]
)
def test_non_public_disclosure_needs_reason(org_tree, editor, kind, label):
    with pytest.raises(ValidationError, match=f"公开属性为“{label}”时必须填写理由") as info:
        item_create(
            organisation=org_tree["finance"],
            data={"title": "内部事务", "disclosure": kind, "disclosure_reason": "  "},
            acting_user=editor,
        )
    assert info.value.message_dict == {"disclosure_reason": [f"公开属性为“{label}”时必须填写理由"]}
    assert InformationItem.objects.count() == 0
    item = item_create(
        organisation=org_tree["finance"],
        data={
            "title": "内部事务",
            "disclosure": kind,
            "disclosure_reason": "属于内部事务信息（条例第十六条）",
        },
        acting_user=editor,
    )
    mark_approved(item)
    item_publish(item=item, acting_user=editor)
    assert not public_items().filter(pk=item.pk).exists()


def test_database_also_refuses_non_public_without_reason(org_tree):
    with pytest.raises(IntegrityError, match="item_non_public_needs_reason"), transaction.atomic():
        InformationItemFactory.create(
            organisation=org_tree["finance"],
            index_number="X/2026-00001",
            title="t",
            disclosure="withheld",
        )


def test_proactive_item_drops_stale_reason(org_tree, editor):
    item = item_create(
        organisation=org_tree["finance"],
        data={"title": "甲", "disclosure": "withheld", "disclosure_reason": "涉及个人隐私"},
        acting_user=editor,
    )
    item_update(item=item, data={"disclosure": "proactive"}, acting_user=editor)
    item.refresh_from_db()
    assert (item.disclosure, item.disclosure_reason) == ("proactive", "")


def test_publish_and_withdraw(org_tree, editor):
    item = item_create(organisation=org_tree["finance"], data={"title": "甲"}, acting_user=editor)
    mark_approved(item)
    item_publish(item=item, acting_user=editor, on=D(2026, 2, 3))
    item.refresh_from_db()
    assert (item.status, item.published_date) == ("published", D(2026, 2, 3))
    assert list(public_items()) == [item]
    mark_approved(item)
    with pytest.raises(ValidationError, match="“甲”已经发布") as info:
        item_publish(item=item, acting_user=editor)
    assert info.value.messages == ["“甲”已经发布"]
    with pytest.raises(ValidationError, match="请填写撤回理由") as info:
        item_withdraw(item=item, reason=" ", acting_user=editor)
    assert info.value.message_dict == {"reason": ["请填写撤回理由"]}
    item_withdraw(item=item, reason="内容有误，修改后重新发布", acting_user=editor)
    item.refresh_from_db()
    assert item.status == "withdrawn"
    assert list(public_items()) == []
    entry = AuditEntry.objects.filter(action="withdraw").get()
    assert entry.detail == {"reason": "内容有误，修改后重新发布"}


def test_publish_refused_before_written_date(org_tree, editor):
    item = item_create(
        organisation=org_tree["finance"],
        data={"title": "甲", "written_date": D(2026, 5, 1)},
        acting_user=editor,
    )
    mark_approved(item)
    with pytest.raises(ValidationError, match="发布日期不能早于成文日期") as info:
        item_publish(item=item, acting_user=editor, on=D(2026, 4, 30))
    assert info.value.messages == ["发布日期不能早于成文日期"]
    item.refresh_from_db()
    assert (item.status, item.published_date) == ("draft", None)


def test_validity_transitions_and_banners(published, editor):
    old = published("杭东市财政专项资金管理办法", D(2020, 5, 1))
    new = published("杭东市财政专项资金管理办法（2024年修订）", D(2024, 2, 20))
    assert validity_banner(old) is None
    assert old.validity_banner_text == ""

    item_set_validity(
        item=old, validity="expired", date=D(2023, 12, 31), replaced_by=None, acting_user=editor
    )
    assert validity_banner(old).text == "本文件已于2023年12月31日失效"

    # A 失效 document that has a successor names it, so readers can follow the validity.
    item_set_validity(
        item=old, validity="expired", date=D(2023, 12, 31), replaced_by=new, acting_user=editor
    )
    banner = validity_banner(old)
    assert banner.text == (
        "本文件已于2023年12月31日失效，现行文件为《杭东市财政专项资金管理办法（2024年修订）》"
    )
    assert banner.link_item == new

    item_set_validity(
        item=old, validity="repealed", date=D(2024, 3, 1), replaced_by=None, acting_user=editor
    )
    assert validity_banner(old).text == "本文件已于2024年3月1日废止"

    item_set_validity(
        item=old, validity="repealed", date=D(2024, 3, 1), replaced_by=new, acting_user=editor
    )
    banner = validity_banner(old)
    assert (
        banner.text
        == "本文件已于2024年3月1日废止，由《杭东市财政专项资金管理办法（2024年修订）》替代"
    )
    assert banner.link_item == new
    assert banner.link_text == "《杭东市财政专项资金管理办法（2024年修订）》"

    item_set_validity(
        item=old, validity="amended", date=D(2024, 3, 2), replaced_by=new, acting_user=editor
    )
    old.refresh_from_db()
    assert old.validity_banner_text == (
        "本文件已于2024年3月2日被《杭东市财政专项资金管理办法（2024年修订）》修改"
    )
    assert list(new.replaces.all()) == [old]

    item_set_validity(
        item=old, validity="valid", date=D(2025, 1, 1), replaced_by=new, acting_user=editor
    )
    old.refresh_from_db()
    assert (old.validity, old.validity_date, old.replaced_by) == ("valid", None, None)
    assert AuditEntry.objects.filter(action="validity", target_id=str(old.pk)).count() == 6


def test_banner_does_not_name_a_non_public_replacement(published, org_tree, editor):
    old = published("旧办法")
    draft = item_create(
        organisation=org_tree["finance"], data={"title": "新办法草稿"}, acting_user=editor
    )
    item_set_validity(
        item=old, validity="amended", date=D(2024, 3, 1), replaced_by=draft, acting_user=editor
    )
    banner = validity_banner(old)
    assert (banner.text, banner.link_item) == ("本文件已于2024年3月1日修改", None)


def test_validity_rules(published, editor):
    old = published("旧办法")
    cases = [
        ("repealed", None, None, {"validity_date": ["有效性为“废止”时必须填写日期"]}),
        (
            "amended",
            D(2024, 3, 1),
            None,
            {"replaced_by": ["有效性为“已修改”时必须指明修改后的文件"]},
        ),
        ("expired", D(2024, 3, 1), old, {"replaced_by": ["文件不能由其自身替代或修改"]}),
        ("repealed", D(2024, 3, 1), old, {"replaced_by": ["文件不能由其自身替代或修改"]}),
        ("amended", D(2024, 3, 1), old, {"replaced_by": ["文件不能由其自身替代或修改"]}),
    ]
    for validity, date, replaced_by, expected in cases:
        with pytest.raises(
            ValidationError, match=re.escape(next(iter(expected.values()))[0])
        ) as info:
            item_set_validity(
                item=old, validity=validity, date=date, replaced_by=replaced_by, acting_user=editor
            )
        assert info.value.message_dict == expected
    old.refresh_from_db()
    assert (old.validity, old.validity_date, old.replaced_by_id) == ("valid", None, None)


def test_successor_is_public_or_of_the_editors_organisation(
    published, org_tree, editor, office_editor
):
    old = published("旧办法")
    others_draft = item_create(
        organisation=org_tree["office"],
        data={"title": "办公室新办法草稿"},
        acting_user=office_editor,
    )
    message = (
        f"只能指明已公开的文件或本机构的文件；索引号为“{others_draft.index_number}”的文件尚未公开"
    )
    with pytest.raises(ValidationError, match=re.escape(message)) as info:
        item_set_validity(
            item=old,
            validity="repealed",
            date=D(2024, 3, 1),
            replaced_by=others_draft,
            acting_user=editor,
        )
    assert info.value.message_dict == {"replaced_by": [message]}
    old.refresh_from_db()
    assert (old.validity, old.validity_date, old.replaced_by_id) == ("valid", None, None)
    assert not AuditEntry.objects.filter(action="validity", target_id=str(old.pk)).exists()

    mark_approved(others_draft)
    item_publish(item=others_draft, acting_user=office_editor, on=D(2024, 2, 1))
    item_set_validity(
        item=old,
        validity="repealed",
        date=D(2024, 3, 1),
        replaced_by=others_draft,
        acting_user=editor,
    )
    old.refresh_from_db()
    assert (old.validity, old.replaced_by_id) == ("repealed", others_draft.pk)


def test_department_editor_cannot_touch_other_department(org_tree, editor, office_editor):
    item = item_create(organisation=org_tree["finance"], data={"title": "甲"}, acting_user=editor)
    with pytest.raises(PermissionDenied, match="您没有在“杭东市财政局”执行此操作的权限"):
        item_update(item=item, data={"title": "乙"}, acting_user=office_editor)
    mark_approved(item)
    with pytest.raises(PermissionDenied, match="您没有在“杭东市财政局”执行此操作的权限"):
        item_publish(item=item, acting_user=office_editor)
    with pytest.raises(PermissionDenied, match="您没有在“杭东市财政局”执行此操作的权限"):
        item_create(
            organisation=org_tree["finance"], data={"title": "丙"}, acting_user=office_editor
        )
    item.refresh_from_db()
    assert (item.title, item.status, InformationItem.objects.count()) == ("甲", "draft", 1)


def test_reviewer_sees_but_cannot_publish(org_tree, editor, make_staff):
    reviewer = make_staff(Role.REVIEWER, org_tree["finance"])
    item = item_create(organisation=org_tree["finance"], data={"title": "甲"}, acting_user=editor)
    assert list(items_visible_to(reviewer)) == [item]
    mark_approved(item)
    with pytest.raises(PermissionDenied, match="您没有在“杭东市财政局”执行此操作的权限"):
        item_publish(item=item, acting_user=reviewer)


def test_items_visible_to_scopes_by_organisation(org_tree, editor, office_editor, make_staff):
    finance_item = item_create(
        organisation=org_tree["finance"], data={"title": "财政"}, acting_user=editor
    )
    office_item = item_create(
        organisation=org_tree["office"], data={"title": "办公厅"}, acting_user=office_editor
    )
    city_admin = make_staff(Role.ADMIN, org_tree["city"], include_descendants=True)
    handler = make_staff(Role.FOI_HANDLER, org_tree["finance"])
    assert list(items_visible_to(editor)) == [finance_item]
    assert list(items_visible_to(office_editor)) == [office_item]
    assert set(items_visible_to(city_admin)) == {finance_item, office_item}
    assert list(items_visible_to(handler)) == []


def test_column_items_lists_public_items_of_the_column(published, org_tree, editor):
    special = Column.objects.get(slug="zqjk")
    a = published("助企纾困十条", D(2024, 1, 1))
    b = published("减税降费指南", D(2024, 2, 1))
    published("无关", D(2024, 3, 1))
    revise_approved(a, {"columns": [special]}, editor)
    revise_approved(b, {"columns": [special]}, editor)
    item_withdraw(item=a, reason="过期", acting_user=editor)
    assert list(column_items(special)) == [b]
