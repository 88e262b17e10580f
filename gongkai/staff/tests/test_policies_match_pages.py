"""View tests moved from gongkai/policies/tests/test_match_pages.py (issue 11 item 7)."""

import pytest
from django.utils import timezone

from gongkai.catalogue.models import InformationItem
from gongkai.core.models import AuditEntry
from gongkai.policies import services
from gongkai.policies.models import PolicyConditions, Qualification
from gongkai.policies.tests.factories import (
    MatchProfileFactory,
    PolicyConditionsFactory,
    PolicyItemFactory,
)
from gongkai.policies.tests.test_match_pages import conditions_post, text


def test_staff_sets_conditions_on_a_draft(client, org_tree, editor):
    draft = PolicyItemFactory(organisation=org_tree["finance"], status=InformationItem.Status.DRAFT)
    client.force_login(editor)
    high_tech = Qualification.objects.get(name="高新技术企业")
    r = client.post(
        f"/staff/items/{draft.pk}/conditions/",
        conditions_post(regions=[org_tree["city"].pk], qualifications=[high_tech.pk]),
    )
    assert r.status_code == 302
    row = PolicyConditions.objects.get(item=draft)
    assert row.industries == ["C39", "I65"]
    assert row.scales == ",small,micro,"
    assert (row.has_regions, row.has_industries, row.has_qualifications) == (True, True, True)
    assert sorted(row.industry_rows.values_list("code", flat=True)) == ["C39", "I65"]
    assert AuditEntry.objects.filter(
        target_id=str(draft.pk), action="edit", detail__has_key="policy_conditions"
    ).exists()


def test_a_bad_code_is_refused_and_nothing_saved(client, org_tree, editor):
    draft = PolicyItemFactory(organisation=org_tree["finance"], status=InformationItem.Status.DRAFT)
    client.force_login(editor)
    r = client.post(f"/staff/items/{draft.pk}/conditions/", conditions_post(industries="C01"))
    assert r.status_code == 200
    assert "“C01”不是GB/T 4754-2017行业代码" in text(r)
    assert not PolicyConditions.objects.filter(item=draft).exists()


def test_live_policy_conditions_go_through_a_revision(client, org_tree, editor):
    live = PolicyItemFactory(organisation=org_tree["finance"])
    PolicyConditionsFactory(item=live, scales=",large,", office="旧科室")
    with pytest.raises(Exception, match="不能直接修改政策兑现信息"):
        services.policy_conditions_set(item=live, data={"office": "新"}, acting_user=editor)
    client.force_login(editor)
    r = client.post(f"/staff/items/{live.pk}/conditions/", conditions_post(office="新科室"))
    assert r.status_code == 302
    revision = InformationItem.objects.get(revision_of=live)
    assert PolicyConditions.objects.get(item=revision).office == "新科室"
    # The public keeps the approved conditions until the chain approves the revision.
    assert PolicyConditions.objects.get(item=live).office == "旧科室"
    assert PolicyConditions.objects.get(item=live).scales == ",large,"


def test_staff_see_only_the_count_of_qualifying_profiles(
    client, org_tree, editor, django_user_model
):
    item = PolicyItemFactory(organisation=org_tree["finance"])
    PolicyConditionsFactory(item=item, industries=["C39"], regions=[org_tree["district"]])
    today = timezone.localdate()
    for n, (region, industry) in enumerate(
        [("district_edu", "C3911"), ("district", "C39"), ("finance", "C3911"), ("district", "I65")]
    ):
        user = django_user_model.objects.create_user(username=f"ent{n}", password="x-1234-abcd")
        MatchProfileFactory(
            user=user, region=org_tree[region], industry=industry, name=f"秘密企业{n}"
        )
    client.force_login(editor)
    html = text(client.get(f"/staff/items/{item.pk}/conditions/"))
    assert "目前有 2 个政策找人档案符合本政策的全部条件" in html
    assert "秘密企业" not in html
    assert today


def test_staff_push_a_notice_to_qualifying_profiles(client, org_tree, editor, django_user_model):
    from gongkai.subscriptions.models import InboxEntry

    item = PolicyItemFactory(organisation=org_tree["finance"])
    PolicyConditionsFactory(item=item, industries=["C39"])
    fits = django_user_model.objects.create_user(username="fits", password="x-1234-abcd")
    misses = django_user_model.objects.create_user(username="misses", password="x-1234-abcd")
    MatchProfileFactory(user=fits, region=org_tree["city"], industry="C3911")
    MatchProfileFactory(user=misses, region=org_tree["city"], industry="I6513")
    client.force_login(editor)
    r = client.post(
        f"/staff/items/{item.pk}/conditions/notice/", {"message": "申报将于3月31日截止"}
    )
    assert r.status_code == 302
    assert list(InboxEntry.objects.values_list("user__username", "event", "reason")) == [
        ("fits", "notice", "申报将于3月31日截止")
    ]
    entry = AuditEntry.objects.get(target_id=str(item.pk), detail__has_key="profiles_notice")
    assert entry.detail["profiles"] == 1
    r = client.post(f"/staff/items/{item.pk}/conditions/notice/", {"message": ""})
    assert InboxEntry.objects.count() == 1


def test_qualification_list_is_read_only_in_admin(client, django_user_model):
    """The 企业资质 list is edited in 公开管理 (audited, refused while in use); the Django admin
    only shows it."""
    admin_user = django_user_model.objects.create_superuser(
        username="root", password="x-1234-abcd-EFG", kind="staff"
    )
    client.force_login(admin_user)
    r = client.post("/admin/policies/qualification/add/", {"name": "瞪羚企业", "position": 9})
    assert r.status_code == 403
    assert not Qualification.objects.filter(name="瞪羚企业").exists()
    assert client.get("/admin/policies/qualification/").status_code == 200
    assert list(Qualification.objects.values_list("name", flat=True)[:3]) == [
        "高新技术企业",
        "专精特新中小企业",
        "专精特新“小巨人”企业",
    ]
