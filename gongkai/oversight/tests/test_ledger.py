"""审查台账: filters, scope, Excel columns, retention (audit_prune)."""

import datetime
import io
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import load_workbook

from gongkai.accounts.models import Role, User
from gongkai.core.models import AuditEntry
from gongkai.core.services import audit_record
from gongkai.oversight.ledger import (
    EXPORT_HEADERS,
    LedgerFilter,
    audit_prune,
    ledger_entries,
    ledger_workbook,
)

TZ = timezone.get_default_timezone()


def _at(entry, y, m, d, hh=10):
    when = datetime.datetime(y, m, d, hh, 0, tzinfo=TZ)
    AuditEntry.objects.filter(pk=entry.pk).update(created_at=when)
    return entry


@pytest.fixture
def rows(org_tree, make_staff):
    finance, office = org_tree["finance"], org_tree["office"]
    alice = make_staff(Role.EDITOR, finance, username="alice")
    bob = make_staff(Role.EDITOR, office, username="bob")
    return {
        "a": _at(
            audit_record(
                action="submit", acting_user=alice, organisation=finance, target_label="甲"
            ),
            2026,
            3,
            1,
        ),
        "b": _at(
            audit_record(
                action="approve",
                acting_user=alice,
                organisation=finance,
                target=finance,
                detail={"level": 1},
            ),
            2026,
            3,
            15,
        ),
        "c": _at(
            audit_record(action="submit", acting_user=bob, organisation=office, target_label="乙"),
            2026,
            3,
            31,
            23,
        ),
        "d": _at(audit_record(action="login", acting_user=bob), 2026, 4, 2),
    }


def _ids(qs):
    return [e.pk for e in qs]


def test_scope_admin_sees_own_organisation_only(rows, org_tree, make_staff):
    admin = make_staff(Role.ADMIN, org_tree["finance"])
    assert _ids(ledger_entries(admin, LedgerFilter())) == [rows["b"].pk, rows["a"].pk]
    city_admin = make_staff(Role.ADMIN, org_tree["city"], include_descendants=True)
    assert _ids(ledger_entries(city_admin, LedgerFilter())) == [
        rows["c"].pk,
        rows["b"].pk,
        rows["a"].pk,
    ]
    root = User.objects.create_superuser("root", password="x-1234-abcd")
    assert len(_ids(ledger_entries(root, LedgerFilter()))) == 4 + 0  # includes the login row
    editor = make_staff(Role.EDITOR, org_tree["finance"])
    with pytest.raises(PermissionDenied, match="只有政务公开管理员可以查看审查台账"):
        ledger_entries(editor, LedgerFilter())


def test_filters(rows, org_tree):
    root = User.objects.create_superuser("root", password="x-1234-abcd")

    def f(**kw):
        return _ids(ledger_entries(root, LedgerFilter(**kw)))

    D = datetime.date
    assert f(date_from=D(2026, 3, 15), date_to=D(2026, 3, 31)) == [rows["c"].pk, rows["b"].pk]
    assert f(date_to=D(2026, 3, 14)) == [rows["a"].pk]
    assert f(action="submit") == [rows["c"].pk, rows["a"].pk]
    assert f(actor="alice") == [rows["b"].pk, rows["a"].pk]
    assert f(actor="编辑2") == [rows["d"].pk, rows["c"].pk]
    assert f(organisation_id=org_tree["office"].pk) == [rows["c"].pk]
    assert f(target_type="accounts.organisation") == [rows["b"].pk]
    assert f(action="submit", organisation_id=org_tree["finance"].pk) == [rows["a"].pk]


def test_excel_columns_and_values(rows, org_tree):
    root = User.objects.create_superuser("root", password="x-1234-abcd")
    data = ledger_workbook(ledger_entries(root, LedgerFilter(action="approve")))
    ws = load_workbook(io.BytesIO(data)).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert (
        values[0]
        == list(EXPORT_HEADERS)
        == [
            "时间",
            "操作人",
            "操作",
            "对象类型",
            "对象编号",
            "对象名称",
            "所属机构",
            "详情",
            "IP地址",
        ]
    )
    assert values[1] == [
        "2026-03-15 10:00:00",
        "编辑1",
        "审核通过",
        "机构",
        str(org_tree["finance"].pk),
        "杭东市财政局",
        "杭东市财政局",
        "审核级别：1",
        None,
    ]
    assert len(values) == 2


def test_audit_prune_refuses_short_retention(rows):
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError, match="审计记录至少保留 180 天，不能只保留 179 天") as exc:
        audit_prune(days=179)
    assert exc.value.messages == ["审计记录至少保留 180 天，不能只保留 179 天"]
    with pytest.raises(CommandError, match="审计记录至少保留 180 天，不能只保留 30 天"):
        call_command("audit_prune", "--days", "30")
    assert AuditEntry.objects.count() == before


def test_audit_prune_deletes_only_older_rows(rows):
    now = datetime.datetime(2026, 10, 1, 12, 0, tzinfo=TZ)
    # cutoff = 2026-04-04 12:00: rows a, b, c (March) go; d (2 April) goes too; none newer.
    kept = _at(audit_record(action="login", target_label="新"), 2026, 9, 30)
    assert audit_prune(days=180, now=now) == 4
    remaining = list(AuditEntry.objects.order_by("id").values_list("action", "target_label"))
    assert remaining == [("login", "新"), ("delete", "清理审计记录")]
    log = AuditEntry.objects.get(action="delete")
    assert log.detail == {"days": 180, "before": "2026-04-04T12:00:00+08:00", "deleted": 4}
    assert kept.pk in AuditEntry.objects.values_list("pk", flat=True)
    with pytest.raises(ValueError, match="审计记录只能追加，不能删除"):
        log.delete()


def test_audit_prune_command(rows, capsys):
    call_command("audit_prune", "--days", "36500")
    assert capsys.readouterr().out.strip() == "已删除 0 条审计记录"
    assert AuditEntry.objects.filter(action="delete").count() == 1


def test_the_object_type_filter_names_every_type_in_chinese():
    """Issue 15 item 5: no English model name (number sequences, lookup tables) in the 审查台账
    filter."""
    from gongkai.oversight.ledger import target_type_choices

    choices = dict(target_type_choices())
    assert [label for label in choices.values() if not re.search(r"[\u3400-\u9fff]", label)] == []
    assert "catalogue.indexsequence" not in choices
    assert choices["catalogue.informationitem"] == "政府信息"
