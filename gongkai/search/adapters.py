"""Adapters for the content this platform indexes: information items (incl. policies),
interpretations and Q&A entries. Kept inside the search app so content apps stay unaware.

Items are read with ``values()`` and one query per related table and chunk, not model
instances: a rebuild of a million items spends its time tokenising, not in the ORM.
"""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from .registry import Adapter, SearchDoc, make_key, register, register_related

_URL_NAMES: dict[tuple[str, ...], str | None] = {}


def _url(names: tuple[str, ...], pk: int, fallback: str) -> str:
    # The detail pages belong to the catalogue/policies areas; use the first of their URL names
    # that exists (looked up once per process: failed reverses are slow).
    if names not in _URL_NAMES:
        _URL_NAMES[names] = None
        for candidate in names:
            try:
                reverse(candidate, args=[1])
            except NoReverseMatch:
                continue
            _URL_NAMES[names] = candidate
            break
    found = _URL_NAMES[names]
    return reverse(found, args=[pk]) if found else fallback.format(pk=pk)


def _text(html_body: str, plain: str) -> str:
    return plain or strip_tags(html_body or "")


# ---------------------------------------------------------------- InformationItem
ITEM_FIELDS = (
    "id", "title", "doc_number", "body", "body_text", "external_id", "organisation_id",
    "published_date", "status", "disclosure", "policy_kind", "validity", "topic_id",
    "keywords", "summary",
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
            body=_text(r["body"], r["body_text"]),
            doc_number=r["doc_number"],
            external_id=r["external_id"] or "",
            organisation_id=r["organisation_id"],
            published=r["published_date"],
            public=public,
            policy_kind=r["policy_kind"],
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
    return _url(names, pk, "/items/{pk}/")


# ---------------------------------------------------------------- Interpretation
def _interp_docs(**lookup: Any) -> dict[int, SearchDoc]:
    from gongkai.policies.models import Interpretation

    docs: dict[int, SearchDoc] = {}
    live = Interpretation.objects.filter(revision_of=None, **lookup)
    for interp in live.prefetch_related("policies"):
        # The interpretation is found by the title and 文号 of the policies it explains (双向关联).
        linked = " ".join(f"{p.title} {p.doc_number}" for p in interp.policies.all())
        docs[interp.pk] = SearchDoc(
            key=make_key("interpretation", interp.pk),
            type="interpretation",
            title=interp.title,
            body=_text(interp.body, interp.body_text),
            external_id=interp.external_id or "",
            organisation_id=interp.organisation_id,
            published=interp.published_date,
            public=interp.is_public,
            extra_text=" ".join(x for x in (interp.image_alt, interp.interpreter, linked) if x),
            status=interp.status,
        )
    return docs


# ---------------------------------------------------------------- QAEntry
def _qa_docs(**lookup: Any) -> dict[int, SearchDoc]:
    from gongkai.policies.models import QAEntry

    docs: dict[int, SearchDoc] = {}
    for qa in QAEntry.objects.filter(revision_of=None, **lookup).select_related("policy"):
        policy = qa.policy
        docs[qa.pk] = SearchDoc(
            key=make_key("qa", qa.pk),
            type="qa",
            title=qa.question,
            body=strip_tags(qa.answer or ""),
            organisation_id=qa.organisation_id,
            published=qa.published_date,
            public=qa.is_public,
            extra_text=f"{policy.title} {policy.doc_number}" if policy is not None else "",
            status=qa.status,
        )
    return docs


def register_default_adapters() -> None:
    from gongkai.catalogue.models import Attachment, InformationItem
    from gongkai.policies.models import Interpretation, QAEntry

    register(
        Adapter(
            prefix="item",
            model=InformationItem,
            load=lambda pks: _item_docs(id__in=pks),
            load_range=lambda first, last: _item_docs(id__gte=first, id__lte=last),
            url=_item_url,
            count=lambda: InformationItem.objects.count(),
            type_labels={"item": _("政府信息"), "policy": _("政策文件")},
            staff_url=lambda _t, pk: _url(
                ("staff:item_detail", "staff:items_detail", "staff:item_edit"),
                pk,
                "/staff/items/{pk}/",
            ),
        )
    )
    register(
        Adapter(
            prefix="interpretation",
            model=Interpretation,
            load=lambda pks: _interp_docs(id__in=pks),
            load_range=lambda first, last: _interp_docs(id__gte=first, id__lte=last),
            url=lambda _t, pk: _url(
                ("portal:interpretation_detail", "portal:policies_interpretation_detail"),
                pk,
                "/interpretations/{pk}/",
            ),
            count=lambda: Interpretation.objects.count(),
            type_labels={"interpretation": _("政策解读")},
            staff_url=lambda _t, pk: _url(
                ("staff:interpretation_edit", "staff:interpretation_detail"),
                pk,
                "/staff/interpretations/{pk}/",
            ),
        )
    )
    register(
        Adapter(
            prefix="qa",
            model=QAEntry,
            load=lambda pks: _qa_docs(id__in=pks),
            load_range=lambda first, last: _qa_docs(id__gte=first, id__lte=last),
            url=lambda _t, pk: _url(
                ("portal:qa_detail", "portal:policies_qa_detail"), pk, "/qa/{pk}/"
            ),
            count=lambda: QAEntry.objects.count(),
            type_labels={"qa": _("政策问答")},
            staff_url=lambda _t, pk: _url(
                ("staff:qa_edit", "staff:qa_detail"), pk, "/staff/qa/{pk}/"
            ),
        )
    )
    register_related(Attachment, lambda att: [make_key("item", att.item_id)])  # type: ignore[attr-defined]
