"""The item page's small lists come from one statement (issue 17 item 4): each list holds what
its own query held, in the same order, and nothing the public may not see."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongkai.catalogue.models import Attachment, Column
from gongkai.core.status import ContentStatus
from gongkai.policies.tests.conftest import make_item
from gongkai.policies.tests.factories import InterpretationFactory, QAEntryFactory
from gongkai.portal.selectors import item_page_lists

pytestmark = pytest.mark.django_db

D = datetime.date


def _attachment(item, name: str, *, sort_order: int, original: bool = False) -> Attachment:
    return Attachment.objects.create(
        item=item,
        file=f"attachments/{name}",
        original_name=name,
        file_kind="pdf",
        size=len(name) * 1000,
        sha256="0" * 64,
        sort_order=sort_order,
        is_original=original,
    )


def test_each_list_in_its_order_and_only_what_the_public_sees(world):
    p6 = world.p6
    office = world.office
    # Replaced items: newest first; a draft and an 依申请公开 one replaced by it stay out.
    older = make_item(office, "旧版教育经费办法", published=D(2020, 1, 1), replaced_by=p6)
    make_item(office, "草稿替代", published=D(2026, 1, 1), replaced_by=p6, status="draft")
    make_item(
        office, "依申请替代", published=D(2026, 1, 2), replaced_by=p6, disclosure="on_request"
    )
    # Attachments by sort order then id; the 原文 apart.
    _attachment(p6, "附件乙.pdf", sort_order=2)
    _attachment(p6, "附件甲.pdf", sort_order=1)
    _attachment(p6, "附件丙.pdf", sort_order=2)
    _attachment(p6, "原文.pdf", sort_order=0, original=True)
    # 解读 and 问答: published ones, newest first.
    for title, day, status in (
        ("早的解读", D(2026, 1, 3), ContentStatus.PUBLISHED),
        ("晚的解读", D(2026, 1, 9), ContentStatus.PUBLISHED),
        ("解读草稿", D(2026, 1, 5), ContentStatus.DRAFT),
    ):
        InterpretationFactory.create(
            organisation=office, title=title, status=status, published_date=day
        ).policies.set([p6])
    QAEntryFactory.create(
        organisation=world.finance, question="无科室的问答", answer="<p>甲</p>", policy=p6,
        status=ContentStatus.PUBLISHED, published_date=D(2026, 1, 4),
    )  # fmt: skip
    QAEntryFactory.create(
        organisation=office, unit=world.unit, question="有科室的问答", answer="<p>乙</p>",
        policy=p6, contact_phone="0571-1", status=ContentStatus.PUBLISHED,
        published_date=D(2026, 1, 6),
    )  # fmt: skip
    QAEntryFactory.create(
        organisation=office, question="问答草稿", answer="<p>丙</p>", policy=p6,
        status=ContentStatus.DRAFT, published_date=D(2026, 1, 8),
    )  # fmt: skip
    # Columns by sort order, an inactive one left out; 服务对象 by sort order.
    closed = Column.objects.create(slug="closed", name="停用栏目", kind="special", is_active=False)
    p6.columns.set([world.zqjk, world.wjjdp, closed])
    p6.audiences.set([world.qy, world.gz])

    with CaptureQueriesContext(connection) as ctx:
        lists = item_page_lists(p6)
    assert len(ctx.captured_queries) == 1

    assert [(i.pk, i.title, i.get_validity_display()) for i in lists["replaces"]] == [
        (world.p3.pk, "杭东市教育收费暂行规定", "废止"),
        (older.pk, "旧版教育经费办法", "有效"),
    ]
    assert [a.original_name for a in lists["originals"]] == ["原文.pdf"]
    assert [(a.original_name, a.size, a.get_file_kind_display()) for a in lists["attachments"]] == [
        ("附件甲.pdf", 7000, "PDF"),
        ("附件乙.pdf", 7000, "PDF"),
        ("附件丙.pdf", 7000, "PDF"),
    ]
    assert [(i.title, i.published_date) for i in lists["interpretations"]] == [
        ("晚的解读", D(2026, 1, 9)),
        ("早的解读", D(2026, 1, 3)),
    ]
    assert [
        (e.question, e.answer, e.contact_phone, e.organisation.name, e.unit and e.unit.name)
        for e in lists["qa_entries"]
    ] == [
        ("有科室的问答", "<p>乙</p>", "0571-1", world.office.name, "政策法规处"),
        ("无科室的问答", "<p>甲</p>", "", world.finance.name, None),
    ]
    assert [(c.slug, c.name) for c in lists["columns"]] == [
        ("wjjdp", "稳经济大盘"),
        ("zqjk", "助企纾困"),
    ]
    assert [a.name for a in lists["audiences"]] == ["公众", "企业"]


def test_an_item_with_nothing_beside_it_has_empty_lists(world):
    with CaptureQueriesContext(connection) as ctx:
        lists = item_page_lists(world.x1)
    assert len(ctx.captured_queries) == 1
    assert lists == {
        "replaces": [],
        "originals": [],
        "attachments": [],
        "interpretations": [],
        "qa_entries": [],
        "columns": [world.zqjk],
        "audiences": [],
    }
