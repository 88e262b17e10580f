"""Adapters for the content this platform indexes: information items (incl. policies),
interpretations and Q&A entries. Kept inside the search app so content apps stay unaware."""

from __future__ import annotations

from collections.abc import Iterator

from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from .registry import Adapter, SearchDoc, make_key, register, register_related


def _url(names: tuple[str, ...], pk: int, fallback: str) -> str:
    # The detail pages belong to the catalogue/policies areas; try their URL names first.
    for name in names:
        try:
            return reverse(name, args=[pk])
        except NoReverseMatch:
            continue
    return fallback.format(pk=pk)


def _chunks(qs: models.QuerySet, size: int) -> Iterator[list[models.Model]]:
    last = 0
    while True:
        batch = list(qs.filter(pk__gt=last).order_by("pk")[:size])
        if not batch:
            return
        yield batch
        last = batch[-1].pk


def _text(html_body: str, plain: str) -> str:
    return plain or strip_tags(html_body or "")


# ---------------------------------------------------------------- InformationItem
def _item_qs() -> models.QuerySet:
    from gongkai.catalogue.models import InformationItem

    return InformationItem.objects.select_related("topic").prefetch_related(
        "audiences", "columns", "attachments"
    )


def _item_doc(obj: models.Model) -> SearchDoc:
    from gongkai.catalogue.models import Column, InformationItem

    item: InformationItem = obj  # type: ignore[assignment]
    topic = item.topic
    attachments = " ".join(a.extracted_text for a in item.attachments.all() if a.extracted_text)
    return SearchDoc(
        key=make_key("item", item.pk),
        type="policy" if item.policy_kind else "item",
        title=item.title,
        body=_text(item.body, item.body_text),
        doc_number=item.doc_number,
        external_id=item.external_id or "",
        organisation_id=item.organisation_id,
        published=item.published_date,
        public=item.is_public,
        policy_kind=item.policy_kind,
        validity=item.validity,
        topic_id=(topic.parent_id or topic.pk) if topic is not None else None,
        audience_ids=sorted(a.pk for a in item.audiences.all()),
        special_ids=sorted(c.pk for c in item.columns.all() if c.kind == Column.Kind.SPECIAL),
        extra_text=" ".join(x for x in (item.keywords, item.summary, attachments) if x),
        status=item.status,
    )


def _item_url(type_: str, pk: int) -> str:
    names = (
        ("portal:policy_detail", "portal:item_detail")
        if type_ == "policy"
        else (
            "portal:item_detail",
            "portal:catalogue_item_detail",
        )
    )
    return _url(names, pk, "/items/{pk}/")


# ---------------------------------------------------------------- Interpretation
def _interp_qs() -> models.QuerySet:
    from gongkai.policies.models import Interpretation

    return Interpretation.objects.prefetch_related("policies")


def _interp_doc(obj: models.Model) -> SearchDoc:
    from gongkai.policies.models import Interpretation

    interp: Interpretation = obj  # type: ignore[assignment]
    # The interpretation is found by the title and 文号 of the policies it explains (双向关联).
    linked = " ".join(f"{p.title} {p.doc_number}" for p in interp.policies.all())
    return SearchDoc(
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


# ---------------------------------------------------------------- QAEntry
def _qa_qs() -> models.QuerySet:
    from gongkai.policies.models import QAEntry

    return QAEntry.objects.select_related("policy")


def _qa_doc(obj: models.Model) -> SearchDoc:
    from gongkai.policies.models import QAEntry

    qa: QAEntry = obj  # type: ignore[assignment]
    policy = qa.policy
    linked = f"{policy.title} {policy.doc_number}" if policy is not None else ""
    return SearchDoc(
        key=make_key("qa", qa.pk),
        type="qa",
        title=qa.question,
        body=strip_tags(qa.answer or ""),
        organisation_id=qa.organisation_id,
        published=qa.published_date,
        public=qa.is_public,
        extra_text=linked,
        status=qa.status,
    )


def register_default_adapters() -> None:
    from gongkai.catalogue.models import Attachment, InformationItem
    from gongkai.policies.models import Interpretation, QAEntry

    register(
        Adapter(
            prefix="item",
            model=InformationItem,
            load=lambda pks: _item_qs().in_bulk(pks),
            iterate=lambda size: _chunks(_item_qs(), size),
            to_doc=_item_doc,
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
            load=lambda pks: _interp_qs().in_bulk(pks),
            iterate=lambda size: _chunks(_interp_qs(), size),
            to_doc=_interp_doc,
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
            load=lambda pks: _qa_qs().in_bulk(pks),
            iterate=lambda size: _chunks(_qa_qs(), size),
            to_doc=_qa_doc,
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
