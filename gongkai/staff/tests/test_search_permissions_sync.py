"""View tests moved from gongkai/search/tests/test_permissions_sync.py (issue 11 item 7)."""

from django.test import Client

from gongkai.accounts.models import Role


def test_staff_page_requires_staff(docs, make_staff, org_tree, public_user):
    client = Client()
    assert client.get("/staff/search/", {"q": "草稿"}).status_code == 302
    client.force_login(public_user)
    assert client.get("/staff/search/", {"q": "草稿"}).status_code == 403
    client.force_login(make_staff(Role.EDITOR, org_tree["finance"]))
    page = client.get("/staff/search/", {"q": "草稿"}).content.decode()
    assert "关于预算绩效管理改革的实施意见" in page
    assert "校外培训机构监管" not in page
