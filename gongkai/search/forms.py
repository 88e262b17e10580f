"""Parse search parameters from a query string (portal, staff and API share this)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext as _

from gongkai.core.params import MAX_DATE, MAX_INT_VALUE, MAX_PAGE, MIN_DATE, bounded_int

from .engine import INT_FACETS

FILTER_PARAMS = ("type", "policy_kind", "org", "year", "topic", "audience", "special", "validity")
TEXT_FILTER_VALUES = {
    "type": {"item", "policy", "interpretation", "qa"},
    "policy_kind": {"rule", "normative", "other"},
    "validity": {"valid", "expired", "repealed", "amended"},
}
# The 政策文件 / 全部 switch (scope) and the 标题 / 全文 switch (field), like the national
# policy library's: 政策文件 is the policies and their interpretations.
SCOPES = ("all", "policy")
FIELDS = ("full", "title")
POLICY_TYPES = ["policy", "interpretation"]


@dataclass
class ParsedQuery:
    q: str = ""
    filters: dict[str, list[Any]] = field(default_factory=dict)
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    sort: str = "relevance"
    page: int = 1
    errors: list[str] = field(default_factory=list)
    scope: str = "all"
    text_field: str = "full"

    def engine_filters(self) -> dict[str, list[Any]]:
        """The facet filters plus the 政策文件 switch (a type filter chosen by hand wins)."""
        if self.scope == "policy" and "type" not in self.filters:
            return {**self.filters, "type": POLICY_TYPES}
        return self.filters

    def as_kwargs(self) -> dict[str, Any]:
        return {
            "q": self.q,
            "filters": self.engine_filters(),
            "title_only": self.text_field == "title" and bool(self.q),
            "date_from": self.date_from,
            "date_to": self.date_to,
            "sort": self.sort,
            "page": self.page,
        }


def _date(value: str, label: str, errors: list[str]) -> datetime.date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        day = datetime.date.fromisoformat(value)
        if not MIN_DATE <= day <= MAX_DATE:
            raise ValueError(value)
        return day
    except ValueError:
        errors.append(
            _("%(label)s“%(value)s”不是有效日期，请按 年-月-日 填写，如 2024-03-01")
            % {"label": label, "value": value[:20]}
        )
        return None


def _filter_value(name: str, part: str, errors: list[str]) -> int | str | None:
    """One value of filter ``name`` as indexed; None (and a message unless it is empty) when
    it is not a value of that filter."""
    if not part:
        return None
    if name in INT_FACETS:
        number = bounded_int(part, low=0, high=MAX_INT_VALUE)
        if number is not None:
            return number
    elif part in TEXT_FILTER_VALUES.get(name, set()):
        return part
    errors.append(_("筛选条件 %(name)s 的取值“%(v)s”无效") % {"name": name, "v": part[:20]})
    return None


def parse_query(data: QueryDict | dict[str, Any], *, default_scope: str = "all") -> ParsedQuery:
    """Bad values are dropped with a Chinese message; the search still runs on the rest."""

    def getlist(name: str) -> list[str]:
        if isinstance(data, QueryDict):
            return data.getlist(name)
        value = data.get(name)
        if value is None:
            return []
        return [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]

    errors: list[str] = []
    parsed = ParsedQuery(q=(getlist("q") or [""])[0].strip()[:200], errors=errors)
    for name in FILTER_PARAMS:
        values: list[Any] = []
        for raw in getlist(name):
            for part in raw.split(","):
                value = _filter_value(name, part.strip(), errors)
                if value is not None:
                    values.append(value)
        if values:
            parsed.filters[name] = values
    parsed.date_from = _date((getlist("date_from") or [""])[0], _("起始日期"), errors)
    parsed.date_to = _date((getlist("date_to") or [""])[0], _("截止日期"), errors)
    if parsed.date_from and parsed.date_to and parsed.date_from > parsed.date_to:
        errors.append(_("起始日期不能晚于截止日期"))
        parsed.date_from = parsed.date_to = None
    sort = (getlist("sort") or ["relevance"])[0]
    parsed.sort = "date" if sort == "date" else "relevance"
    page = (getlist("page") or ["1"])[0]
    parsed.page = bounded_int(page, low=1, high=MAX_PAGE) or 1
    scope = (getlist("scope") or [default_scope])[0]
    parsed.scope = scope if scope in SCOPES else default_scope
    field_value = (getlist("field") or ["full"])[0]
    parsed.text_field = field_value if field_value in FIELDS else "full"
    return parsed
