"""Public participation's content kinds: the 意见征集 (the draft put out for comment) and its
意见采纳情况反馈. Both go through the review chain (先审后发) and publish through their own
services. Registered once in ``ParticipationConfig.ready()``."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.accounts.models import Role
from gongkai.core import content
from gongkai.review.chain_services import ContentAdapter
from gongkai.search.registry import SearchDoc, make_key

CONSULTATION = "consultation"
FEEDBACK = "consultation_feedback"


class ConsultationAdapter(ContentAdapter):
    kind = CONSULTATION
    model_label = "participation.Consultation"
    diff_fields = (
        "title",
        "kind",
        "draft_text",
        "explanation",
        "target_group",
        "how_to_comment",
        "opens_on",
        "closes_on",
        "shortened_reason",
    )
    not_versioned = ContentAdapter.not_versioned | {
        "finished_at",
        "final_document",
        "closed_at",
        "closed_early_reason",
    }
    versions_on_save = True

    def snapshot(self, obj: Any) -> dict[str, Any]:
        data = super().snapshot(obj)
        data["questions"] = [q.text for q in obj.questions.all()] if obj.pk else []
        return data

    def texts(self, obj: Any) -> list[tuple[str, str, str]]:
        return [
            ("title", _("标题"), obj.title or ""),
            ("draft_text", _("征求意见稿"), obj.draft_text or ""),
            ("explanation", _("起草说明"), obj.explanation or ""),
            ("shortened_reason", _("缩短期限的理由"), obj.shortened_reason or ""),
        ]

    def submit_problem(self, obj: Any) -> str:
        from gongkai.participation import rules
        from gongkai.participation.services import minimum_days

        return rules.period_problem(
            kind=obj.kind,
            opens_on=obj.opens_on,
            closes_on=obj.closes_on,
            shortened_reason=obj.shortened_reason,
            minimum=minimum_days(obj.kind),
        )

    def publish(self, obj: Any, acting_user: Any, on: datetime.date | None) -> None:
        from gongkai.participation.services import consultation_publish

        consultation_publish(consultation=obj, acting_user=acting_user, on=on)

    def withdraw(self, obj: Any, reason: str, acting_user: Any) -> None:
        from gongkai.participation.services import consultation_withdraw

        consultation_withdraw(consultation=obj, reason=reason, acting_user=acting_user)

    def public_url(self, obj: Any) -> str:
        return reverse("portal:consultation_detail", args=[obj.pk])


class FeedbackAdapter(ContentAdapter):
    kind = FEEDBACK
    model_label = "participation.Feedback"
    diff_fields = ("title", "summary", "counts", "non_adoption", "offline_summary")
    versions_on_save = True

    def load(self, pk: int) -> Any:
        return (
            self.model()._default_manager.select_related("organisation", "consultation").get(pk=pk)
        )

    def texts(self, obj: Any) -> list[tuple[str, str, str]]:
        from gongkai.participation.documents import count_rows

        reasons = "\n".join(f"{r['title']}：{r['reason']}" for r in obj.non_adoption or [])
        counts = "；".join(f"{label}{n}条" for label, n in count_rows(obj))
        return [
            ("title", _("标题"), obj.title or ""),
            ("counts", _("采纳情况统计"), counts),
            ("summary", _("总体情况"), obj.summary or ""),
            ("non_adoption", _("未采纳意见及理由"), reasons),
        ]

    def submit_problem(self, obj: Any) -> str:
        from gongkai.participation.services import feedback_stale_problem

        return feedback_stale_problem(obj)

    def publish(self, obj: Any, acting_user: Any, on: datetime.date | None) -> None:
        from gongkai.participation.services import feedback_publish

        feedback_publish(feedback=obj, acting_user=acting_user, on=on)

    def withdraw(self, obj: Any, reason: str, acting_user: Any) -> None:
        from gongkai.participation.services import feedback_withdraw

        feedback_withdraw(feedback=obj, reason=reason, acting_user=acting_user)

    def public_url(self, obj: Any) -> str:
        return reverse("portal:consultation_detail", args=[obj.consultation_id])


EVALUATION = "policy_evaluation"


class EvaluationAdapter(ContentAdapter):
    kind = EVALUATION
    model_label = "participation.PolicyEvaluation"
    diff_fields = (
        "title",
        "plan",
        "methods",
        "standard",
        "scope",
        "usage",
        "results",
        "problems",
    )
    versions_on_save = True

    def texts(self, obj: Any) -> list[tuple[str, str, str]]:
        return [
            (name, self.field_label(name), getattr(obj, name) or "")
            for name in ("title", "plan", "standard", "scope", "usage", "results", "problems")
        ]

    def publish(self, obj: Any, acting_user: Any, on: datetime.date | None) -> None:
        from gongkai.participation.services import evaluation_publish

        evaluation_publish(evaluation=obj, acting_user=acting_user, on=on)

    def withdraw(self, obj: Any, reason: str, acting_user: Any) -> None:
        from gongkai.participation.services import evaluation_withdraw

        evaluation_withdraw(evaluation=obj, reason=reason, acting_user=acting_user)

    def public_url(self, obj: Any) -> str:
        return reverse("portal:evaluation_detail", args=[obj.pk])


DIRECTORY = "decision_directory"


class DirectoryAdapter(ContentAdapter):
    """The yearly 重大行政决策事项目录: reviewed as a whole (its decisions in the snapshot, so
    a decision added after approval needs a new round) and published by ``directory_publish``."""

    kind = DIRECTORY
    model_label = "participation.DecisionDirectory"
    diff_fields = ("year",)
    versions_on_save = True

    def snapshot(self, obj: Any) -> dict[str, Any]:
        data = super().snapshot(obj)
        data["decisions"] = (
            [
                f"{d.number} {d.title} | {d.owner.name} | {d.legal_basis} | {d.planned_time}"
                for d in obj.decisions.filter(removed=False).select_related("owner")
            ]
            if obj.pk
            else []
        )
        return data

    def texts(self, obj: Any) -> list[tuple[str, str, str]]:
        decisions = "\n".join(
            f"{d.number}. {d.title}（{d.legal_basis}）"
            for d in obj.decisions.filter(removed=False).order_by("number")
        )
        return [("title", _("标题"), obj.title), ("decisions", _("决策事项"), decisions)]

    def title(self, obj: Any) -> str:
        return str(obj.title)[:300]

    def submit_problem(self, obj: Any) -> str:
        from gongkai.participation.services import directory_problem

        return directory_problem(obj)

    def publish(self, obj: Any, acting_user: Any, on: datetime.date | None) -> None:
        from gongkai.participation.services import directory_publish

        directory_publish(directory=obj, acting_user=acting_user, on=on)

    def withdraw(self, obj: Any, reason: str, acting_user: Any) -> None:
        from gongkai.participation.services import directory_withdraw

        directory_withdraw(directory=obj, reason=reason, acting_user=acting_user)

    def public_url(self, obj: Any) -> str:
        return reverse("portal:decision_directory") + f"?year={obj.year}"


ADJUSTMENT = "decision_directory_adjustment"


class DirectoryAdjustmentAdapter(ContentAdapter):
    """An adjustment of a published 重大行政决策事项目录 (新增, 调整 or 调出 one decision with
    its reason): reviewed on its own and applied to the directory by its publication
    (``directory_adjustment_publish``). Its organisation is the directory's."""

    kind = ADJUSTMENT
    model_label = "participation.DirectoryAdjustment"
    diff_fields = ("action", "reason", "title", "owner", "legal_basis", "planned_time")
    not_versioned = ContentAdapter.not_versioned | {"applied_at"}
    versions_on_save = True

    def organisation(self, obj: Any) -> Any:
        return obj.directory.organisation

    def load(self, pk: int) -> Any:
        return (
            self.model()
            ._default_manager.select_related("directory__organisation", "decision", "owner")
            .get(pk=pk)
        )

    def lock(self, obj: Any) -> Any:
        return (
            type(obj)
            # PostgreSQL refuses FOR UPDATE on the nullable side of the outer join to decision.
            .objects.select_for_update(of=("self",))
            .select_related("directory__organisation", "decision", "owner")
            .get(pk=obj.pk)
        )

    def title(self, obj: Any) -> str:
        return _("%(directory)s%(action)s：%(title)s") % {
            "directory": obj.directory.title,
            "action": obj.get_action_display(),
            "title": obj.title,
        }

    def texts(self, obj: Any) -> list[tuple[str, str, str]]:
        return [
            (name, self.field_label(name), str(getattr(obj, name) or ""))
            for name in ("title", "legal_basis", "planned_time", "reason")
        ]

    def submit_problem(self, obj: Any) -> str:
        from gongkai.participation.services import directory_adjustment_problem

        return directory_adjustment_problem(obj)

    def publish(self, obj: Any, acting_user: Any, on: datetime.date | None) -> None:
        from gongkai.participation.services import directory_adjustment_publish

        directory_adjustment_publish(adjustment=obj, acting_user=acting_user, on=on)
        obj.refresh_from_db()

    def public_url(self, obj: Any) -> str:
        return reverse("portal:decision_directory") + f"?year={obj.directory.year}"


