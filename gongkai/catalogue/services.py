"""Every write to the catalogue goes through here."""

import datetime

from django.db import transaction
from django.db.models import F

from gongkai.accounts.models import Organisation

from .index_numbers import format_index_number
from .models import IndexSequence


def index_numbers_allocate(
    *, organisation: Organisation, on_date: datetime.date, count: int = 1
) -> list[str]:
    """Reserve ``count`` consecutive 索引号 for ``organisation`` in the year of ``on_date``.

    The counter row is incremented with an UPDATE inside the caller's transaction, which takes
    a row lock on PostgreSQL (and the write lock on SQLite), so concurrent creators queue and
    never receive the same serial.
    """
    if count < 1:
        return []
    with transaction.atomic():
        IndexSequence.objects.get_or_create(organisation=organisation, year=on_date.year)
        IndexSequence.objects.filter(organisation=organisation, year=on_date.year).update(
            last_serial=F("last_serial") + count
        )
        last = IndexSequence.objects.get(organisation=organisation, year=on_date.year).last_serial
    first = last - count + 1
    return [
        format_index_number(
            organisation.index_number_format,
            code=organisation.code,
            year=on_date.year,
            month=on_date.month,
            serial=serial,
        )
        for serial in range(first, last + 1)
    ]
