import re

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.accounts.models import Role, User
from gongkai.core.models import AuditEntry

LOGIN = "/accounts/login/"


@pytest.mark.django_db
def test_login_success_records_audit_and_sends_public_user_to_personal_center(client, public_user):
    response = client.post(
        LOGIN, {"username": "citizen", "password": "pass-1234-abcd"}, REMOTE_ADDR="10.1.2.3"
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/me/"
    rows = list(AuditEntry.objects.values_list("action", "actor_id", "target_id", "ip_address"))
    assert rows == [("login", public_user.pk, str(public_user.pk), "10.1.2.3")]


@pytest.mark.django_db
def test_staff_login_goes_to_workbench(client, org_tree, make_staff):
    make_staff(Role.EDITOR, org_tree["finance"], username="editor")
    response = client.post(LOGIN, {"username": "editor", "password": "pass-1234-abcd"})
    assert response["Location"] == "/staff/"


@pytest.mark.django_db
def test_login_respects_safe_next(client, public_user):
    response = client.post(
        LOGIN + "?next=/policies/",
        {"username": "citizen", "password": "pass-1234-abcd", "next": "/policies/"},
    )
    assert response["Location"] == "/policies/"


@pytest.mark.django_db
def test_login_failure_records_audit_with_attempted_name(client, public_user):
    response = client.post(
        LOGIN, {"username": "citizen", "password": "wrong"}, REMOTE_ADDR="10.9.9.9"
    )
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor_id, entry.target_id, entry.target_label) == (
        "login_failed",
        None,
        str(public_user.pk),
        "citizen",
    )
    assert entry.ip_address == "10.9.9.9"
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_login_failure_for_unknown_name_has_no_target(client):
    client.post(LOGIN, {"username": "nobody", "password": "x"})
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.target_type, entry.target_label) == ("login_failed", "", "nobody")


@pytest.mark.django_db
def test_login_page_is_chinese(client):
    html = client.get(LOGIN).content.decode()
    assert '<html lang="zh-CN">' in html
    assert "用户名" in html
    assert "密码" in html


@pytest.mark.django_db
def test_logout_is_post_only(client, public_user):
    client.force_login(public_user)
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


REGISTER = "/accounts/register/"
VERIFY = "/accounts/register/verify/"


def register_data(**overrides):
    data = {
        "category": "legal",
        "legal_type": "research",
        "display_name": "杭东市农业科学研究院",
        "phone": "138 0013 8000",
        "password1": "Qiushi-2026-lab",
        "password2": "Qiushi-2026-lab",
    }
    data.update(overrides)
    return data


def mailed_code(message) -> str:
    match = re.search(r"邮箱验证码：(\d{6})", str(message.body))
    assert match, message.body
    return match.group(1)


def ask_code(client, email="office@nky.example.cn"):
    response = client.post(REGISTER, {"email": email})
    assert response.status_code == 302
    assert response["Location"] == VERIFY
    return response


@pytest.mark.django_db
def test_register_mails_a_code_then_creates_the_legal_person_with_the_address_as_username(
    client, mailoutbox
):
    ask_code(client, "Office@NKY.example.cn")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["office@nky.example.cn"]
    assert mailoutbox[0].subject.startswith("【政务公开平台】注册验证码 ")
    code = mailed_code(mailoutbox[0])
    page = client.get(VERIFY).content.decode()
    assert "邮件已发送到 office@nky.example.cn" in page
    response = client.post(VERIFY, register_data(code=code))
    assert response.status_code == 302
    assert response["Location"] == "/accounts/me/"
    user = User.objects.get(username="office@nky.example.cn")
    assert (user.kind, user.applicant_type, user.display_name, user.phone, user.email) == (
        "public",
        "research",
        "杭东市农业科学研究院",
        "13800138000",
        "office@nky.example.cn",
    )
    assert user.organisation_name == "杭东市农业科学研究院"
    assert user.check_password("Qiushi-2026-lab")
    assert not user.is_staff
    assert not user.is_superuser
    assert client.session["_auth_user_id"] == str(user.pk)
    actions = sorted(AuditEntry.objects.values_list("action", flat=True))
    assert actions == ["create", "login"]
    # The code opened one registration: the session no longer holds it.
    client.logout()
    assert client.get(VERIFY)["Location"] == REGISTER


