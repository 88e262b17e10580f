"""Reads of the catalogue that encode the disclosure rules."""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from gongkai.accounts.models import Role
from gongkai.accounts.selectors import is_staff_user, organisation_ids_for_role, user_has_role
from gongkai.core.text import book_title, chinese_date

from .models import Column, InformationItem


def public_items() -> QuerySet[InformationItem]:
    """Items the public may see: published and 主动公开. 依申请公开 and 不予公开 items never are."""
    return InformationItem.objects.filter(
        status=InformationItem.Status.PUBLISHED,
        disclosure=InformationItem.Disclosure.PROACTIVE,
    )


STAFF_ITEM_ROLES = (Role.EDITOR, Role.REVIEWER)


def items_visible_to(user: Any) -> QuerySet[InformationItem]:
    """Items a staff member may see in the back office, drafts included: those of the
    organisations where the user is 编辑, 审核人 or 政务公开管理员.

    A department sees only its own items (issue 2: per-organisation permissions).
    """
    scope = organisation_ids_for_role(user, *STAFF_ITEM_ROLES)
    qs = InformationItem.objects.all()
    return qs if scope is None else qs.filter(organisation_id__in=scope)


def can_view_item(user: Any, item: InformationItem) -> bool:
    return is_staff_user(user) and user_has_role(user, item.organisation_id, *STAFF_ITEM_ROLES)


def can_edit_item(user: Any, item: InformationItem) -> bool:
    return is_staff_user(user) and user_has_role(user, item.organisation_id, Role.EDITOR)


def can_download_attachment(user: Any, item: InformationItem) -> bool:
    """Attachments of public items are public; others only for staff who may see the draft."""
    return item.is_public or can_view_item(user, item)


def column_items(column: Column) -> QuerySet[InformationItem]:
    """Public items of a column, newest first; an organisation's column shows only its own."""
    qs = public_items().filter(columns=column)
    if column.organisation_id:
        qs = qs.filter(organisation_id=column.organisation_id)
    return qs.select_related("organisation", "topic").order_by("-published_date", "-id")


@dataclass(frozen=True)
class ValidityBanner:
    """The notice shown on top of a 失效/废止/已修改 item.

    ``text`` is the whole sentence; ``link_item`` is the replacing or amending item when the
    public may open it (the page links ``link_text`` to it), otherwise ``None``.
    """

    text: str
    link_item: InformationItem | None = None
    link_text: str = ""


def validity_banner(item: InformationItem) -> ValidityBanner | None:
    Validity = InformationItem.Validity
    if item.validity == Validity.VALID:
        return None
    when = (
        _("已于%(date)s") % {"date": chinese_date(item.validity_date)}
        if item.validity_date
        else _("已")
    )
    target = item.replaced_by if item.replaced_by_id else None
    shown = target if target is not None and target.is_public else None
    title = book_title(shown.title) if shown else ""
    if item.validity == Validity.EXPIRED:
        if shown:
            return ValidityBanner(
                _("本文件%(when)s失效，现行文件为%(title)s") % {"when": when, "title": title},
                shown,
                title,
            )
        return ValidityBanner(_("本文件%(when)s失效") % {"when": when})
    if item.validity == Validity.REPEALED:
        if shown:
            return ValidityBanner(
                _("本文件%(when)s废止，由%(title)s替代") % {"when": when, "title": title},
                shown,
                title,
            )
        return ValidityBanner(_("本文件%(when)s废止") % {"when": when})
    # 已修改: the amending document is named so readers read both together.
    if shown:
        return ValidityBanner(
            _("本文件%(when)s被%(title)s修改") % {"when": when, "title": title}, shown, title
        )
    return ValidityBanner(_("本文件%(when)s修改") % {"when": when})


# ---------------------------------------------------------------------------------------------
# Pick, don't type (issue 15 item 2): the documents a member of staff may link
# ---------------------------------------------------------------------------------------------

LINK_SCOPES = ("policy", "successor")


def linkable_items(user: Any, *, scope: str = "policy") -> QuerySet[InformationItem]:
    """What a member of staff may link: any public item, plus the drafts and non-public items
    of the organisations where they are 编辑 or 审核人 (三同步: an interpretation is prepared
    with its draft policy). ``policy``: policy documents only (解读, 问答); ``successor``: any
    item (the 替代或修改文件 of a 失效/废止/已修改 one). Never a 修订稿."""
    from django.db.models import Q

    qs = InformationItem.objects.filter(revision_of=None)
    if scope == "policy":
        qs = qs.exclude(policy_kind="")
    orgs = organisation_ids_for_role(user, Role.EDITOR, Role.REVIEWER)
    if orgs is None:
        return qs
    return qs.filter(Q(pk__in=public_items().values("pk")) | Q(organisation_id__in=orgs))


# 文号 are typed with whatever brackets the keyboard offers; the documents use 〔〕.
_BRACKETS = str.maketrans({"[": "〔", "]": "〕", "［": "〔", "］": "〕", "【": "〔", "】": "〕"})
LOOKUP_LIMIT = 10


def item_lookup(user: Any, query: str, *, scope: str = "policy") -> list[dict[str, Any]]:
    """Up to ten linkable items whose title, 文号 or 索引号 contain ``query`` (an exact 索引号
    or 文号 first, then the newest), with what a person needs to tell them apart."""
    from django.db.models import Case, F, IntegerField, Q, Value, When

    query = " ".join((query or "").split())[:100]
    if len(query) < 2:
        return []
    doc_query = query.translate(_BRACKETS)
    match = (
        Q(title__icontains=query)
        | Q(index_number__icontains=query)
        | Q(doc_number__icontains=query)
        | Q(doc_number__icontains=doc_query)
    )
    rows = (
        linkable_items(user, scope=scope)
        .filter(match)
        .select_related("organisation")
        .only(
            "pk",
            "title",
            "doc_number",
            "index_number",
            "status",
            "published_date",
            "written_date",
            "organisation__name",
        )
        .annotate(
            exact=Case(
                When(Q(index_number=query) | Q(doc_number=doc_query), then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        # NULLs (drafts have no 发布日期) last on both databases.
        .order_by(
            "exact",
            F("published_date").desc(nulls_last=True),
            F("written_date").desc(nulls_last=True),
            "-id",
        )[:LOOKUP_LIMIT]
    )
    out = []
    for item in rows:
        day = item.published_date or item.written_date
        date = day.isoformat() if day else ""
        status = (
            "" if item.status == InformationItem.Status.PUBLISHED else item.get_status_display()
        )
        label = "".join(
            [
                book_title(item.title),
                f"（{item.doc_number}）" if item.doc_number else "",
                f" {item.organisation.name}",
                f" {date}" if date else "",
                f" [{status}]" if status else "",
            ]
        )
        out.append(
            {
                "id": item.pk,
                "index_number": item.index_number,
                "title": item.title,
                "doc_number": item.doc_number,
                "organisation": item.organisation.name,
                "date": date,
                "status": status,
                "label": label,
            }
        )
    return out
