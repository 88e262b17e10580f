"""公开指南 built from the organisation's data (issue 15, item 10; 条例第十二条): the 管理员
edits the 政府信息公开工作机构 contacts in the back office (audited), the portal shows them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.accounts.models import Organisation, Role
from gongkai.accounts.services import organisation_guide_update
from gongkai.core.models import AuditEntry

pytestmark = pytest.mark.django_db

OFFICE = {
    "ogi_office_name": "杭东市财政局办公室",
    "ogi_address": "杭东市民心路100号财政大楼",
    "ogi_postcode": "310000",
    "ogi_office_hours": "工作日上午9:00—12:00，下午13:30—17:00",
    "ogi_phone": "0571-87000001",
    "ogi_fax": "0571-87000002",
    "ogi_email": "gk@czj.hangdong.gov.cn",
    "ogi_website": "https://www.hangdong.gov.cn/zfxxgk/ysqgk/",
}


def test_admin_edits_the_office_in_the_back_office_and_the_portal_shows_it(
    client, org_tree, make_staff
):
    finance = org_tree["finance"]
    finance.address = "杭东市民心路1号"
    finance.save()
    admin = make_staff(Role.ADMIN, finance)
    client.force_login(admin)
    listing = client.get("/staff/guide/").content.decode()
    assert f'<a href="/staff/guide/{finance.code}/">杭东市财政局</a>' in listing
    assert "杭东市西湖区人民政府" not in listing
    response = client.post(f"/staff/guide/{finance.code}/", {**OFFICE, "ogi_fax": ""})
    assert response.status_code == 302
    finance.refresh_from_db()
    assert (finance.ogi_office_name, finance.ogi_phone, finance.ogi_fax) == (
        "杭东市财政局办公室",
        "0571-87000001",
        "",
    )
    entry = AuditEntry.objects.get(target_type="accounts.organisation", target_id=str(finance.pk))
    assert entry.action == "edit"
    assert entry.actor == admin
    assert entry.detail["guide"]["ogi_phone"] == {"old": "", "new": "0571-87000001"}
    assert "ogi_fax" not in entry.detail["guide"]

    client.logout()
    html = client.get(f"/zfxxgk/guide/?org={finance.code}").content.decode()
    assert '<h2 id="h-office">杭东市财政局政府信息公开工作机构</h2>' in html
    assert "<dt>工作机构名称</dt><dd>杭东市财政局办公室</dd>" in html
    assert "<dt>办公地址</dt><dd>杭东市民心路100号财政大楼（邮政编码310000）</dd>" in html
    assert "<dt>办公时间</dt><dd>工作日上午9:00—12:00，下午13:30—17:00</dd>" in html
    assert "<dt>联系电话</dt><dd>0571-87000001</dd>" in html
    assert "传真号码" not in html  # neither the office nor the organisation has a fax
    assert '<dt>互联网联系方式</dt><dd><a href="https://www.hangdong.gov.cn/zfxxgk/ysqgk/">' in html
    # Every organisation is offered, not only those with their own page text.
    for org in org_tree.values():
        assert f'<a href="?org={org.code}"' in html


def test_blank_office_fields_fall_back_to_the_organisation(client, org_tree):
    city = org_tree["city"]
    city.phone = "0571-12345"
    city.fax = "0571-54321"
    city.save()
    html = client.get(f"/zfxxgk/guide/?org={city.code}").content.decode()
    assert "<dt>工作机构名称</dt><dd>杭东市人民政府</dd>" in html
    assert "<dt>联系电话</dt><dd>0571-12345</dd>" in html
    assert "<dt>传真号码</dt><dd>0571-54321</dd>" in html


def test_only_the_organisations_admin_may_edit(client, org_tree, make_staff):
    finance = org_tree["finance"]
    editor = make_staff(Role.EDITOR, finance)
    other_admin = make_staff(Role.ADMIN, org_tree["office"])
    with pytest.raises(PermissionDenied, match="只有本机构的政务公开管理员"):
        organisation_guide_update(organisation=finance, data={"ogi_phone": "1"}, acting_user=editor)
    client.force_login(other_admin)
    assert client.post(f"/staff/guide/{finance.code}/", OFFICE).status_code == 403
    client.force_login(editor)
    assert client.get("/staff/guide/").status_code == 403
    finance.refresh_from_db()
    assert finance.ogi_phone == ""
    assert finance.ogi_office_name == ""
    assert not AuditEntry.objects.filter(target_type="accounts.organisation").exists()


def test_bad_input_is_refused_in_chinese_and_nothing_saved(client, org_tree, make_staff):
    finance = org_tree["finance"]
    admin = make_staff(Role.ADMIN, finance)
    client.force_login(admin)
    response = client.post(f"/staff/guide/{finance.code}/", {**OFFICE, "ogi_email": "不是邮箱"})
    assert response.status_code == 200
    assert "电子邮箱格式不正确，例如：gk@example.gov.cn" in response.content.decode()
    with pytest.raises(ValidationError, match="输入一个有效的 URL。"):
        organisation_guide_update(
            organisation=finance, data={"ogi_website": "not a url"}, acting_user=admin
        )
    assert Organisation.objects.get(pk=finance.pk).ogi_office_name == ""
    assert not AuditEntry.objects.filter(target_type="accounts.organisation").exists()
