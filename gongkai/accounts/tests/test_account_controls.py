"""等保 三级 / ASVS L2 account controls (issue 19 item 4)."""

import datetime
import re
import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongkai.accounts.middleware import SESSION_LOGIN_AT, SESSION_SEEN_AT
from gongkai.accounts.models import Role, User
from gongkai.core.models import AuditEntry

pytestmark = pytest.mark.django_db
GOOD = "Qiushi-2026-lab"


def messages_for(password: str, username: str = "zhangsan") -> list[str]:
    user = User(username=username, display_name="张三", email="zs@example.cn")
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return exc.messages
    return []


def test_password_policy_in_chinese():
    assert messages_for(GOOD) == []
    assert messages_for("Ab1!short") == ["此密码太短，至少要包含 12 个字符。"]
    assert messages_for("abcdefghijk-") == [
        "密码须包含大写字母、小写字母、数字、符号四类中的至少3类。"
    ]
    spaces = messages_for(" " * 14)
    assert "密码不能全是空格。" in spaces
    assert messages_for("Zhangsan-2026!") == ["密码不能包含用户名。", "密码跟 用户名 太相似了。"]
    assert messages_for("nasgnahz-2026X")[0] == "密码不能包含用户名。"
    assert "这个密码太常见了。" in messages_for("Q1w2e3r4t5y6", username="li")


def login(client, username: str, password: str = "pass-1234-abcd"):  # noqa: S107 - fixture
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_password_change_page_changes_and_audits(client, public_user):
    client.force_login(public_user)
    page = client.get("/accounts/password/").content.decode()
    assert "原密码" in page
    assert "确认新密码" in page
    weak = client.post(
        "/accounts/password/",
        {"old_password": "pass-1234-abcd", "new_password1": "short", "new_password2": "short"},
    )
    assert weak.status_code == 200
    assert "此密码太短" in weak.content.decode()
    user = User.objects.get(pk=public_user.pk)
    assert user.check_password("pass-1234-abcd")
    r = client.post(
        "/accounts/password/",
        {"old_password": "pass-1234-abcd", "new_password1": GOOD, "new_password2": GOOD},
    )
    assert r.status_code == 302
    assert r["Location"] == "/accounts/password/done/"
    user = User.objects.get(pk=public_user.pk)
    assert user.check_password(GOOD)
    assert timezone.now() - user.password_changed_at < datetime.timedelta(minutes=1)
    entry = AuditEntry.objects.get(target_id=str(user.pk), action="edit")
    assert entry.detail == {"password": "change"}
    # Still logged in (the session hash follows the new password).
    assert client.get("/accounts/me/").status_code == 200


def test_password_reset_by_mail_link_and_no_enumeration(client, public_user):
    public_user.email = "citizen@example.cn"
    public_user.save()
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.cn"})
    known = client.post("/accounts/password/reset/", {"email": "citizen@example.cn"})
    # Same answer whether or not the address has an account.
    assert unknown.status_code == known.status_code == 302
    assert unknown["Location"] == known["Location"] == "/accounts/password/reset/sent/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["citizen@example.cn"]
    assert "重设密码" in mail.outbox[0].subject
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    form_url = client.get(link.group(1))["Location"]
    r = client.post(form_url, {"new_password1": GOOD, "new_password2": GOOD})
    assert r.status_code == 302
    assert r["Location"] == "/accounts/password/reset/complete/"
    assert User.objects.get(pk=public_user.pk).check_password(GOOD)
    # The link works once.
    again = client.get(link.group(1), follow=True).content.decode()
    assert "重设密码的链接无效或已使用过" in again


def test_expired_staff_password_must_be_changed(client, org_tree, make_staff, settings):
    settings.GONGKAI_STAFF_PASSWORD_MAX_AGE_DAYS = 90
    staff = make_staff(Role.EDITOR, org_tree["finance"])
    User.objects.filter(pk=staff.pk).update(
        password_changed_at=timezone.now() - datetime.timedelta(days=91)
    )
    client.force_login(staff)
    r = client.get("/staff/")
    assert r.status_code == 302
    assert r["Location"] == "/accounts/password/"
    assert client.get("/accounts/password/").status_code == 200
    User.objects.filter(pk=staff.pk).update(
        password_changed_at=timezone.now() - datetime.timedelta(days=89)
    )
    assert client.get("/staff/").status_code == 200


