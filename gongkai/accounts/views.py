"""Account pages: log in/out, public sign-up, personal center (thin: rules live in services)."""

import base64
import time
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import (
    INTERNAL_RESET_SESSION_TOKEN,
    LoginView,
    LogoutView,
    PasswordChangeDoneView,
    PasswordChangeView,
    PasswordResetCompleteView,
    PasswordResetConfirmView,
    PasswordResetDoneView,
    PasswordResetView,
)
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.core import content, ratelimit
from gongkai.core.text import mask_phone

from .forms import LoginForm, RegisterEmailForm, RegisterForm
from .http import AuthenticatedHttpRequest
from .models import RoleAssignment
from .selectors import is_staff_user, login_history
from .services import (
    REGISTRATION_CODE_ATTEMPTS,
    login_failed_record,
    password_set,
    public_account_register,
    registration_code_matches,
    registration_code_send,
    totp_device_for_enrolment,
    totp_enrol_confirm,
)


def home_url_for(user: Any) -> str:
    """Staff land on the workbench, the public on their personal center."""
    return reverse("staff:dashboard") if is_staff_user(user) else reverse("accounts:me")


class GongkaiLoginView(LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        return home_url_for(self.request.user)

    # Per-address and site-wide failure limits in front of axes (which locks a username and
    # address pair): many usernames tried from one address are stopped here.
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.guard = ratelimit.Guard(request, "login", count_posts=False)
        if request.method == "POST" and self.guard.blocked:
            return ratelimit.too_many(request)
        return super().dispatch(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.guard.passes():
            # An unbound form: binding it would check the password without the answer.
            self.guard.count_failure()
            username = request.POST.get("username", "")[:150]
            form = self.get_form_class()(request, initial={"username": username})
            return self.render_to_response(self.get_context_data(form=form), status=400)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: Any) -> HttpResponse:
        self.guard.count_failure()
        return super().form_invalid(form)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["captcha"] = self.guard.captcha
        # Django's LoginView puts the host name ("testserver", "www.…") in site_name; the page
        # title and header show the portal's own name.
        context["site_name"] = settings.GONGKAI_SITE_NAME
        return context


class GongkaiLogoutView(LogoutView):
    """POST only (Django's LogoutView refuses GET), so a link cannot log anyone out."""


# Public sign-up in two steps (ADR 0007): an e-mail address gets a one-time code (or, when it
# already has an account, a reset link) by mail, and the page says the same either way.
REGISTRATION_SESSION_KEY = "gongkai_registration"


def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(home_url_for(request.user))
    form = RegisterEmailForm(request.POST or None)
    guard = ratelimit.Guard(request, "register")
    if request.method == "POST" and guard.blocked:
        return ratelimit.too_many(request)
    if request.method == "POST" and guard.passes() and form.is_valid():
        request.session[REGISTRATION_SESSION_KEY] = registration_code_send(
            email=form.cleaned_data["email"], request=request
        )
        return redirect("accounts:register_verify")
    return render(request, "accounts/register.html", {"form": form, "captcha": guard.captcha})


def _pending_registration(request: HttpRequest) -> dict[str, Any] | None:
    pending = request.session.get(REGISTRATION_SESSION_KEY)
    if not isinstance(pending, dict) or int(pending.get("expires") or 0) < time.time():
        request.session.pop(REGISTRATION_SESSION_KEY, None)
        return None
    return pending


def _wrong_code(request: HttpRequest, form: RegisterForm, pending: dict[str, Any]) -> bool:
    """Count a wrong code; after the last allowed attempt the code is void (True)."""
    pending["attempts"] = int(pending.get("attempts") or 0) + 1
    left = REGISTRATION_CODE_ATTEMPTS - pending["attempts"]
    if left <= 0:
        request.session.pop(REGISTRATION_SESSION_KEY, None)
        messages.error(request, _("验证码错误次数过多，该验证码已失效，请重新获取。"))
        return True
    request.session[REGISTRATION_SESSION_KEY] = pending
    form.add_error(
        "code", _("验证码不正确，请核对邮件中的6位数字（还可尝试%(n)d次）。") % {"n": left}
    )
    return False


def register_verify(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(home_url_for(request.user))
    pending = _pending_registration(request)
    if pending is None:
        messages.info(request, _("请先填写电子邮箱，获取验证码。"))
        return redirect("accounts:register")
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not registration_code_matches(pending, form.cleaned_data["code"]):
            if _wrong_code(request, form, pending):
                return redirect("accounts:register")
        else:
            user = _register_or_errors(request, form, pending["email"])
            if user is not None:
                request.session.pop(REGISTRATION_SESSION_KEY, None)
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                return redirect("accounts:me")
    return render(
        request,
        "accounts/register_verify.html",
        {"form": form, "email": pending["email"]},
    )


def _register_or_errors(request: HttpRequest, form: RegisterForm, email: str) -> Any:
    try:
        return public_account_register(
            username=email,
            password=form.cleaned_data["password1"],
            display_name=form.cleaned_data["display_name"],
            applicant_type=form.applicant_type,
            phone=form.cleaned_data["phone"],
            email=email,
            request=request,
        )
    except ValidationError as exc:
        _add_errors(form, exc)
        return None


def _add_errors(form: RegisterForm, exc: ValidationError) -> None:
    """Service errors onto the form: the address (username) above the form; password rules
    (``validate_password`` errors carry no field) at the password box."""
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"password1": exc.messages}
    for field, messages_ in errors.items():
        if field in ("email", "username"):
            target: str | None = None
        else:
            target = field if field in form.fields else "password1"
        for message in messages_:
            form.add_error(target, message)


# The personal center shows what other apps hold for the user, once those apps exist. Each
# section is filled by the app that owns it through the content registry
# (``core.content.register_personal_section``); a section no app has registered yet shows its
# empty state. An app may also ship a template that renders its entries; otherwise a generic
# list is shown.
PERSONAL_SECTIONS: list[tuple[str, Any, Any]] = [
    ("foi", gettext_lazy("我的依申请公开"), gettext_lazy("您还没有提交过政府信息公开申请。")),
    ("messages", gettext_lazy("我的留言"), gettext_lazy("您还没有留言。")),
    ("policy_match", gettext_lazy("政策找人"), gettext_lazy("您还没有填写政策找人档案。")),
    ("subscriptions", gettext_lazy("我的订阅推送"), gettext_lazy("还没有推送给您的信息。")),
]


def _optional_template(name: str) -> str | None:
    if not name:
        return None
    try:
        get_template(name)
    except TemplateDoesNotExist:
        return None
    return name


@login_required
def me(request: HttpRequest) -> HttpResponse:
    user = request.user
    sections = []
    for key, title, empty_text in PERSONAL_SECTIONS:
        section = content.personal_section(key)
        entries = list(section.selector(user)) if section is not None else []
        sections.append(
            {
                "key": key,
                "title": title,
                "entries": entries,
                "available": section is not None,
                "empty_text": empty_text,
                "template": _optional_template(section.template)
                if section is not None and entries
                else None,
            }
        )
    roles = (
        RoleAssignment.objects.filter(user=user.pk).select_related("organisation").order_by("id")
        if is_staff_user(user)
        else RoleAssignment.objects.none()
    )
    return render(
        request,
        "accounts/me.html",
        {
            "profile_user": user,
            "masked_phone": mask_phone(getattr(user, "phone", "")),
            "sections": sections,
            "roles": roles,
            "is_staff_account": is_staff_user(user),
            "login_history": login_history(user),
            "totp_enrolled": _has_confirmed_device(user),
        },
    )


# ------------------------------------------------------- password change and reset (issue 19)


class GongkaiPasswordChangeView(PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def get_form(self, form_class: Any = None) -> Any:
        form = super().get_form(form_class)
        _chinese_password_labels(form, old=True)
        return form

    def form_valid(self, form: Any) -> HttpResponse:
        password_set(
            user=form.user,
            password=form.cleaned_data["new_password1"],
            acting_user=self.request.user,
            request=self.request,
            how="change",
        )
        update_session_auth_hash(self.request, form.user)
        return HttpResponseRedirect(self.get_success_url())


class GongkaiPasswordChangeDoneView(PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


@method_decorator(ratelimit.limit_post("password_reset"), name="dispatch")
class GongkaiPasswordResetView(PasswordResetView):
    """Always answers "sent" (Django's view): nobody learns whether an address has an account."""

    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def get_form(self, form_class: Any = None) -> Any:
        form = super().get_form(form_class)
        form.fields["email"].label = _("注册时填写的电子邮箱")
        return form


class GongkaiPasswordResetDoneView(PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class GongkaiPasswordResetConfirmView(PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def get_form(self, form_class: Any = None) -> Any:
        form = super().get_form(form_class)
        _chinese_password_labels(form, old=False)
        return form

    def form_valid(self, form: Any) -> HttpResponse:
        password_set(
            user=form.user,
            password=form.cleaned_data["new_password1"],
            acting_user=form.user,
            request=self.request,
            how="reset",
        )
        self.request.session.pop(INTERNAL_RESET_SESSION_TOKEN, None)
        return HttpResponseRedirect(self.get_success_url())


class GongkaiPasswordResetCompleteView(PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


def _chinese_password_labels(form: Any, *, old: bool) -> None:
    if old:
        form.fields["old_password"].label = _("原密码")
    form.fields["new_password1"].label = _("新密码")
    form.fields["new_password2"].label = _("确认新密码")


# ------------------------------------------------------------------- second factor (TOTP)


class TotpForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("6位动态验证码"),
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return home_url_for(request.user)


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    """After the password: the code of the enrolled authenticator app."""
    from django_otp import login as otp_login
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=request.user.pk, confirmed=True).first()
    if device is None:
        return redirect("accounts:otp_enrol")
    form = TotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            otp_login(request, device)
            return redirect(_safe_next(request))
        login_failed_record(username=request.user.get_username(), request=request)
        form.add_error("token", _("验证码不正确或已过期，请输入验证器中当前显示的6位数字。"))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _safe_next(request)})


@login_required
def otp_enrol(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Staff add an authenticator app: the key is shown as text (and as an otpauth link)."""
    from django_otp import login as otp_login

    user = request.user
    if not is_staff_user(user):
        return redirect("accounts:me")
    if _has_confirmed_device(user) and not user.is_verified():  # type: ignore[attr-defined]  # set by django_otp's OTPMiddleware
        # Replacing the device needs a verified session: a stolen password must not swap it.
        return redirect("accounts:otp_verify")
    device = totp_device_for_enrolment(user=user)
    form = TotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if totp_enrol_confirm(
            device=device,
            token=form.cleaned_data["token"],
            acting_user=user,
            request=request,
        ):
            otp_login(request, device)
            messages.success(request, _("已启用双因素认证，以后登录时需输入验证器中的动态验证码。"))
            return redirect("accounts:me")
        form.add_error("token", _("验证码不正确，请核对手机时间后输入当前显示的6位数字。"))
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/otp_enrol.html",
        {
            "form": form,
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "config_url": device.config_url,
        },
    )


def _has_confirmed_device(user: Any) -> bool:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user.pk, confirmed=True).exists()
