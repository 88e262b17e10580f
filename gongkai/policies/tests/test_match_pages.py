"""政策兑现 information in the back office and on the policy page; 政策找人 pages; the
personal-centre section; staff's count of qualifying profiles (issue 14)."""

import datetime
import re

import pytest
from django.utils import timezone

from gongkai.accounts.models import Role
from gongkai.catalogue import services as catalogue_services
from gongkai.catalogue.models import InformationItem
from gongkai.core.models import AuditEntry
from gongkai.policies import services
from gongkai.policies.models import MatchProfile, PolicyConditions, Qualification

from .factories import MatchProfileFactory, PolicyConditionsFactory, PolicyItemFactory


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


def test_policy_page_shows_who_can_benefit_and_how(client, org_tree):
    item = PolicyItemFactory(organisation=org_tree["finance"])
    row = PolicyConditionsFactory(
        item=item,
        industries=["C39"],
        scales=",small,",
        min_years=3,
        apply_from=datetime.date(2026, 3, 1),
        apply_until=datetime.date(2026, 3, 31),
        office="企业服务科",
        phone="0571-87001234",
        amount="最高50万元",
        regions=[org_tree["district"]],
    )
    html = text(client.get(f"/items/{item.pk}/"))
    assert "谁能享受、怎么申报" in html
    assert "<dd>西湖区人民政府（含下级）</dd>" in html.replace("杭东市西湖区", "西湖区")
    assert "<dd>C39（国民经济行业分类 GB/T 4754-2017，含下级分类）</dd>" in html
    assert "<dd>小型</dd>" in html
    assert "成立满3年" in html
    assert "2026年3月1日至2026年3月31日" in html
    assert "<dd>企业服务科</dd>" in html
    assert "<dd>最高50万元</dd>" in html
    assert row.pk
    plain = PolicyItemFactory(organisation=org_tree["finance"])
    assert "谁能享受、怎么申报" not in text(client.get(f"/items/{plain.pk}/"))


def test_profile_in_personal_centre_and_match_page(client, org_tree, public_user):
    PolicyConditionsFactory(
        item=PolicyItemFactory(organisation=org_tree["finance"], title="芯片企业补贴"),
        industries=["C39"],
        regions=[org_tree["city"]],
    )
    PolicyConditionsFactory(
        item=PolicyItemFactory(organisation=org_tree["finance"], title="大企业奖励"),
        scales=",large,",
    )
    client.force_login(public_user)
    me = text(client.get("/accounts/me/"))
    assert "填写政策找人档案" in me
    r = client.post(
        "/policies/match/profile/",
        {
            "name": "杭东芯片有限公司",
            "region": org_tree["district_edu"].pk,
            "industry": "c3911",
            "scale": "small",
            "established": "2020-01-01",
        },
    )
    assert r.status_code == 302
    profile = MatchProfile.objects.get(user=public_user)
    assert profile.industry == "C3911"
    html = text(client.get("/policies/match/"))
    assert "芯片企业补贴" in html
    assert "行业 C39 符合：C3911 属于 C39" in html
    assert "地区符合：西湖区教育局 属于 杭东市人民政府" in html
    assert "大企业奖励" in html
    assert "尚不符合：企业规模" in html
    me = text(client.get("/accounts/me/"))
    assert "目前有 1 项政策符合条件，1 项只差一项条件" in me


def test_anonymous_one_off_match(client, org_tree):
    PolicyConditionsFactory(
        item=PolicyItemFactory(organisation=org_tree["finance"], title="小微企业补贴"),
        scales=",small,micro,",
    )
    html = text(client.get("/policies/match/", {"region": org_tree["city"].pk, "scale": "micro"}))
    assert "小微企业补贴" in html
    assert "企业规模符合：微型企业" in html


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


def test_qualification_list_is_editable_in_admin(client, django_user_model):
    admin_user = django_user_model.objects.create_superuser(
        username="root", password="x-1234-abcd-EFG", kind="staff"
    )
    client.force_login(admin_user)
    r = client.post("/admin/policies/qualification/add/", {"name": "瞪羚企业", "position": 9})
    assert r.status_code == 302
    assert Qualification.objects.filter(name="瞪羚企业").exists()
    assert list(Qualification.objects.values_list("name", flat=True)[:3]) == [
        "高新技术企业",
        "专精特新中小企业",
        "专精特新“小巨人”企业",
    ]