@pytest.mark.django_db
def test_register_natural_person_ignores_legal_type(client, mailoutbox):
    ask_code(client, "lisi@example.cn")
    client.post(
        VERIFY,
        register_data(
            code=mailed_code(mailoutbox[0]),
            category="natural",
            legal_type="business",
            display_name="李四",
        ),
    )
    user = User.objects.get(username="lisi@example.cn")
    assert (user.kind, user.applicant_type, user.organisation_name) == ("public", "natural", "")


@pytest.mark.django_db
def test_registered_address_gets_the_same_page_and_a_reset_link_by_mail(client, public_user):
    """No enumeration: a registered address and a new one get byte-identical pages (but for
    the address and the CSRF token); only the mailbox learns which it is."""
    from django.core import mail

    public_user.email = "zhangsan@example.cn"
    public_user.save()
    new_client = Client()
    pages = []
    for c, email in ((client, "ZhangSan@example.cn"), (new_client, "wangwu@example.cn")):
        ask_code(c, email)
        page = c.get(VERIFY).content.decode()
        page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)
        pages.append(page.replace(email.lower(), "ADDRESS"))
    assert pages[0] == pages[1]
    known, new = mail.outbox
    assert known.to == ["zhangsan@example.cn"]
    assert known.subject == "【政务公开平台】您已有账号"
    assert "该邮箱已经有账号，无需重复注册" in known.body
    assert "您的用户名：citizen" in known.body
    assert "验证码" not in known.body
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", str(known.body))
    assert link, known.body
    assert "注册验证码" in new.subject
    # No code opens a registered address: every guess is "wrong", as for a mistyped code.
    before = User.objects.count()
    response = client.post(VERIFY, register_data(code="000000"))
    assert response.status_code == 200
    assert response.context["form"].errors["code"] == [
        "验证码不正确，请核对邮件中的6位数字（还可尝试4次）。"
    ]
    assert User.objects.count() == before
    # The mailed link resets the password of the existing account.
    response = client.get(link.group(1), follow=True)
    assert response.status_code == 200
    assert "新密码" in response.content.decode()


@pytest.mark.django_db
def test_five_wrong_codes_void_the_code(client, mailoutbox):
    ask_code(client, "zhaoliu@example.cn")
    code = mailed_code(mailoutbox[0])
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for left in (4, 3, 2, 1):
        response = client.post(VERIFY, register_data(code=wrong))
        assert response.context["form"].errors["code"] == [
            f"验证码不正确，请核对邮件中的6位数字（还可尝试{left}次）。"
        ]
    response = client.post(VERIFY, register_data(code=wrong), follow=True)
    assert response.redirect_chain == [(REGISTER, 302)]
    assert "验证码错误次数过多，该验证码已失效，请重新获取。" in response.content.decode()
    # The right code no longer works either.
    assert client.post(VERIFY, register_data(code=code))["Location"] == REGISTER
    assert not User.objects.exists()


@pytest.mark.django_db
def test_expired_code_is_refused(client, mailoutbox, monkeypatch):
    import time

    ask_code(client, "zhaoliu@example.cn")
    code = mailed_code(mailoutbox[0])
    later = time.time() + 31 * 60
    monkeypatch.setattr(time, "time", lambda: later)
    assert client.post(VERIFY, register_data(code=code))["Location"] == REGISTER
    assert not User.objects.exists()