def _consultation_docs(**lookup: Any) -> dict[int, SearchDoc]:
    from .models import Consultation

    docs: dict[int, SearchDoc] = {}
    for c in Consultation.objects.filter(**lookup):
        docs[c.pk] = SearchDoc(
            key=make_key(CONSULTATION, c.pk),
            type=CONSULTATION,
            title=c.title,
            body=f"{c.draft_text}\n{c.explanation}",
            organisation_id=c.organisation_id,
            published=c.published_date,
            public=c.is_public,
            status=c.status,
        )
    return docs


def register_content() -> None:
    from gongkai.search.registry import Adapter

    from .models import Consultation

    content.register(
        content.ContentKind(
            kind=CONSULTATION,
            model_label="participation.Consultation",
            label=gettext_lazy("意见征集"),
            review_adapter=ConsultationAdapter(),
            search_adapters=(
                Adapter(
                    prefix=CONSULTATION,
                    model=Consultation,
                    load=lambda pks: _consultation_docs(id__in=pks),
                    load_range=lambda first, last: _consultation_docs(id__gte=first, id__lte=last),
                    url=lambda _t, pk: f"/participation/consultations/{pk}/",
                    count=lambda: Consultation.objects.count(),
                    type_labels={CONSULTATION: gettext_lazy("意见征集")},
                    staff_url=lambda _t, pk: f"/staff/participation/consultations/{pk}/",
                ),
            ),
            public_url_name="portal:consultation_detail",
            staff_url_name="staff:consultation_detail",
            nav=content.NavEntry(
                url_name="staff:consultation_list",
                label=gettext_lazy("意见征集"),
                roles=(Role.EDITOR, Role.REVIEWER),
            ),
            checks=("wordlist", "privacy"),
        )
    )
    content.register(
        content.ContentKind(
            kind=FEEDBACK,
            model_label="participation.Feedback",
            label=gettext_lazy("意见采纳情况反馈"),
            review_adapter=FeedbackAdapter(),
            public_url_name="portal:consultation_detail",
            staff_url_name="staff:consultation_detail",
            checks=("wordlist", "privacy"),
        )
    )
    content.register(
        content.ContentKind(
            kind=EVALUATION,
            model_label="participation.PolicyEvaluation",
            label=gettext_lazy("政策评价"),
            review_adapter=EvaluationAdapter(),
            public_url_name="portal:evaluation_detail",
            checks=("wordlist", "privacy"),
        )
    )
    content.register(
        content.ContentKind(
            kind=DIRECTORY,
            model_label="participation.DecisionDirectory",
            label=gettext_lazy("重大行政决策事项目录"),
            review_adapter=DirectoryAdapter(),
            public_url_name="portal:decision_directory",
            staff_url_name="staff:directory_detail",
            checks=("wordlist", "privacy"),
        )
    )
    content.register(
        content.ContentKind(
            kind=ADJUSTMENT,
            model_label="participation.DirectoryAdjustment",
            label=gettext_lazy("重大行政决策事项目录调整"),
            review_adapter=DirectoryAdjustmentAdapter(),
            public_url_name="portal:decision_directory",
            staff_url_name="staff:directory_list",
            checks=("wordlist", "privacy"),
            # The review page's 编辑内容 link: a returned adjustment is corrected, resubmitted.
            extra={"staff_edit_url_name": "staff:directory_adjustment_edit"},
        )
    )
