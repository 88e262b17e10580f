"""Back-office pages for government information items (/staff/items/)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.accounts.http import AuthenticatedHttpRequest
from gongkai.accounts.models import Role
from gongkai.accounts.permissions import staff_required
from gongkai.accounts.selectors import organisations_for_role
from gongkai.catalogue import services
from gongkai.catalogue.forms import (
    AttachmentForm,
    ItemFilterForm,
    ItemForm,
    ValidityForm,
    WithdrawForm,
)
from gongkai.catalogue.models import Attachment, InformationItem
from gongkai.catalogue.selectors import (
    LINK_SCOPES,
    can_edit_item,
    can_view_item,
    item_lookup,
    items_visible_to,
    validity_banner,
)
from gongkai.catalogue.views import attachment_download
from gongkai.core.models import AuditEntry
from gongkai.oversight import ledger
from gongkai.review.chain_services import review_submit, review_withdraw
from gongkai.review.selectors import review_abilities
from gongkai.subscriptions.services import correction_marked

PAGE_SIZE = 30


def _audit_rows(item: InformationItem) -> list[tuple[str, str]]:
    """The item's audit trail as Chinese sentences (issue 15, item 5)."""
    entries = AuditEntry.objects.filter(
        target_type=InformationItem._meta.label_lower, target_id=str(item.pk)
    ).order_by("-created_at", "-id")[:100]
    type_label = str(InformationItem._meta.verbose_name)
    return [(ledger.audit_sentence(e, type_label), ledger.entry_detail(e)) for e in entries]


def _item_for(request: AuthenticatedHttpRequest, pk: int, *, edit: bool) -> InformationItem:
    item = get_object_or_404(
        InformationItem.objects.select_related(
            "organisation", "unit", "topic__parent", "revision_of"
        ),
        pk=pk,
    )
    allowed = can_edit_item(request.user, item) if edit else can_view_item(request.user, item)
    if not allowed:
        raise PermissionDenied(_("您没有权限查看或修改其他机构的政府信息。"))
    return item


def _service_error_messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [m for messages_ in error.message_dict.values() for m in messages_]
    return list(error.messages)


@staff_required
def items_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ItemFilterForm(request.GET or None)
    # Closed 修订稿 are history (seen from their live item's versions), not work to do.
    qs = (
        items_visible_to(request.user)
        .exclude(revision_of__isnull=False, revision_closed_at__isnull=False)
        .select_related("organisation", "topic", "revision_of")
    )
    if form.is_valid():
        if form.cleaned_data["status"]:
            qs = qs.filter(status=form.cleaned_data["status"])
        if form.cleaned_data["column"]:
            qs = qs.filter(columns=form.cleaned_data["column"])
        if form.cleaned_data["q"]:
            q = form.cleaned_data["q"].strip()
            qs = qs.filter(Q(title__icontains=q) | Q(index_number__icontains=q))
    page = Paginator(qs.order_by("-updated_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "staff/items/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_create": organisations_for_role(request.user, Role.EDITOR).exists(),
        },
    )


def _add_attachments(item: InformationItem, form: ItemForm, user, stored: list[str]) -> None:
    """The files chosen on the form, added in the caller's transaction (all or none);
    ``stored`` collects the stored file names, to remove if the transaction rolls back."""
    form.attachment_names = []
    for uploaded in form.cleaned_data.get("attachments") or []:
        try:
            attachment = services.attachment_add(
                item=item, uploaded_file=uploaded, acting_user=user
            )
        except ValidationError as error:
            raise ValidationError({"attachments": error.messages}) from error
        stored.append(str(attachment.file.name))
        form.attachment_names.append(uploaded.name)


