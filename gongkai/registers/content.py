"""The 清单动态调整 kind: every adjustment of a list goes through the review chain (先审后发);
publication applies it to the list from its 调整日期 (``services.adjustment_publish``)."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse

from gongkai.core import content
from gongkai.review.chain_services import ContentAdapter

KIND = "register_adjustment"


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
