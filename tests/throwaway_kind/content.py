"""The throw-away kind's one registration: review adapter, search adapter, URLs, checks."""

import datetime
from typing import Any

from gongkai.core import content
from gongkai.review.chain_services import ContentAdapter
from gongkai.search.registry import Adapter, SearchDoc, make_key

from .models import Notice
from .services import notice_publish, notice_withdraw


class NoticeAdapter(ContentAdapter):
    kind = "notice"
    model_label = "throwaway_kind.Notice"
    diff_fields = ("title", "body")
    versions_on_save = True

    def texts(self, obj: Any) -> list[tuple[str, str, str]]:
        return [("title", "标题", obj.title), ("body", "正文", obj.body)]

    def publish(self, obj: Any, acting_user: Any, on: datetime.date | None) -> None:
        notice_publish(notice=obj, acting_user=acting_user, on=on)

    def withdraw(self, obj: Any, reason: str, acting_user: Any) -> None:
        notice_withdraw(notice=obj, reason=reason, acting_user=acting_user)


def _docs(**lookup: Any) -> dict[int, SearchDoc]:
    return {
        n.pk: SearchDoc(
            key=make_key("notice", n.pk),
            type="notice",
            title=n.title,
            body=n.body,
            organisation_id=n.organisation_id,
            published=n.published_date,
            public=n.is_published,
            status=n.status,
        )
        for n in Notice.objects.filter(**lookup)
    }


def register_content() -> None:
    content.register(
        content.ContentKind(
            kind="notice",
            model_label="throwaway_kind.Notice",
            label="公告",
            review_adapter=NoticeAdapter(),
            search_adapters=(
                Adapter(
                    prefix="notice",
                    model=Notice,
                    load=lambda pks: _docs(pk__in=pks),
                    load_range=lambda first, last: _docs(pk__gte=first, pk__lte=last),
                    url=lambda _type, pk: f"/notices/{pk}/",
                    count=lambda: Notice.objects.count(),
                    type_labels={"notice": "公告"},
                ),
            ),
            # Its place in the staff navigation (no list page of its own: the review queue).
            nav=content.NavEntry(url_name="staff:workflow_queue", label="公告"),
            checks=("wordlist", "privacy"),
        )
    )