def test_staff_idle_timeout_and_browser_session(client, org_tree, make_staff, public_user):
    staff = make_staff(Role.EDITOR, org_tree["finance"])
    assert login(client, staff.username).status_code == 302
    assert client.session.get_expire_at_browser_close() is True
    assert client.get("/staff/").status_code == 200
    session = client.session
    session[SESSION_SEEN_AT] = int(time.time()) - 31 * 60
    session.save()
    r = client.get("/staff/")
    assert r.status_code == 302
    assert r["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session
    # A citizen's session is not cut by the staff idle limit and outlives the browser.
    other = client_for(public_user)
    assert other.session.get_expire_at_browser_close() is False
    session = other.session
    session[SESSION_SEEN_AT] = int(time.time()) - 31 * 60
    session.save()
    assert other.get("/accounts/me/").status_code == 200


def client_for(user):
    from django.test import Client

    c = Client()
    assert login(c, user.username).status_code == 302
    return c


def test_absolute_session_limit(client, public_user, settings):
    settings.GONGKAI_SESSION_ABSOLUTE_HOURS = 12
    c = client_for(public_user)
    session = c.session
    session[SESSION_LOGIN_AT] = int(time.time()) - 13 * 3600
    session.save()
    r = c.get("/accounts/me/")
    assert r.status_code == 302
    assert "_auth_user_id" not in c.session


def test_totp_enrolment_then_required_at_login(client, org_tree, make_staff):
    staff = make_staff(Role.EDITOR, org_tree["finance"])
    c = client_for(staff)
    page = c.get("/accounts/otp/enrol/").content.decode()
    secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', page).group(1)  # type: ignore[union-attr]  # no match fails the test here
    device = TOTPDevice.objects.get(user=staff)
    assert secret.replace(" ", "") == __import__("base64").b32encode(device.bin_key).decode()
    wrong = c.post("/accounts/otp/enrol/", {"token": "000000"})
    assert "验证码不正确" in wrong.content.decode()
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed
    unthrottle(device)
    token = f"{totp(device.bin_key):06d}"
    assert c.post("/accounts/otp/enrol/", {"token": token}).status_code == 302
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    # A new login: the password alone reaches nothing.
    fresh = client_for(staff)
    r = fresh.get("/staff/")
    assert r.status_code == 302
    assert r["Location"].startswith("/accounts/otp/")
    bad = fresh.post("/accounts/otp/", {"token": "000000", "next": "/staff/"})
    assert bad.status_code == 200
    assert "验证码不正确或已过期" in bad.content.decode()
    unthrottle(device)
    r = fresh.post("/accounts/otp/", {"token": f"{totp(device.bin_key):06d}", "next": "/staff/"})
    assert r.status_code == 302
    assert r["Location"] == "/staff/"
    assert fresh.get("/staff/").status_code == 200


def unthrottle(device):
    """django-otp waits 2^n seconds after n wrong codes; the test does not sleep through it."""
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None, last_t=-1
    )
    device.refresh_from_db()


def test_totp_required_sends_unenrolled_staff_to_enrolment(client, org_tree, make_staff, settings):
    settings.GONGKAI_STAFF_REQUIRE_TOTP = True
    staff = make_staff(Role.EDITOR, org_tree["finance"])
    c = client_for(staff)
    r = c.get("/staff/", follow=True)
    assert r.redirect_chain[-1][0] == "/accounts/otp/enrol/"
    assert "启用双因素认证" in r.content.decode()


def test_personal_centre_lists_logins_and_failures_with_address(public_user):
    from django.test import Client

    c = Client(REMOTE_ADDR="203.0.113.20")
    assert login(c, "citizen", "wrong-password-1").status_code == 200
    assert login(c, "citizen").status_code == 302
    html = c.get("/accounts/me/").content.decode()
    rows = re.findall(r"<tr><td>[\d\- :]+</td><td>(.+?)</td><td>(.+?)</td></tr>", html)
    assert rows == [("登录", "203.0.113.20"), ("登录失败", "203.0.113.20")]


def test_password_reset_requests_are_limited(client, public_user, settings):
    settings.GONGKAI_RATE_LIMITS = {"password_reset": {"ip": (2, 3600)}}
    from django.core.cache import cache

    cache.clear()
    codes = [
        client.post("/accounts/password/reset/", {"email": "x@example.cn"}).status_code
        for _n in range(3)
    ]
    assert codes == [302, 302, 429]
    cache.clear()
