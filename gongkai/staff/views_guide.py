"""公开指南 in the back office: each organisation's 政务公开管理员 keeps the 政府信息公开工作机构
contacts (条例第十二条) that the portal's 公开指南 page is built from."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from gongkai.accounts.forms import OrganisationGuideForm
from gongkai.accounts.guide import OGI_OFFICE_FIELDS, ogi_office_contacts
from gongkai.accounts.http import AuthenticatedHttpRequest
from gongkai.accounts.models import Organisation, Role
from gongkai.accounts.permissions import can_administer_organisation, staff_required
from gongkai.accounts.selectors import organisations_for_role
from gongkai.accounts.services import organisation_guide_update


@staff_required
def guide_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    organisations = list(organisations_for_role(request.user, Role.ADMIN))
    if not organisations:
        raise PermissionDenied(_("只有政务公开管理员可以维护公开指南"))
    return render(request, "staff/guide/list.html", {"organisations": organisations})


@staff_required
def guide_edit(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, code=code, is_active=True)
    if not can_administer_organisation(request.user, organisation):
        raise PermissionDenied(_("只有本机构的政务公开管理员可以修改公开指南"))
    form = OrganisationGuideForm(
        request.POST or None, instance=Organisation.objects.get(pk=organisation.pk)
    )
    if request.method == "POST" and form.is_valid():
        try:
            organisation_guide_update(
                organisation=organisation,
                data={name: form.cleaned_data[name] for name in OGI_OFFICE_FIELDS},
                acting_user=request.user,
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("已保存%(org)s的公开指南。") % {"org": organisation.name})
            return redirect("staff:guide_edit", code=organisation.code)
    return render(
        request,
        "staff/guide/edit.html",
        {
            "organisation": organisation,
            "form": form,
            "contacts": ogi_office_contacts(organisation),
        },
    )
