import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from gongkai.catalogue.index_numbers import (
    IndexFormatError,
    format_index_number,
    validate_index_format,
)
from gongkai.catalogue.models import IndexSequence, InformationItem
from gongkai.catalogue.services import index_numbers_allocate, item_create, item_update


def test_default_format_and_consecutive_serials(org_tree, editor):
    first = item_create(
        organisation=org_tree["finance"],
        data={"title": "关于2026年预算执行情况的通知", "written_date": datetime.date(2026, 3, 2)},
        acting_user=editor,
    )
    second = item_create(
        organisation=org_tree["finance"],
        data={"title": "第二份", "written_date": datetime.date(2026, 7, 9)},
        acting_user=editor,
    )
    assert first.index_number == "113301000024900002/2026-00001"
    assert second.index_number == "113301000024900002/2026-00002"


def test_serial_restarts_each_year_and_is_per_organisation(org_tree, editor, office_editor):
    finance = org_tree["finance"]
    a = item_create(
        organisation=finance,
        data={"title": "甲", "written_date": datetime.date(2025, 12, 31)},
        acting_user=editor,
    )
    b = item_create(
        organisation=finance,
        data={"title": "乙", "written_date": datetime.date(2026, 1, 1)},
        acting_user=editor,
    )
    c = item_create(
        organisation=finance,
        data={"title": "丙", "written_date": datetime.date(2025, 6, 1)},
        acting_user=editor,
    )
    d = item_create(
        organisation=org_tree["office"],
        data={"title": "丁", "written_date": datetime.date(2026, 1, 1)},
        acting_user=office_editor,
    )
    assert [a.index_number, b.index_number, c.index_number, d.index_number] == [
        "113301000024900002/2025-00001",
        "113301000024900002/2026-00001",
        "113301000024900002/2025-00002",
        "113301000024900001/2026-00001",
    ]


def test_without_written_date_uses_today(org_tree, editor):
    item = item_create(
        organisation=org_tree["finance"], data={"title": "无日期"}, acting_user=editor
    )
    year = timezone.localdate().year
    assert item.index_number == f"113301000024900002/{year}-00001"


def test_custom_format_with_month(org_tree, editor):
    finance = org_tree["finance"]
    finance.index_number_format = "{code}/{yyyy}{mm}-{serial:05d}"
    finance.save()
    numbers = index_numbers_allocate(
        organisation=finance, on_date=datetime.date(2021, 10, 5), count=2
    )
    assert numbers == ["113301000024900002/202110-00001", "113301000024900002/202110-00002"]


def test_hyphen_of_organisation_code_is_dropped():
    assert (
        format_index_number(
            "{code}/{yyyy}-{serial:05d}", code="0142768-8", year=2022, month=1, serial=185
        )
        == "01427688/2022-00185"
    )


def test_format_validation_messages():
    with pytest.raises(IndexFormatError, match="必须包含流水号占位符"):
        validate_index_format("{code}/{yyyy}")
    with pytest.raises(IndexFormatError, match="未知占位符：dept"):
        validate_index_format("{code}/{dept}/{yyyy}-{serial}")


def test_bad_organisation_format_blocks_creation_and_saves_nothing(org_tree, editor):
    finance = org_tree["finance"]
    finance.index_number_format = "{code}-{serial:05d}"
    finance.save()
    with pytest.raises(
        ValidationError,
        match=(
            r"机构“杭东市财政局”的索引号格式必须包含年份占位符 \{yyyy\}，"
            r"否则每年重新编号会产生重复"
        ),
    ) as info:
        item_create(organisation=finance, data={"title": "甲"}, acting_user=editor)
    assert info.value.messages == [
        "机构“杭东市财政局”的索引号格式必须包含年份占位符 {yyyy}，否则每年重新编号会产生重复"
    ]
    assert InformationItem.objects.count() == 0
    assert IndexSequence.objects.count() == 0


def test_edit_cannot_change_index_number(org_tree, editor):
    item = item_create(
        organisation=org_tree["finance"],
        data={"title": "原标题", "written_date": datetime.date(2026, 1, 5)},
        acting_user=editor,
    )
    with pytest.raises(ValidationError, match="索引号一经生成不得更改") as info:
        item_update(
            item=item, data={"index_number": "X/2026-99999", "title": "新"}, acting_user=editor
        )
    assert info.value.message_dict == {"index_number": ["索引号一经生成不得更改"]}
    # Changing the 成文日期 to another year keeps the number too.
    item_update(
        item=item,
        data={"title": "新标题", "written_date": datetime.date(2024, 1, 5)},
        acting_user=editor,
    )
    item.refresh_from_db()
    assert item.index_number == "113301000024900002/2026-00001"
    assert item.title == "新标题"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_creation_gives_distinct_consecutive_serials(org_tree, editor):
    if connection.vendor != "postgresql":
        pytest.skip("row locking under concurrency is checked on PostgreSQL")
    finance = org_tree["finance"]
    barrier = threading.Barrier(8)
    numbers: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker(n: int) -> None:
        try:
            barrier.wait(timeout=10)
            item = item_create(
                organisation=finance,
                data={"title": f"并发{n}", "written_date": datetime.date(2026, 5, 1)},
                acting_user=editor,
            )
            with lock:
                numbers.append(item.index_number)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(numbers) == [f"113301000024900002/2026-{n:05d}" for n in range(1, 9)]
    assert IndexSequence.objects.get(organisation=finance, year=2026).last_serial == 8


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_seed_rows_survive_the_transactional_test(db):
    # The concurrency test above flushes tables; core.testing re-seeds the reference data.
    from gongkai.catalogue.models import Column, TopicCategory

    assert TopicCategory.objects.count() == 143
    assert Column.objects.filter(slug="zdgk").exists()
