"""The 清单动态调整 kind: every adjustment of a list goes through the review chain (先审后发);
publication applies it to the list from its 调整日期 (``services.adjustment_publish``)."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.models import Role
from gongkai.core import content
from gongkai.review.chain_services import ContentAdapter

KIND = "register_adjustment"
PROJECT_KIND = "major_project"
STAGE_KIND = "major_project_stage"


class AdjustmentAdapter(ContentAdapter):
    kind = KIND
    model_label = "registers.Adjustment"
    diff_fields = (
        "action",
        "effective_date",
        "reason",
        "legal_basis",
        "name",
        "category",
        "basis",
        "implementer",
        "duties",
        "accountability",
        "standard",
        "note",
        "delegated_to",
    )
    not_versioned = ContentAdapter.not_versioned | {"applied_at"}
    versions_on_save = True

    def title(self, obj: Any) -> str:
        return f"{obj.get_list_kind_display()}{obj.get_action_display()}：{obj.name}"[:300]

    def texts(self, obj: Any) -> list[tuple[str, str, str]]:
        return [
            (name, str(self.field_label(name)), str(getattr(obj, name) or ""))
            for name in ("name", "basis", "duties", "accountability", "reason", "legal_basis")
        ]

    def publish(self, obj: Any, acting_user: Any, on: datetime.date | None) -> None:
        from .services import adjustment_publish

        adjustment_publish(adjustment=obj, acting_user=acting_user, on=on)
        obj.refresh_from_db()

    def public_url(self, obj: Any) -> str:
        return reverse("portal:registers_history", args=[obj.organisation_id, obj.list_kind])


class ProjectAdapter(ContentAdapter):
    kind = PROJECT_KIND
    model_label = "registers.Project"
    diff_fields = (
        "name", "owner", "location", "district", "industry", "investment", "phase", "year",
        "involves_land", "summary",
    )  # fmt: skip
    versions_on_save = True

    def snapshot(self, obj: Any) -> dict[str, Any]:
        data = super().snapshot(obj)
        data["investment"] = str(data["investment"])  # a Decimal is no JSON
        return data

    def texts(self, obj: Any) -> list[tuple[str, str, str]]:
        return [("name", "项目名称", obj.name), ("summary", "建设内容", obj.summary)]

    def publish(self, obj: Any, acting_user: Any, on: datetime.date | None) -> None:
        from .services import project_publish

        project_publish(project=obj, acting_user=acting_user, on=on)

    def withdraw(self, obj: Any, reason: str, acting_user: Any) -> None:
        from .services import project_withdraw

        project_withdraw(project=obj, reason=reason, acting_user=acting_user)

    def public_url(self, obj: Any) -> str:
        return reverse("portal:registers_project", args=[obj.pk])


class StageItemAdapter(ContentAdapter):
    """A project's stage information: its organisation is the project's."""

    kind = STAGE_KIND
    model_label = "registers.ProjectStageItem"
    diff_fields = ("stage", "title", "item_date", "url", "file")
    versions_on_save = True

    def organisation(self, obj: Any) -> Any:
        return obj.project.organisation

    def load(self, pk: int) -> Any:
        return self.model()._default_manager.select_related("project__organisation").get(pk=pk)

    def lock(self, obj: Any) -> Any:
        return (
            type(obj)
            .objects.select_for_update()
            .select_related("project__organisation")
            .get(pk=obj.pk)
        )

    def title(self, obj: Any) -> str:
        return f"{obj.project.name}：{obj.get_stage_display()}：{obj.title}"[:300]

    def texts(self, obj: Any) -> list[tuple[str, str, str]]:
        return [("title", "信息名称", obj.title)]

    def publish(self, obj: Any, acting_user: Any, on: datetime.date | None) -> None:
        from .services import stage_item_publish

        stage_item_publish(item=obj, acting_user=acting_user, on=on)

    def withdraw(self, obj: Any, reason: str, acting_user: Any) -> None:
        from .services import stage_item_withdraw

        stage_item_withdraw(item=obj, reason=reason, acting_user=acting_user)

    def public_url(self, obj: Any) -> str:
        return reverse("portal:registers_project", args=[obj.project_id])


class RecordAdapter(ContentAdapter):
    """The small published records: 随机抽查事项, 抽查计划, 抽查结果, 建议提案."""

    versions_on_save = True
    text_fields: tuple[tuple[str, str], ...] = ()
    public_url_name = ""

    def texts(self, obj: Any) -> list[tuple[str, str, str]]:
        return [(name, label, str(getattr(obj, name) or "")) for name, label in self.text_fields]

    def publish(self, obj: Any, acting_user: Any, on: datetime.date | None) -> None:
        from .services import record_publish

        record_publish(obj=obj, acting_user=acting_user, on=on)

    def withdraw(self, obj: Any, reason: str, acting_user: Any) -> None:
        from .services import record_withdraw

        record_withdraw(obj=obj, reason=reason, acting_user=acting_user)


class SpotMatterAdapter(RecordAdapter):
    kind = "spotcheck_matter"
    model_label = "registers.SpotCheckMatter"
    diff_fields = ("name", "basis", "targets", "method")
    text_fields = (("name", "抽查事项"), ("basis", "抽查依据"))

    def public_url(self, obj: Any) -> str:
        return reverse("portal:registers_spotchecks") + f"?org={obj.organisation_id}"


class SpotPlanAdapter(RecordAdapter):
    kind = "spotcheck_plan"
    model_label = "registers.SpotCheckPlan"
    diff_fields = ("year", "title", "body")
    text_fields = (("title", "计划名称"), ("body", "计划内容"))

    def public_url(self, obj: Any) -> str:
        return reverse("portal:registers_spotcheck_plan", args=[obj.pk])


class SpotResultAdapter(RecordAdapter):
    kind = "spotcheck_result"
    model_label = "registers.SpotCheckResult"
    diff_fields = ("target", "matter", "checked_on", "result", "handling")
    text_fields = (("target", "抽查对象"), ("result", "抽查结果"), ("handling", "处理情况"))

    def organisation(self, obj: Any) -> Any:
        return obj.plan.organisation

    def load(self, pk: int) -> Any:
        return self.model()._default_manager.select_related("plan__organisation").get(pk=pk)

    def lock(self, obj: Any) -> Any:
        return (
            type(obj)
            .objects.select_for_update()
            .select_related("plan__organisation")
            .get(pk=obj.pk)
        )

    def title(self, obj: Any) -> str:
        return f"{obj.plan.title}：{obj.target}"[:300]

    def public_url(self, obj: Any) -> str:
        return reverse("portal:registers_spotcheck_plan", args=[obj.plan_id])


class ProposalAdapter(RecordAdapter):
    """The 复文 of a 建议提案: reviewed before the reply (or its summary, or the reason it is
    not published) goes on the portal."""

    kind = "proposal_reply"
    model_label = "registers.Proposal"
    diff_fields = (
        "title", "reply", "replied_on", "mode", "summary", "not_published_reason", "deadline",
    )  # fmt: skip
    m2m_fields = ("co_organisations",)
    text_fields = (
        ("title", "标题"), ("reply", "复文"), ("summary", "复文摘要"),
        ("not_published_reason", "不公开理由"),
    )  # fmt: skip

    def submit_problem(self, obj: Any) -> str:
        from .proposals import publication_problem

        return publication_problem(
            reply=obj.reply, mode=obj.mode, summary=obj.summary, reason=obj.not_published_reason
        )

    def title(self, obj: Any) -> str:
        return f"{obj.get_kind_display()}{obj.number}：{obj.title}"[:300]

    def public_url(self, obj: Any) -> str:
        return reverse("portal:registers_proposal", args=[obj.pk])


RECORD_KINDS = (
    (SpotMatterAdapter, _("随机抽查事项")),
    (SpotPlanAdapter, _("双随机抽查计划")),
    (SpotResultAdapter, _("双随机抽查结果")),
    (ProposalAdapter, _("建议提案复文")),
)


def register_content() -> None:
    content.register(
        content.ContentKind(
            kind=KIND,
            model_label="registers.Adjustment",
            label=_("清单动态调整"),
            review_adapter=AdjustmentAdapter(),
            public_url_name="portal:registers_list",
            staff_url_name="staff:registers_adjustment",
            nav=content.NavEntry(
                url_name="staff:registers_home",
                label=_("清单与台账"),
                roles=(Role.EDITOR, Role.REVIEWER),
            ),
            checks=("wordlist", "privacy"),
        )
    )
    content.register(
        content.ContentKind(
            kind=PROJECT_KIND,
            model_label="registers.Project",
            label=_("重大建设项目"),
            review_adapter=ProjectAdapter(),
            public_url_name="portal:registers_projects",
            staff_url_name="staff:registers_projects",
            checks=("wordlist", "privacy"),
        )
    )
    content.register(
        content.ContentKind(
            kind=STAGE_KIND,
            model_label="registers.ProjectStageItem",
            label=_("重大建设项目阶段信息"),
            review_adapter=StageItemAdapter(),
            public_url_name="portal:registers_projects",
            staff_url_name="staff:registers_projects",
            checks=("wordlist", "privacy"),
        )
    )
    for adapter_class, label in RECORD_KINDS:
        content.register(
            content.ContentKind(
                kind=adapter_class.kind,
                model_label=adapter_class.model_label,
                label=label,
                review_adapter=adapter_class(),
                checks=("wordlist", "privacy"),
            )
        )
