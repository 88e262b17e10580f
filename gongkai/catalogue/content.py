"""The catalogue's content kind: how information items are reviewed, searched and linked.

Registered once in ``CatalogueConfig.ready()`` (``register_content``); review and search ask the
content registry (``core.content``) and never import this app.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.accounts.models import Role
from gongkai.checks.item_checks import ItemFinding
from gongkai.core import content
from gongkai.review.chain_models import (
    ContentKind,
)
from gongkai.review.chain_services import ContentAdapter, RevisableAdapter
from gongkai.search.adapters import doc_text, first_url
from gongkai.search.registry import SearchDoc, make_key


class ItemAdapter(RevisableAdapter):
    kind = ContentKind.ITEM
    model_label = "catalogue.InformationItem"
    diff_fields = (
        "title",
        "doc_number",
        "written_date",
        "scheduled_at",
        "topic",
        "genre",
        "audiences",
        "keywords",
        "summary",
        "body",
        "disclosure",
        "disclosure_reason",
        "policy_kind",
        "effective_date",
        "expiry_date",
        "registration_number",
        "columns",
        "attachments",
    )
    not_versioned = ContentAdapter.not_versioned | {
        "validity",
        "validity_date",
        "replaced_by",
        "external_id",
    }
    m2m_fields = ("audiences", "columns")

    def field_label(self, name: str) -> str:
        if name == "attachments":
            return _("附件")
        return super().field_label(name)

    def snapshot(self, obj: Any) -> dict[str, Any]:
        from gongkai.core.html import html_to_text

        data = super().snapshot(obj)
        # The diff reads the text, not the markup; the markup is kept too for a faithful record.
        data["body_html"] = data.pop("body", "")
        data["body"] = html_to_text(data["body_html"])
        data["attachments"] = (
            [f"{a.original_name}（{a.sha256[:12]}）" for a in obj.attachments.all()]
            if obj.pk
            else []
        )
        return data

    def findings(self, obj: Any) -> list[ItemFinding]:
        from gongkai.checks.selectors import item_findings

        return item_findings(obj)

    def maskable(self, obj: Any) -> dict[str, str]:
        return {"title": obj.title, "summary": obj.summary, "body": obj.body}

    def save_masked(self, obj: Any, changes: dict[str, str], acting_user: Any) -> None:
        from gongkai.catalogue.services import item_update

        item_update(item=obj, data=changes, acting_user=acting_user)

    def publish_live(self, obj: Any, acting_user: Any, on: datetime.date | None) -> None:
        from gongkai.catalogue.services import item_publish

        # The chain has authorised publication; the catalogue service records the PUBLISH row.
        # ``acting_user=None`` is "the system": the final reviewer need not be an 编辑.
        item_publish(item=obj, acting_user=None, on=on)

    def apply_revision(self, obj: Any, acting_user: Any) -> None:
        from gongkai.catalogue.services import item_revision_apply

        item_revision_apply(revision=obj, acting_user=None)

    def withdraw(self, obj: Any, reason: str, acting_user: Any) -> None:
        from gongkai.catalogue.services import item_withdraw

        item_withdraw(item=obj, reason=reason, acting_user=acting_user)

    def live_public_url(self, pk: int) -> str:
        return reverse("portal:item_detail", args=[pk])


# ---------------------------------------------------------------- InformationItem
ITEM_FIELDS = (
    "id", "title", "doc_number", "body", "body_text", "external_id", "organisation_id",
    "published_date", "status", "disclosure", "policy_kind", "validity", "topic_id",
    "keywords", "summary", "genre",
)  # fmt: skip


def _item_docs(**lookup: Any) -> dict[int, SearchDoc]:
    from gongkai.catalogue.models import Attachment, Column, InformationItem, TopicCategory

    # A 修订稿 is never indexed, not even for staff: the live item is the document (ADR 0005).
    rows = list(InformationItem.objects.filter(revision_of=None, **lookup).values(*ITEM_FIELDS))
    if not rows:
        return {}
    ids = [r["id"] for r in rows]
    through_lookup = {f"informationitem_id__{k.split('__', 1)[1]}": v for k, v in lookup.items()}
    audiences: dict[int, list[int]] = {}
    for item_id, audience_id in InformationItem.audiences.through.objects.filter(
        **through_lookup
    ).values_list("informationitem_id", "audience_id"):
        audiences.setdefault(item_id, []).append(audience_id)
    specials: dict[int, list[int]] = {}
    for item_id, column_id in InformationItem.columns.through.objects.filter(
        column__kind=Column.Kind.SPECIAL, **through_lookup
    ).values_list("informationitem_id", "column_id"):
        specials.setdefault(item_id, []).append(column_id)
    attachments: dict[int, list[str]] = {}
    for item_id, extracted in (
        Attachment.objects.filter(
            **{f"item_id__{k.split('__', 1)[1]}": v for k, v in lookup.items()}
        )
        .exclude(extracted_text="")
        .values_list("item_id", "extracted_text")
    ):
        attachments.setdefault(item_id, []).append(extracted)
    topic_ids = {r["topic_id"] for r in rows if r["topic_id"]}
    tops = (
        dict(TopicCategory.objects.filter(pk__in=topic_ids).values_list("pk", "parent_id"))
        if topic_ids
        else {}
    )
    docs: dict[int, SearchDoc] = {}
    for r in rows:
        pk = r["id"]
        topic = r["topic_id"]
        public = (
            r["status"] == InformationItem.Status.PUBLISHED
            and r["disclosure"] == InformationItem.Disclosure.PROACTIVE
        )
        docs[pk] = SearchDoc(
            key=make_key("item", pk),
            type="policy" if r["policy_kind"] else "item",
            title=r["title"],
            body=doc_text(r["body"], r["body_text"]),
            doc_number=r["doc_number"],
            external_id=r["external_id"] or "",
            organisation_id=r["organisation_id"],
            published=r["published_date"],
            public=public,
            policy_kind=r["policy_kind"],
            genre=r["genre"] or "",
            validity=r["validity"],
            topic_id=(tops.get(topic) or topic) if topic else None,
            audience_ids=sorted(audiences.get(pk, [])),
            special_ids=sorted(specials.get(pk, [])),
            extra_text=" ".join(
                x for x in (r["keywords"], r["summary"], *attachments.get(pk, [])) if x
            ),
            status=r["status"],
        )
    del ids
    return docs


def _item_url(type_: str, pk: int) -> str:
    names = (
        ("portal:policy_detail", "portal:item_detail")
        if type_ == "policy"
        else ("portal:item_detail", "portal:catalogue_item_detail")
    )
    return first_url(names, pk, "/items/{pk}/")


def register_content() -> None:
    """The catalogue's one registration: information items (政府信息 and 政策文件)."""
    from gongkai.search.registry import Adapter, make_key, register_facet_labels, register_related

    from .models import Attachment, Audience, Column, InformationItem, PolicyKind, TopicCategory

    def register_search() -> None:
        register_related(Attachment, lambda att: [make_key("item", att.item_id)])  # type: ignore[attr-defined]  # item_id is the FK attribute the stubs do not declare
        register_facet_labels("policy_kind", choices=lambda: dict(PolicyKind.choices))
        register_facet_labels("validity", choices=lambda: dict(InformationItem.Validity.choices))
        register_facet_labels("topic", model=TopicCategory)
        register_facet_labels("audience", model=Audience)
        register_facet_labels("special", model=Column)

    content.register(
        content.ContentKind(
            kind="item",
            model_label="catalogue.InformationItem",
            label=_("政府信息"),
            review_adapter=ItemAdapter(),
            search_adapters=(
                Adapter(
                    prefix="item",
                    model=InformationItem,
                    load=lambda pks: _item_docs(id__in=pks),
                    load_range=lambda first, last: _item_docs(id__gte=first, id__lte=last),
                    url=_item_url,
                    count=lambda: InformationItem.objects.count(),
                    type_labels={"item": _("政府信息"), "policy": _("政策文件")},
                    staff_url=lambda _t, pk: first_url(
                        ("staff:item_detail", "staff:items_detail", "staff:item_edit"),
                        pk,
                        "/staff/items/{pk}/",
                    ),
                ),
            ),
            register_search=register_search,
            public_url_name="portal:item_detail",
            staff_url_name="staff:item_edit",
            nav=content.NavEntry(
                url_name="staff:items_list",
                label=gettext_lazy("政府信息"),
                # items_visible_to: drafts of editors, queues of reviewers (FOI handlers none).
                roles=(Role.EDITOR, Role.REVIEWER),
            ),
            checks=("wordlist", "privacy", "links", "metadata", "santongbu"),
        )
    )
