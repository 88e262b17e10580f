"""政策找人 (issue 14): the policies an enterprise (or person) qualifies for, with reasons, and
those it misses by exactly one condition; the profile kept in the personal centre."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts.http import AuthenticatedHttpRequest
from gongkai.policies import selectors as ps
from gongkai.policies.forms import MatchProfileForm, MatchQueryForm, NeedForm
from gongkai.policies.matching import unmet_labels
from gongkai.policies.services import match_profile_save
from gongkai.search import semantic


def _rows(result: ps.MatchResult) -> dict[str, list[dict]]:
    return {
        "matches": [{"entry": m} for m in result.matches],
        "near_misses": [{"entry": m, "missing": unmet_labels(m.unmet)} for m in result.near_misses],
    }


def policy_match(request: HttpRequest) -> HttpResponse:
    """With a saved profile: its matches today. Without one: a GET form for a one-off look."""
    today = timezone.localdate()
    saved = ps.match_profile_of(request.user)
    form = None
    result = None
    if saved is not None:
        result = ps.match_for_saved_profile(saved, today)
    else:
        form = MatchQueryForm(request.GET if "region" in request.GET else None)
        if form.is_valid():
            data = form.cleaned_data
            tree = ps.OrgTree.load()
            profile = ps.profile_for(
                tree,
                region=data["region"].code,
                industry=data["industry"],
                scale=data["scale"],
                established=data["established"],
                qualifications=[q.name for q in data["qualifications"]],
            )
            result = ps.match_policies(profile, today, tree)
    need_form = NeedForm(request.GET if "need" in request.GET else None)
    need_hits = None
    if need_form.is_valid():
        need_hits = semantic.need_hits(need_form.cleaned_data["need"])
    return render(
        request,
        "portal/policies/match.html",
        {
            "need_form": need_form,
            "need_hits": need_hits,
            "saved": saved,
            "form": form,
            "today": today,
            "result": _rows(result) if result is not None else None,
        },
    )


@login_required
def match_profile_edit(request: AuthenticatedHttpRequest) -> HttpResponse:
    saved = ps.match_profile_of(request.user)
    initial = {}
    if saved is not None:
        initial = {
            "name": saved.name,
            "credit_code": saved.credit_code,
            "region": saved.region,
            "industry": saved.industry,
            "scale": saved.scale,
            "established": saved.established,
            "qualifications": list(saved.qualifications.all()),
        }
    form = MatchProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            match_profile_save(
                user=request.user,
                data=form.cleaned_data,
                acting_user=request.user,
            )
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(request, _("已保存政策找人档案。"))
            return redirect("portal:policy_match")
    return render(request, "portal/policies/match_profile.html", {"form": form, "saved": saved})
