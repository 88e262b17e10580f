"""The 审查台账 and an item's 操作记录 in Chinese sentences (issue 15, item 5)."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from gongkai.accounts.models import Role
from gongkai.catalogue.services import item_create, item_update
from gongkai.core.models import AuditEntry
from gongkai.oversight.ledger import audit_sentence, detail_text

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture
def edited_item(org_tree, make_staff):
    editor = make_staff(Role.EDITOR, org_tree["finance"])
    editor.display_name = "张三"
    editor.save()
    item = item_create(
        organisation=org_tree["finance"],
        data={
            "title": "关于公布补贴名单的通知",
            "written_date": datetime.date(2026, 11, 2),
            "summary": "补贴名单。",
            "body": "<p>名单。</p>",
        },
        acting_user=editor,
    )
    item_update(
        item=item,
        data={
            "title": "关于公布2026年补贴名单的通知",
            "summary": "2026年补贴名单。",
        },
        acting_user=editor,
    )
    edit = AuditEntry.objects.get(action="edit", target_id=str(item.pk))
    AuditEntry.objects.filter(pk=edit.pk).update(
        created_at=datetime.datetime(2026, 11, 3, 14, 5, tzinfo=SHANGHAI)
    )
    return item


SENTENCE = (
    "张三于2026年11月3日 14:05修改了政府信息《关于公布2026年补贴名单的通知》的信息名称、内容概述。"
)


def test_edit_row_is_a_sentence_naming_only_the_changed_fields(edited_item):
    edit = AuditEntry.objects.get(action="edit", target_id=str(edited_item.pk))
    assert edit.detail == {"changed": ["summary", "title"]}
    assert audit_sentence(edit) == SENTENCE


def test_ledger_page_shows_sentences_not_json(client, edited_item, org_tree, make_staff):
    client.force_login(make_staff(Role.ADMIN, org_tree["finance"]))
    html = client.get(reverse("staff:workflow_audit"), {"action": "edit"}).content.decode()
    assert f'<td class="audit-sentence">{SENTENCE}</td>' in html
    assert "summary" not in html
    assert "changed" not in html
    assert "{" not in html.split("<tbody>")[1].split("</tbody>")[0]


def test_item_page_shows_its_history_as_sentences(client, edited_item, org_tree, make_staff):
    client.force_login(make_staff(Role.EDITOR, org_tree["finance"]))
    html = client.get(f"/staff/items/{edited_item.pk}/").content.decode()
    assert f'<td class="audit-sentence">{SENTENCE}</td>' in html
    created = AuditEntry.objects.get(action="create", target_id=str(edited_item.pk))
    when = timezone.localtime(created.created_at)
    assert (
        f"张三于{when.year}年{when.month}月{when.day}日 {when:%H:%M}"
        "创建了政府信息《关于公布补贴名单的通知》。"
    ) in html
    assert "index_number" not in html


def test_detail_text_uses_labels_and_status_names():
    assert (
        detail_text(
            {"from": "draft", "to": "in_review", "reason": "请补充附件", "urgent": True},
            "catalogue.informationitem",
        )
        == "原状态：草稿；新状态：审核中；理由：请补充附件；其他：是"
    )
    assert detail_text({"published_date": "2026-11-03"}, "catalogue.informationitem") == (
        "发布日期：2026年11月3日"
    )
    assert detail_text({"level": 1}, "accounts.organisation") == "审核级别：1"
    assert detail_text({}, "") == ""


def test_role_changes_read_as_sentences():
    detail = {
        "change": "assign",
        "role": "reviewer",
        "organisation": "113301000024900002",
        "review_level": 2,
        "include_descendants": True,
    }
    assert detail_text(detail, "accounts.user") == (
        "变更：授予角色；角色：审核人；机构：113301000024900002；审核级别：2；含下级机构：是"
    )
    assert detail_text({"change": "revoke", "role": "editor"}, "accounts.user") == (
        "变更：撤销角色；角色：编辑"
    )
