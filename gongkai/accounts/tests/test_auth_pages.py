import pytest
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
    assert "用户名" in html and "密码" in html


@pytest.mark.django_db
def test_logout_is_post_only(client, public_user):
    client.force_login(public_user)
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def register_data(**overrides):
    data = {
        "category": "legal",
        "legal_type": "research",
        "display_name": "杭东市农业科学研究院",
        "username": "nky2026",
        "phone": "138 0013 8000",
        "email": "office@nky.example.cn",
        "password1": "Qiushi-2026-lab",
        "password2": "Qiushi-2026-lab",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_register_creates_public_legal_person_with_chosen_type(client):
    response = client.post("/accounts/register/", register_data())
    assert response.status_code == 302
    assert response["Location"] == "/accounts/me/"
    user = User.objects.get(username="nky2026")
    assert (user.kind, user.applicant_type, user.display_name, user.phone) == (
        "public",
        "research",
        "杭东市农业科学研究院",
        "13800138000",
    )
    assert user.organisation_name == "杭东市农业科学研究院"
    assert user.check_password("Qiushi-2026-lab")
    assert not user.is_staff and not user.is_superuser
    assert client.session["_auth_user_id"] == str(user.pk)
    actions = sorted(AuditEntry.objects.values_list("action", flat=True))
    assert actions == ["create", "login"]


@pytest.mark.django_db
def test_register_natural_person_ignores_legal_type(client):
    client.post(
        "/accounts/register/",
        register_data(
            category="natural", legal_type="business", display_name="李四", username="lisi"
        ),
    )
    user = User.objects.get(username="lisi")
    assert (user.kind, user.applicant_type, user.organisation_name) == ("public", "natural", "")


@pytest.mark.django_db
def test_register_rejects_bad_input_and_saves_nothing(client, public_user):
    response = client.post(
        "/accounts/register/",
        register_data(
            legal_type="",
            username="CITIZEN",
            phone="12345",
            password2="different-2026",
        ),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["legal_type"] == ["请选择法人或其他组织的类型。"]
    assert errors["username"] == ["该用户名已被使用，请换一个。"]
    assert errors["phone"] == ["请填写11位手机号码，例如 13800138000。"]
    assert errors["password2"] == ["两次输入的密码不一致。"]
    assert User.objects.count() == 1
    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db
def test_register_rejects_weak_password(client):
    response = client.post(
        "/accounts/register/", register_data(password1="12345678", password2="12345678")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["password1"]
    assert not User.objects.exists()


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
    assert "139****5678" in html and "13912345678" not in html
    assert "我的依申请公开" in html and "我的留言" in html
    titles = [s["title"] for s in response.context["sections"]]
    assert titles == ["我的依申请公开", "我的留言", "政策找人", "我的订阅推送"]


@pytest.mark.django_db
def test_personal_sections_are_filled_from_the_content_registry(client, public_user):
    """A section no app has registered shows its empty state; once an app registers it (as the
    interaction app will for 我的留言), its entries appear — no string import, no ImportError."""
    from gongkai.core import content

    client.force_login(public_user)
    before = client.get(reverse("accounts:me"))
    messages = next(s for s in before.context["sections"] if s["key"] == "messages")
    assert (messages["available"], messages["entries"]) == (False, [])
    assert "您还没有留言。" in before.content.decode()
    foi = next(s for s in before.context["sections"] if s["key"] == "foi")
    assert foi["available"] is True

    content.register_personal_section(
        content.PersonalSection(key="messages", selector=lambda user: [f"{user.username}的留言"])
    )
    try:
        after = client.get(reverse("accounts:me"))
    finally:
        content.unregister_personal_section("messages")
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