def _after_save(request: AuthenticatedHttpRequest, form: ItemForm, item: InformationItem, saved):
    """Messages for what came with the save (附件, Word 正文); a body imported from Word is
    shown again in the editor so it is checked before submission."""
    messages.success(request, saved)
    if form.attachment_names:
        messages.success(
            request, _("已上传附件：%(names)s。") % {"names": "、".join(form.attachment_names)}
        )
    if form.docx_imported:
        messages.info(
            request,
            _("已从“%(name)s”导入正文，请检查标题、列表和表格后再提交审核。")
            % {"name": form.docx_imported},
        )
        for warning in form.docx_warnings:
            messages.warning(request, warning)
        return redirect("staff:items_edit", pk=item.pk)
    return redirect("staff:items_detail", pk=item.pk)


def _insertable(request: AuthenticatedHttpRequest, item: InformationItem) -> list[Attachment]:
    """The item's attachments with the full public address the editor inserts: the sanitiser
    keeps only http(s) links (a body is also read through the API and pushed elsewhere)."""
    attachments = list(item.attachments.all())
    for attachment in attachments:
        attachment.insert_url = request.build_absolute_uri(  # type: ignore[attr-defined]  # display-only attribute for the template
            reverse("portal:attachment_download", args=[attachment.pk])
        )
    return attachments


def _discard_files(paths: list[str]) -> None:
    """Files stored by a save that was rolled back (the rows are gone with the transaction)."""
    from django.core.files.storage import default_storage

    for name in paths:
        if not Attachment.objects.filter(file=name).exists():
            default_storage.delete(name)


@staff_required
def items_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not organisations_for_role(request.user, Role.EDITOR).exists():
        raise PermissionDenied(_("您没有编辑政府信息的权限。"))
    form = ItemForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        stored: list[str] = []
        try:
            # The draft and the files chosen with it are one save: 附件 before the first save.
            with transaction.atomic():
                item = services.item_create(
                    organisation=form.cleaned_data["organisation"],
                    data=form.service_data(),
                    acting_user=request.user,
                )
                _add_attachments(item, form, request.user, stored)
        except ValidationError as error:
            _discard_files(stored)
            form.add_service_errors(error)
        else:
            return _after_save(
                request,
                form,
                item,
                _("已保存草稿，索引号 %(n)s。") % {"n": item.index_number},
            )
    return render(request, "staff/items/form.html", {"form": form, "item": None})


