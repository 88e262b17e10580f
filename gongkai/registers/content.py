"""The 清单动态调整 kind: every adjustment of a list goes through the review chain (先审后发);
publication applies it to the list from its 调整日期 (``services.adjustment_publish``)."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse

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


def register_content() -> None:
    content.register(
        content.ContentKind(
            kind=KIND,
            model_label="registers.Adjustment",
            label="清单动态调整",
            review_adapter=AdjustmentAdapter(),
            public_url_name="portal:registers_list",
            staff_url_name="staff:registers_adjustment",
            checks=("wordlist", "privacy"),
        )
    )
    content.register(
        content.ContentKind(
            kind=PROJECT_KIND,
            model_label="registers.Project",
            label="重大建设项目",
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
            label="重大建设项目阶段信息",
            review_adapter=StageItemAdapter(),
            public_url_name="portal:registers_projects",
            staff_url_name="staff:registers_projects",
            checks=("wordlist", "privacy"),
        )
    )
