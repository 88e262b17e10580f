"""The policy library's content kinds (政策解读, 政策问答): review and search adapters.

Registered once in ``PoliciesConfig.ready()`` (``register_content``).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.accounts.models import Role
from gongkai.core import content
from gongkai.review.chain_models import (
    ContentKind,
)
from gongkai.review.chain_services import ContentAdapter, RevisableAdapter
from gongkai.search.adapters import doc_text, first_url
from gongkai.search.registry import SearchDoc, make_key


class InterpretationAdapter(RevisableAdapter):
    kind = ContentKind.INTERPRETATION
    model_label = "policies.Interpretation"
    diff_fields = ("title", "form", "body", "image_alt", "video_url", "interpreter", "policies")
    not_versioned = ContentAdapter.not_versioned | {"external_id"}
    m2m_fields = ("policies",)

    def snapshot(self, obj: Any) -> dict[str, Any]:
        from gongkai.core.html import html_to_text

        data = super().snapshot(obj)
        data["body_html"] = data.pop("body", "")
        data["body"] = html_to_text(data["body_html"])
        return data

    def texts(self, obj: Any) -> list[tuple[str, str, str]]:
        from gongkai.core.html import html_to_text

        return [
            ("title", _("标题"), obj.title or ""),
            ("body", _("正文"), obj.body_text or html_to_text(obj.body or "")),
        ]

    def findings(self, obj: Any) -> list[Any]:
        """The text checks, then the 三同步 link warnings (an interpretation older than its
        policy, or from an unrelated organisation: most often a mistyped 索引号)."""
        from gongkai.checks.selectors import interpretation_findings

        return super().findings(obj) + interpretation_findings(obj)

    def maskable(self, obj: Any) -> dict[str, str]:
        return {"title": obj.title, "body": obj.body}

    def save_masked(self, obj: Any, changes: dict[str, str], acting_user: Any) -> None:
        from gongkai.policies.services import interpretation_update

        interpretation_update(interpretation=obj, acting_user=acting_user, **changes)

    def publish_live(self, obj: Any, acting_user: Any, on: datetime.date | None) -> None:
        from gongkai.policies.services import interpretation_publish

        interpretation_publish(interpretation=obj, acting_user=acting_user, published_date=on)

    def apply_revision(self, obj: Any, acting_user: Any) -> None:
        from gongkai.policies.services import interpretation_revision_apply

        interpretation_revision_apply(revision=obj, acting_user=acting_user)

    def live_public_url(self, pk: int) -> str:
        return reverse("portal:interpretation_detail", args=[pk])


class QAAdapter(RevisableAdapter):
    kind = ContentKind.QA
    model_label = "policies.QAEntry"
    diff_fields = ("question", "answer", "unit", "policy", "contact_phone")

    def texts(self, obj: Any) -> list[tuple[str, str, str]]:
        from gongkai.core.html import html_to_text

        return [
            ("question", _("问题"), obj.question or ""),
            ("answer", _("答复"), html_to_text(obj.answer or "")),
        ]

    def maskable(self, obj: Any) -> dict[str, str]:
        return {"question": obj.question, "answer": obj.answer}

    def save_masked(self, obj: Any, changes: dict[str, str], acting_user: Any) -> None:
        from gongkai.policies.services import qa_update

        qa_update(entry=obj, acting_user=acting_user, **changes)

    def publish_live(self, obj: Any, acting_user: Any, on: datetime.date | None) -> None:
        from gongkai.policies.services import qa_publish

        qa_publish(entry=obj, acting_user=acting_user, published_date=on)

    def apply_revision(self, obj: Any, acting_user: Any) -> None:
        from gongkai.policies.services import qa_revision_apply

        qa_revision_apply(revision=obj, acting_user=acting_user)


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
            body=doc_text(interp.body, interp.body_text),
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


def register_content() -> None:
    """The policy library's registrations: 政策解读 and 政策问答."""
    from gongkai.search.registry import Adapter

    from .models import Interpretation, QAEntry

    content.register(
        content.ContentKind(
            kind="interpretation",
            model_label="policies.Interpretation",
            label=_("政策解读"),
            review_adapter=InterpretationAdapter(),
            search_adapters=(
                Adapter(
                    prefix="interpretation",
                    model=Interpretation,
                    load=lambda pks: _interp_docs(id__in=pks),
                    load_range=lambda first, last: _interp_docs(id__gte=first, id__lte=last),
                    url=lambda _t, pk: first_url(
                        ("portal:interpretation_detail", "portal:policies_interpretation_detail"),
                        pk,
                        "/interpretations/{pk}/",
                    ),
                    count=lambda: Interpretation.objects.count(),
                    type_labels={"interpretation": _("政策解读")},
                    staff_url=lambda _t, pk: first_url(
                        ("staff:interpretation_edit", "staff:interpretation_detail"),
                        pk,
                        "/staff/interpretations/{pk}/",
                    ),
                ),
            ),
            public_url_name="portal:interpretation_detail",
            staff_url_name="staff:interpretation_edit",
            nav=content.NavEntry(
                url_name="staff:policies_interpretation_list",
                label=gettext_lazy("政策解读"),
                roles=(Role.EDITOR, Role.REVIEWER),
            ),
            checks=("wordlist", "privacy"),
        )
    )
    content.register(
        content.ContentKind(
            kind="qa",
            model_label="policies.QAEntry",
            label=_("政策问答"),
            review_adapter=QAAdapter(),
            search_adapters=(
                Adapter(
                    prefix="qa",
                    model=QAEntry,
                    load=lambda pks: _qa_docs(id__in=pks),
                    load_range=lambda first, last: _qa_docs(id__gte=first, id__lte=last),
                    url=lambda _t, pk: first_url(
                        ("portal:qa_detail", "portal:policies_qa_detail"), pk, "/qa/{pk}/"
                    ),
                    count=lambda: QAEntry.objects.count(),
                    type_labels={"qa": _("政策问答")},
                    staff_url=lambda _t, pk: first_url(
                        ("staff:qa_edit", "staff:qa_detail"), pk, "/staff/qa/{pk}/"
                    ),
                ),
            ),
            public_url_name="portal:qa_detail",
            staff_url_name="staff:qa_edit",
            nav=content.NavEntry(
                url_name="staff:policies_qa_list",
                label=gettext_lazy("政策问答"),
                roles=(Role.EDITOR, Role.REVIEWER),
            ),
            checks=("wordlist", "privacy"),
        )
    )
    # 个人中心: the 政策找人 profile and how many policies it matches today (issue 14).
    content.register_personal_section(
        content.PersonalSection(
            key="policy_match",
            selector=_personal_match_summary,
            template="policies/personal_center_match.html",
        )
    )


def _personal_match_summary(user: Any) -> list[dict[str, Any]]:
    """One entry, always: the profile (or ``None``, so the section offers to create one)."""
    from django.utils import timezone

    from .selectors import match_for_saved_profile, match_profile_of

    saved = match_profile_of(user)
    if saved is None:
        return [{"profile": None}]
    result = match_for_saved_profile(saved, timezone.localdate())
    return [
        {
            "profile": saved,
            "matches": len(result.matches),
            "near_misses": len(result.near_misses),
        }
    ]