@staff_required
def items_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Edit a draft in place; a published item is corrected through its 修订稿 (ADR 0005):
    the first save creates the revision, which is then submitted to the review chain while the
    public keeps seeing the approved text."""
    item = _item_for(request, pk, edit=True)
    if item.revision_of_id and item.revision_closed_at is not None:
        messages.error(request, _("该修订稿已关闭，不能再修改。"))
        return redirect("staff:items_detail", pk=item.pk)
    live = item.status == InformationItem.Status.PUBLISHED and not item.revision_of_id
    if live:
        revision = services.open_revision(item)
        if revision is not None:
            return redirect("staff:items_edit", pk=revision.pk)
    form = ItemForm(request.POST or None, request.FILES or None, user=request.user, item=item)
    if request.method == "POST" and form.is_valid():
        stored: list[str] = []
        try:
            with transaction.atomic():
                target = (
                    services.item_revision_open(item=item, acting_user=request.user)
                    if live
                    else item
                )
                services.item_update(
                    item=target, data=form.service_data(), acting_user=request.user
                )
                _add_attachments(target, form, request.user, stored)
        except ValidationError as error:
            _discard_files(stored)
            form.add_service_errors(error)
            item.refresh_from_db()
        else:
            return _after_save(
                request,
                form,
                target,
                _("已保存为修订稿。请提交审核；终审通过后，修改才替换网站上的公开内容。")
                if live
                else _("已保存修改。"),
            )
    return render(
        request,
        "staff/items/form.html",
        {
            "form": form,
            "item": item,
            "live": live,
            "attachments": _insertable(request, item),
            "validity_form": None if item.revision_of_id else _validity_form(item),
        },
    )


def _validity_form(item: InformationItem) -> ValidityForm:
    return ValidityForm(
        initial={
            "validity": item.validity,
            "validity_date": item.validity_date,
            "replaced_by": item.replaced_by.index_number if item.replaced_by else "",
        }
    )


@staff_required
def items_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = _item_for(request, pk, edit=False)
    return render(
        request,
        "staff/items/detail.html",
        {
            "item": item,
            "can_edit": can_edit_item(request.user, item),
            "abilities": review_abilities(request.user, item),
            "audiences": list(item.audiences.all()),
            "columns": list(item.columns.all()),
            "attachments": list(item.attachments.all()),
            "banner": validity_banner(item),
            "open_revision": (
                services.open_revision(item)
                if item.status == InformationItem.Status.PUBLISHED and not item.revision_of_id
                else None
            ),
            "audit": _audit_rows(item),
            "substantive": bool(item.revision_of_id) and correction_marked(item),
            "validity_form": _validity_form(item),
            "withdraw_form": WithdrawForm(),
            "attachment_form": AttachmentForm(),
        },
    )


def _run(request: AuthenticatedHttpRequest, action, success: str) -> None:
    try:
        with transaction.atomic():
            action()
    except ValidationError as error:
        for message in _service_error_messages(error):
            messages.error(request, message)
    else:
        messages.success(request, success)


@require_POST
@staff_required
def items_publish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """先审后发: this button no longer publishes; it submits the item to the review chain,
    whose final approval calls ``services.item_publish`` (gongkai.review.chain_services)."""
    item = _item_for(request, pk, edit=True)
    _run(
        request,
        lambda: review_submit(content=item, acting_user=request.user),
        _("已提交审核。"),
    )
    return redirect("staff:workflow_content", kind="item", pk=item.pk)


@require_POST
@staff_required
def items_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The review page's 撤回 from the item's own page: the same road (``review_withdraw``), so
    the item's review request is withdrawn too and a resubmission starts at level 1."""
    item = _item_for(request, pk, edit=True)
    form = WithdrawForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    _run(
        request,
        lambda: review_withdraw(content=item, reason=reason, acting_user=request.user),
        _("已撤回。"),
    )
    return redirect("staff:items_detail", pk=item.pk)


@require_POST
@staff_required
def items_validity(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = _item_for(request, pk, edit=True)
    form = ValidityForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, str(message))
        return redirect("staff:items_detail", pk=item.pk)
    _run(
        request,
        lambda: services.item_set_validity(
            item=item,
            validity=form.cleaned_data["validity"],
            date=form.cleaned_data["validity_date"],
            replaced_by=form.cleaned_data["replaced_by"],
            acting_user=request.user,
        ),
        _("已更新有效性。"),
    )
    return redirect("staff:items_detail", pk=item.pk)


@require_POST
@staff_required
def items_attachment_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = _item_for(request, pk, edit=True)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择要上传的文件。"))
        return redirect("staff:items_detail", pk=item.pk)
    uploaded = form.cleaned_data["file"]
    _run(
        request,
        lambda: services.attachment_add(
            item=item,
            uploaded_file=uploaded,
            acting_user=request.user,
            is_original=form.cleaned_data["is_original"],
        ),
        _("已上传附件“%(name)s”。") % {"name": uploaded.name},
    )
    return redirect("staff:items_detail", pk=item.pk)


items_attachment_download = attachment_download


@staff_required
def items_lookup(request: AuthenticatedHttpRequest) -> JsonResponse:
    """Pick, don't type: the documents this user may link, found by title, 文号 or 索引号
    (JSON for the 索引号 fields' autocomplete; the forms validate the 索引号 themselves)."""
    scope = request.GET.get("for", "policy")
    if scope not in LINK_SCOPES:
        return JsonResponse({"detail": _("参数for只能是policy或successor")}, status=400)
    results = item_lookup(request.user, request.GET.get("q", ""), scope=scope)
    # Signed-in answers are never cached (core.http_cache marks them private, no-store).
    return JsonResponse({"results": results})
