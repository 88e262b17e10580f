"""The FOI content kind: 依申请公开答复书, reviewed by the chain before delivery.

Registered once in ``FoiConfig.ready()`` (``register_content``).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.accounts.models import Organisation, Role
from gongkai.core import content
from gongkai.core.status import ContentStatus
from gongkai.review import workflow
from gongkai.review.chain_models import (
    ContentKind,
    ReviewDecision,
    ReviewRequest,
)
from gongkai.review.chain_services import ContentAdapter


class ReplyLetterAdapter(ContentAdapter):
    """依申请公开答复书 (``foi.CaseDocument`` of kind 答复书). The handler who drafted it
    (``foi.services.case_reply``) submits it; the chain of the case's organisation reviews it;
    the final approval makes it ready for delivery (送达) — a letter is never published on the
    portal. Every step also leaves an event on the case (``foi.services.reply_letter_record``).
    The statutory deadline keeps running during review."""

    kind = ContentKind.REPLY_LETTER
    model_label = "foi.CaseDocument"
    submit_role = Role.FOI_HANDLER
    publishes = False
    diff_fields = ("title", "outcome", "body")

    def organisation(self, obj: Any) -> Organisation:
        return obj.case.organisation

    def _letters(self) -> Any:
        from gongkai.foi.models import CaseDocument

        return CaseDocument.objects.filter(kind=CaseDocument.Kind.REPLY).select_related(
            "case__organisation"
        )

    def load(self, pk: int) -> Any:
        return self._letters().get(pk=pk)

    def lock(self, obj: Any) -> Any:
        from gongkai.foi.models import Case

        # The case first, then the letter: the order the FOI services lock in.
        Case.objects.select_for_update().filter(pk=obj.case_id).exists()
        return self._letters().select_for_update().get(pk=obj.pk)

    def title(self, obj: Any) -> str:
        case = obj.case
        return (
            _("答复书：%(ref)s（%(info)s）") % {"ref": case.reference, "info": case.requested_info}
        )[:300]

    def status(self, obj: Any) -> str:
        return str(obj.review_status or ContentStatus.DRAFT)

    def copy_status(self, source: Any, target: Any) -> None:
        target.review_status = source.review_status

    def set_status(self, obj: Any, state: str) -> None:
        type(obj).objects.filter(pk=obj.pk).update(review_status=state)
        obj.review_status = state

    def scheduled_at(self, obj: Any) -> datetime.datetime | None:
        return None

    def field_label(self, name: str) -> str:
        if name == "outcome":
            return _("办理结果")
        return super().field_label(name)

    def snapshot(self, obj: Any) -> dict[str, Any]:
        case = obj.case
        outcome = case.get_outcome_display() if case.outcome else ""
        return {
            "title": obj.title,
            "outcome": f"{case.outcome} {outcome}".strip(),
            "body": obj.body,
            "file": str(obj.file or ""),
        }

    def texts(self, obj: Any) -> list[tuple[str, str, str]]:
        return [("body", _("正文"), obj.body or "")]

    def history_ids(self, obj: Any) -> list[int]:
        # Every draft of the case's letter up to this one: a redraft is a new document.
        return list(
            self._letters().filter(case_id=obj.case_id, pk__lte=obj.pk).values_list("pk", flat=True)
        )

    def submit_problem(self, obj: Any) -> str:
        from gongkai.foi.services import reply_letter_submit_problem

        return reply_letter_submit_problem(obj)

    def submitted(self, obj: Any, request: ReviewRequest, acting_user: Any) -> None:
        from gongkai.foi.services import reply_letter_record

        reply_letter_record(
            document=obj,
            step="submitted",
            acting_user=acting_user,
            data={"request": request.pk, "round": request.round, "levels": request.levels},
        )

    def decided(
        self, obj: Any, request: ReviewRequest, decision: ReviewDecision, acting_user: Any
    ) -> None:
        from gongkai.foi.services import reply_letter_record

        if request.state == ContentStatus.RETURNED:
            step = "returned"
        elif request.state == ContentStatus.APPROVED:
            step = "approved"
        else:
            step = "level_approved"
        # The case timeline shows the note: say which level decided, then the comment.
        note = _("第%(level)d级（%(label)s）") % {
            "level": decision.level,
            "label": workflow.level_label(decision.level, request.levels),
        }
        if decision.comment:
            note = f"{note}：{decision.comment}"
        reply_letter_record(
            document=obj,
            step=step,
            acting_user=acting_user,
            note=note,
            data={
                "request": request.pk,
                "round": request.round,
                "level": decision.level,
                "levels": request.levels,
                "decision": decision.decision,
            },
        )

    def publish(self, obj: Any, acting_user: Any, on: datetime.date | None) -> None:
        raise ValidationError(_("答复书不在网站发布；终审通过后由经办人送达申请人"))

    def withdraw(self, obj: Any, reason: str, acting_user: Any) -> None:
        raise ValidationError(_("答复书不在网站发布，没有撤回操作"))

    def staff_url(self, obj: Any) -> str:
        return reverse("staff:workflow_content", args=[self.kind, obj.pk])


def register_content() -> None:
    """依申请公开答复书: reviewed, never published on the portal nor searched."""
    content.register(
        content.ContentKind(
            kind="reply_letter",
            model_label="foi.CaseDocument",
            label=_("依申请公开答复书"),
            review_adapter=ReplyLetterAdapter(),
            # Letters are drafted on the case page: the entry leads to the case list.
            # Only those who see cases (selectors.cases_for_staff): an editor is not offered it.
            nav=content.NavEntry(
                url_name="staff:foi_cases",
                label=gettext_lazy("依申请公开"),
                roles=(Role.FOI_HANDLER, Role.ADMIN),
            ),
            checks=("wordlist", "privacy"),
        )
    )
    # 个人中心: the applicant's own cases.
    from .selectors import cases_for_applicant

    content.register_personal_section(
        content.PersonalSection(
            key="foi",
            selector=cases_for_applicant,
            template="foi/personal_center_cases.html",
        )
    )
