"""The 留言答复 content kind: a message's reply, reviewed by the chain (错敏词 and privacy
checks) before it reaches the person; registered in ``InteractionConfig.ready()``."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from gongkai.accounts.models import Organisation, Role
from gongkai.core import content
from gongkai.core.status import ContentStatus
from gongkai.review.chain_models import ContentKind, ReviewDecision, ReviewRequest
from gongkai.review.chain_services import ContentAdapter


class MessageReplyAdapter(ContentAdapter):
    """The reply of an ``interaction.Message``. The handler who drafted it submits it; the chain
    of the message's organisation reviews it; the final approval answers the person and, if they
    agreed, publishes message and reply (``services.reply_record``)."""

    kind = ContentKind.MESSAGE_REPLY
    model_label = "interaction.Message"
    submit_role = Role.FOI_HANDLER
    publishes = False
    diff_fields = ("title", "reply")

    def organisation(self, obj: Any) -> Organisation:
        return obj.organisation

    def title(self, obj: Any) -> str:
        return (_("留言答复：%(ref)s（%(t)s）") % {"ref": obj.reference, "t": obj.title})[:300]

    def author_id(self, obj: Any) -> int | None:
        return obj.reply_author_id

    def status(self, obj: Any) -> str:
        return str(obj.reply_review or ContentStatus.DRAFT)

    def copy_status(self, source: Any, target: Any) -> None:
        target.reply_review = source.reply_review
        target.status = source.status

    def set_status(self, obj: Any, state: str) -> None:
        type(obj).objects.filter(pk=obj.pk).update(reply_review=state)
        obj.reply_review = state

    def scheduled_at(self, obj: Any) -> datetime.datetime | None:
        return None

    def snapshot(self, obj: Any) -> dict[str, Any]:
        return {"title": obj.title, "reply": obj.reply}

    def texts(self, obj: Any) -> list[tuple[str, str, str]]:
        return [("reply", _("答复内容"), obj.reply or "")]

    def submit_problem(self, obj: Any) -> str:
        from .services import reply_submit_problem

        return reply_submit_problem(obj)

    def submitted(self, obj: Any, request: ReviewRequest, acting_user: Any) -> None:
        from .services import reply_record

        reply_record(
            message=obj,
            step="submitted",
            acting_user=acting_user,
            data={"request": request.pk, "round": request.round, "levels": request.levels},
        )

    def decided(
        self, obj: Any, request: ReviewRequest, decision: ReviewDecision, acting_user: Any
    ) -> None:
        from .services import reply_record

        if request.state == ContentStatus.RETURNED:
            step = "returned"
        elif request.state == ContentStatus.APPROVED:
            step = "approved"
        else:
            step = "level_approved"
        note = _("第%(level)d级") % {"level": decision.level}
        if decision.comment:
            note = f"{note}：{decision.comment}"
        obj.reply_review = request.state
        reply_record(
            message=obj,
            step=step,
            acting_user=acting_user,
            note=note,
            data={"request": request.pk, "level": decision.level, "decision": decision.decision},
        )

    def publish(self, obj: Any, acting_user: Any, on: datetime.date | None) -> None:
        raise ValidationError(_("留言答复在终审通过后自动答复留言人，无需另行发布"))

    def withdraw(self, obj: Any, reason: str, acting_user: Any) -> None:
        raise ValidationError(_("留言答复没有撤回操作；如需不公开，请在留言页面选择不予公开"))


def register_content() -> None:
    content.register(
        content.ContentKind(
            kind="message_reply",
            model_label="interaction.Message",
            label=_("留言答复"),
            review_adapter=MessageReplyAdapter(),
            nav=content.NavEntry(
                url_name="staff:interaction_queue",
                label=_("政民互动"),
                # Handlers answer messages; editors keep the press and 舆情 ledgers there.
                roles=(Role.FOI_HANDLER, Role.EDITOR),
            ),
            checks=("wordlist", "privacy"),
        )
    )
    # 个人中心: the person's own messages.
    from .selectors import messages_for_user

    content.register_personal_section(
        content.PersonalSection(
            key="messages",
            selector=messages_for_user,
            template="interaction/personal_center_messages.html",
        )
    )
