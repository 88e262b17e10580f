"""The interaction content kinds, registered in ``InteractionConfig.ready()``: the 留言答复 (a
message's reply, reviewed by the chain with 错敏词 and privacy checks before it reaches the
person), the 新闻发布会 record and the 回应关切 response (both reviewed, then published on the
portal under /hudong/ and found by the search)."""

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
from gongkai.review.chain_models import ContentKind, ReviewDecision, ReviewRequest
from gongkai.review.chain_services import ContentAdapter
from gongkai.search.registry import SearchDoc, make_key

PRESS = "press_conference"
CONCERN = "concern_response"


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


class PressConferenceAdapter(ContentAdapter):
    """A 新闻发布会 record: the 编辑 who recorded it submits it, the chain reviews the texts
    (the transcript is where a name or a telephone number slips in), the final approval
    publishes it (``press.press_conference_publish``)."""

    kind = PRESS
    model_label = "interaction.PressConference"
    diff_fields = (
        "topic", "held_on", "start_time", "location", "speakers", "transcript", "video_url",
        "image_urls",
    )  # fmt: skip
    m2m_fields = ("policies", "interpretations")
    versions_on_save = True

    def snapshot(self, obj: Any) -> dict[str, Any]:
        data = super().snapshot(obj)
        # A time is no JSON: store it as text, as dates are.
        data["start_time"] = obj.start_time.strftime("%H:%M") if obj.start_time else ""
        return data

    def texts(self, obj: Any) -> list[tuple[str, str, str]]:
        return [
            (name, self.field_label(name), str(getattr(obj, name) or ""))
            for name in ("topic", "speakers", "location", "transcript")
        ]

    def publish(self, obj: Any, acting_user: Any, on: datetime.date | None) -> None:
        from .press import press_conference_publish

        press_conference_publish(conference=obj, acting_user=acting_user, on=on)

    def withdraw(self, obj: Any, reason: str, acting_user: Any) -> None:
        from .press import press_conference_withdraw

        press_conference_withdraw(conference=obj, reason=reason, acting_user=acting_user)

    def public_url(self, obj: Any) -> str:
        return reverse("portal:interaction_press_detail", args=[obj.pk])


class ConcernResponseAdapter(ContentAdapter):
    """A 回应关切 response, reviewed and published like any public text
    (``opinion.concern_response_publish``)."""

    kind = CONCERN
    model_label = "interaction.ConcernResponse"
    diff_fields = ("title", "concern", "response", "conference", "opinion_item")
    m2m_fields = ("policies", "interpretations")
    versions_on_save = True

    def texts(self, obj: Any) -> list[tuple[str, str, str]]:
        return [
            (name, self.field_label(name), str(getattr(obj, name) or ""))
            for name in ("title", "concern", "response")
        ]

    def publish(self, obj: Any, acting_user: Any, on: datetime.date | None) -> None:
        from .opinion import concern_response_publish

        concern_response_publish(response=obj, acting_user=acting_user, on=on)

    def withdraw(self, obj: Any, reason: str, acting_user: Any) -> None:
        from .opinion import concern_response_withdraw

        concern_response_withdraw(response=obj, reason=reason, acting_user=acting_user)

    def public_url(self, obj: Any) -> str:
        return reverse("portal:interaction_concern_detail", args=[obj.pk])


def _press_docs(**lookup: Any) -> dict[int, SearchDoc]:
    from .models import PressConference

    return {
        c.pk: SearchDoc(
            key=make_key(PRESS, c.pk),
            type=PRESS,
            title=c.topic,
            body=c.transcript,
            extra_text=f"{c.speakers} {c.location}",
            organisation_id=c.organisation_id,
            published=c.published_date,
            public=c.is_published,
            status=c.status,
        )
        for c in PressConference.objects.filter(**lookup)
    }


def _concern_docs(**lookup: Any) -> dict[int, SearchDoc]:
    from .models import ConcernResponse

    return {
        r.pk: SearchDoc(
            key=make_key(CONCERN, r.pk),
            type=CONCERN,
            title=r.title,
            body=f"{r.concern}\n{r.response}",
            organisation_id=r.organisation_id,
            published=r.published_date,
            public=r.is_published,
            status=r.status,
        )
        for r in ConcernResponse.objects.filter(**lookup)
    }


# The 政民互动 section of the portal lists, from the registry, every kind registered with this
# section: its public list page (``public_url_name``) and label.
PORTAL_SECTION = "interaction"


def portal_section_links() -> list[tuple[str, str]]:
    """(label, URL) of the public list pages of the kinds in the 政民互动 section."""
    return [
        (str(entry.label), reverse(entry.public_url_name))
        for entry in content.kinds()
        if entry.extra.get("portal_section") == PORTAL_SECTION and entry.public_url_name
    ]


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

    from gongkai.search.registry import Adapter

    from .models import ConcernResponse, PressConference

    def register_reviewed(
        kind: str,
        model: Any,
        label: Any,
        adapter: Any,
        docs: Any,
        public_path: str,
        url_part: str,
        edit_url_part: str,
    ) -> None:
        # 新闻发布会 and 回应关切 are the same shape of reviewed, published kind (issue 12).
        content.register(
            content.ContentKind(
                kind=kind,
                model_label=model._meta.label,
                label=label,
                review_adapter=adapter,
                search_adapters=(
                    Adapter(
                        prefix=kind,
                        model=model,
                        load=lambda pks: docs(id__in=pks),
                        load_range=lambda first, last: docs(id__gte=first, id__lte=last),
                        url=lambda _t, pk: f"{public_path}{pk}/",
                        count=lambda: model.objects.count(),
                        type_labels={kind: label},
                        staff_url=lambda _t, pk: f"/staff/workflow/{kind}/{pk}/",
                    ),
                ),
                public_url_name=f"portal:interaction_{url_part}",
                staff_url_name=f"staff:interaction_{url_part}",
                nav=content.NavEntry(
                    url_name=f"staff:interaction_{url_part}",
                    label=label,
                    roles=(Role.EDITOR,),
                ),
                checks=("wordlist", "privacy"),
                extra={
                    "portal_section": PORTAL_SECTION,
                    "staff_edit_url_name": f"staff:interaction_{edit_url_part}_edit",
                },
            )
        )

    register_reviewed(
        PRESS,
        PressConference,
        gettext_lazy("新闻发布会"),
        PressConferenceAdapter(),
        _press_docs,
        "/hudong/press/",
        "press",
        "press",
    )
    register_reviewed(
        CONCERN,
        ConcernResponse,
        gettext_lazy("回应关切"),
        ConcernResponseAdapter(),
        _concern_docs,
        "/hudong/concerns/",
        "concerns",
        "concern",
    )
