"""Account pages: log in/out, public sign-up, personal center (thin: rules live in services)."""

from typing import Any

from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView, LogoutView
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse
from django.utils.translation import gettext_lazy

from gongkai.core import content
from gongkai.core.text import mask_phone

from .forms import LoginForm, RegisterForm
from .models import RoleAssignment
from .selectors import is_staff_user
from .services import public_account_register


def home_url_for(user: Any) -> str:
    """Staff land on the workbench, the public on their personal center."""
    return reverse("staff:dashboard") if is_staff_user(user) else reverse("accounts:me")


class GongkaiLoginView(LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        return home_url_for(self.request.user)


class GongkaiLogoutView(LogoutView):
    """POST only (Django's LogoutView refuses GET), so a link cannot log anyone out."""


def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(home_url_for(request.user))
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = public_account_register(
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
                display_name=form.cleaned_data["display_name"],
                applicant_type=form.applicant_type,
                phone=form.cleaned_data["phone"],
                email=form.cleaned_data["email"],
                request=request,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("accounts:me")
    return render(request, "accounts/register.html", {"form": form})


def _add_errors(form: RegisterForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            # validate_password errors carry no field: they belong to the password box.
            target = field if field in form.fields else "password1"
            for message in errors:
                form.add_error(target, message)
    else:
        for message in exc.messages:
            form.add_error("password1", message)


# The personal center shows what other apps hold for the user, once those apps exist. Each
# section is filled by the app that owns it through the content registry
# (``core.content.register_personal_section``); a section no app has registered yet shows its
# empty state. An app may also ship a template that renders its entries; otherwise a generic
# list is shown.
PERSONAL_SECTIONS: list[tuple[str, Any, Any]] = [
    ("foi", gettext_lazy("我的依申请公开"), gettext_lazy("您还没有提交过政府信息公开申请。")),
    ("messages", gettext_lazy("我的留言"), gettext_lazy("您还没有留言。")),
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
        if is_staff_user(user)  # type: ignore[arg-type]
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
            "is_staff_account": is_staff_user(user),  # type: ignore[arg-type]
        },
    )