@pytest.mark.django_db
def test_register_rejects_bad_input_and_saves_nothing(client, mailoutbox):
    ask_code(client)
    response = client.post(
        VERIFY,
        register_data(
            code=mailed_code(mailoutbox[0]),
            legal_type="",
            phone="12345",
            password2="different-2026",
        ),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["legal_type"] == ["请选择法人或其他组织的类型。"]
    assert errors["phone"] == ["请填写11位手机号码，例如 13800138000。"]
    assert errors["password2"] == ["两次输入的密码不一致。"]
    assert "code" not in errors
    assert User.objects.count() == 0
    assert AuditEntry.objects.count() == 0
    response = client.post(REGISTER, {"email": "not-an-address"})
    assert response.context["form"].errors["email"] == [
        "请填写有效的电子邮箱地址，例如 zhangsan@example.cn。"
    ]
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_register_rejects_weak_password(client, mailoutbox):
    ask_code(client)
    response = client.post(
        VERIFY,
        register_data(code=mailed_code(mailoutbox[0]), password1="12345678", password2="12345678"),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["password1"]
    assert not User.objects.exists()


@pytest.mark.django_db
def test_address_registered_meanwhile_is_told_only_to_the_code_holder(client, mailoutbox):
    ask_code(client, "sunqi@example.cn")
    code = mailed_code(mailoutbox[0])
    User.objects.create_user(username="sunqi", email="sunqi@example.cn", password="x")
    response = client.post(VERIFY, register_data(code=code))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "该邮箱已经注册过账号，请直接登录或重设密码。"
    ]
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_personal_center_requires_login(client):
    response = client.get("/accounts/me/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/accounts/me/"


@pytest.mark.django_db
def test_personal_center_shows_profile_masked_phone_and_sections(client, public_user):
    public_user.phone = "13912345678"
    public_user.save()
    client.force_login(public_user)
    response = client.get(reverse("accounts:me"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "张三" in html
    assert "139****5678" in html
    assert "13912345678" not in html
    assert "我的依申请公开" in html
    assert "我的留言" in html
    titles = [s["title"] for s in response.context["sections"]]
    assert titles == ["我的依申请公开", "我的留言", "政策找人", "我的订阅推送"]


@pytest.mark.django_db
def test_personal_sections_are_filled_from_the_content_registry(client, public_user):
    """A section shows its empty state until the app that registered it has entries for the
    user (the interaction app registers 我的留言); a re-registration takes effect at once — no
    string import, no ImportError."""
    from gongkai.core import content

    client.force_login(public_user)
    before = client.get(reverse("accounts:me"))
    messages = next(s for s in before.context["sections"] if s["key"] == "messages")
    assert (messages["available"], messages["entries"]) == (True, [])
    assert "您还没有留言。" in before.content.decode()
    foi = next(s for s in before.context["sections"] if s["key"] == "foi")
    assert foi["available"] is True

    original = content.personal_section("messages")
    content.register_personal_section(
        content.PersonalSection(key="messages", selector=lambda user: [f"{user.username}的留言"])
    )
    try:
        after = client.get(reverse("accounts:me"))
    finally:
        if original is not None:
            content.register_personal_section(original)
    messages = next(s for s in after.context["sections"] if s["key"] == "messages")
    assert (messages["available"], messages["entries"]) == (True, ["citizen的留言"])
    assert "citizen的留言" in after.content.decode()


@pytest.mark.django_db
def test_axes_lockout_page_is_chinese_and_failures_are_audited(client, public_user, settings):
    settings.AXES_ENABLED = True
    settings.AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
    for _attempt in range(5):
        client.post(LOGIN, {"username": "citizen", "password": "wrong"}, REMOTE_ADDR="10.0.0.7")
    response = client.post(
        LOGIN, {"username": "citizen", "password": "pass-1234-abcd"}, REMOTE_ADDR="10.0.0.7"
    )
    assert response.status_code == 429
    html = response.content.decode()
    assert "连续5次登录失败" in html
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action="login").count() == 0
    # five wrong passwords plus the refused attempt with the right one while locked out
    assert AuditEntry.objects.filter(action="login_failed").count() == 6


def test_permission_denied_handler_renders_chinese_message(rf, db):
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied

    from gongkai.core.views import permission_denied

    request = rf.get("/staff/items/9/")
    request.user = AnonymousUser()
    response = permission_denied(request, PermissionDenied("您不能编辑其他机构的信息。"))
    assert response.status_code == 403
    assert "您不能编辑其他机构的信息。" in response.content.decode()


@pytest.mark.django_db
def test_personal_center_of_staff_lists_roles(client, org_tree, make_staff):
    reviewer = make_staff(Role.REVIEWER, org_tree["finance"], review_level=3)
    client.force_login(reviewer)
    html = client.get("/accounts/me/").content.decode()
    assert "杭东市财政局 · 审核人（第3级）" in html
    assert 'href="/staff/"' in html
