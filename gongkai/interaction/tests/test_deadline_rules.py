"""留言答复时限 (issue 15 item 7): an organisation's 政务公开管理员 sets its own 承诺时限 per
channel through an audited, validated service; without a rule the channel's default applies."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.accounts.models import Role
from gongkai.core.models import AuditEntry
from gongkai.interaction import selectors, services
from gongkai.interaction.models import DeadlineRule

pytestmark = pytest.mark.django_db


@pytest.fixture
def finance_admin(org_tree, make_staff):
    return make_staff(Role.ADMIN, org_tree["finance"], username="finance_admin")


def _rules():
    return list(
        DeadlineRule.objects.values_list(
            "organisation__code",
            "channel",
            "reply_workdays",
            "resolution_workdays",
            "first_contact_hours",
        )
    )


def test_without_a_rule_the_default_applies(org_tree):
    table = {row.channel: row for row in selectors.deadline_table(org_tree["finance"])}
    assert len(table) == 8
    assert (table["website"].limits.reply_days, table["website"].limits.source) == (5, "default")
    assert table["hotline_12345"].limits.reply_days == 3
    jsjb = table["jsjb"].limits
    assert (jsjb.reply_days, jsjb.resolution_days, jsjb.first_contact_hours) == (1, 15, 2)
    assert all(row.rule is None for row in table.values())


def test_an_admin_sets_changes_and_drops_its_own_rule(org_tree, finance_admin):
    finance = org_tree["finance"]
    services.deadline_rule_set(
        organisation=finance,
        channel="website",
        reply_workdays=3,
        resolution_workdays=10,
        acting_user=finance_admin,
    )
    assert selectors.limits_for(finance.pk, "website").reply_days == 3
    assert selectors.limits_for(org_tree["office"].pk, "website").reply_days == 5
    row = next(r for r in selectors.deadline_table(finance) if r.channel == "website")
    assert (row.limits.source, row.default.reply_days) == ("rule", 5)
    rule = services.deadline_rule_set(
        organisation=finance,
        channel="website",
        reply_workdays=4,
        resolution_workdays=10,
        acting_user=finance_admin,
    )
    entries = AuditEntry.objects.filter(target_type="interaction.deadlinerule").order_by("id")
    assert [(e.action, e.target_label) for e in entries] == [
        ("create", "杭东市财政局 网站留言答复时限"),
        ("edit", "杭东市财政局 网站留言答复时限"),
    ]
    assert entries[1].detail == {
        "channel": "website",
        "changes": {"reply_workdays": {"old": 3, "new": 4}},
    }
    assert entries[0].organisation == finance
    services.deadline_rule_delete(rule=rule, acting_user=finance_admin)
    assert _rules() == []
    assert selectors.limits_for(finance.pk, "website").source == "default"
    assert (
        AuditEntry.objects.filter(action="delete", target_type="interaction.deadlinerule").count()
        == 1
    )


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"reply_workdays": 0}, "reply_workdays", "答复时限须为1至60个工作日"),
        ({"reply_workdays": None}, "reply_workdays", "请填写答复时限（工作日）"),
        ({"reply_workdays": 61}, "reply_workdays", "答复时限须为1至60个工作日"),
        (
            {"reply_workdays": 5, "resolution_workdays": 3},
            "resolution_workdays",
            "办结时限（3个工作日）不能短于答复时限（5个工作日）",
        ),
        (
            {"reply_workdays": 5, "resolution_workdays": 0},
            "resolution_workdays",
            "办结时限须为1至60个工作日",
        ),
        (
            {"reply_workdays": 1, "first_contact_hours": 0},
            "first_contact_hours",
            "首次联系时限须为1至72小时",
        ),
    ],
)
def test_bad_limits_are_refused_and_nothing_changes(
    org_tree, finance_admin, values, field, message
):
    services.deadline_rule_set(
        organisation=org_tree["finance"],
        channel="jsjb",
        reply_workdays=2,
        acting_user=finance_admin,
    )
    before = _rules()
    with pytest.raises(ValidationError, match=message) as refused:
        services.deadline_rule_set(
            organisation=org_tree["finance"], channel="jsjb", acting_user=finance_admin, **values
        )
    assert refused.value.message_dict == {field: [message]}
    assert _rules() == before
    assert AuditEntry.objects.filter(target_type="interaction.deadlinerule").count() == 1


def test_an_unknown_channel_and_another_organisation_are_refused(org_tree, finance_admin):
    with pytest.raises(ValidationError, match="未知的渠道“fax”"):
        services.deadline_rule_set(
            organisation=org_tree["finance"],
            channel="fax",
            reply_workdays=2,
            acting_user=finance_admin,
        )
    with pytest.raises(
        PermissionDenied, match="只有“杭东市人民政府办公厅”的政务公开管理员可以设置其留言答复时限"
    ):
        services.deadline_rule_set(
            organisation=org_tree["office"],
            channel="website",
            reply_workdays=2,
            acting_user=finance_admin,
        )
    assert _rules() == []
    assert not AuditEntry.objects.exists()
