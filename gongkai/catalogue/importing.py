"""Line-by-line validation for ``import_documents``: every line is checked before anything is
written, and every problem is reported with its line number (DESIGN: imports are atomic)."""

import datetime
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from gongkai.accounts.models import Organisation

from .models import Audience, Genre, InformationItem, PolicyKind, TopicCategory
from .richtext import body_to_html, html_to_text

REQUIRED = ("title", "body", "org", "published")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_LIST_SPLIT = re.compile(r"[,，、;；\s]+")

VALIDITY_NAMES: dict[str, str] = {}
for _value, _label in InformationItem.Validity.choices:
    VALIDITY_NAMES[_value] = _value
    VALIDITY_NAMES[str(_label)] = _value

GENRE_NAMES: dict[str, str] = {"命令": Genre.ORDER, "令": Genre.ORDER}
for _value, _label in Genre.choices:
    GENRE_NAMES[_value] = _value
    GENRE_NAMES[str(_label)] = _value


@dataclass
class PreparedDocument:
    line: int
    item: InformationItem
    audience_ids: list[int] = field(default_factory=list)
    # 政策兑现 conditions (issue 14): ``policies.conditions.ConditionsData`` or None.
    conditions: Any = None


class _Lookups:
    """Reference tables loaded once per file, so validation costs no query per line."""

    def __init__(self) -> None:
        self.orgs = {o.code: o for o in Organisation.objects.all()}
        topics = list(TopicCategory.objects.all())
        by_id = {t.pk: t for t in topics}
        self.topic_paths: dict[str, TopicCategory] = {}
        self.topic_top: dict[str, TopicCategory] = {}
        self.topic_second: dict[str, list[TopicCategory]] = {}
        for topic in topics:
            if topic.parent_id is None:
                self.topic_top[topic.name] = topic
                self.topic_paths[topic.name] = topic
            else:
                parent = by_id[topic.parent_id]
                self.topic_paths[f"{parent.name}\\{topic.name}"] = topic
                self.topic_second.setdefault(topic.name, []).append(topic)
        self.audiences = {a.name: a.pk for a in Audience.objects.all()}
        self._qualifications: dict[str, int] | None = None

    def conditions(self, data: Any, problems: list[str]) -> Any:
        """The line's ``conditions`` object checked by the policies app (issue 14); ``None``
        when the line states none."""
        from gongkai.policies.conditions import parse_conditions
        from gongkai.policies.selectors import qualification_ids_by_name

        if not isinstance(data, dict) or data.get("conditions") is None:
            return None
        if self._qualifications is None:
            self._qualifications = qualification_ids_by_name()
        return parse_conditions(
            data["conditions"],
            orgs=self.orgs,
            qualifications=self._qualifications,
            problems=problems,
        )

    def topic(self, name: str) -> tuple[TopicCategory | None, str | None]:
        name = name.strip()
        if name in self.topic_paths:
            return self.topic_paths[name], None
        matches = self.topic_second.get(name, [])
        if len(matches) == 1:
            return matches[0], None
        if len(matches) > 1:
            return None, _("主题分类“%(name)s”对应多个一级分类，请写成“一级分类\\二级分类”") % {
                "name": name
            }
        return None, _("主题分类“%(name)s”不存在") % {"name": name}


def _date(value: Any, key: str, problems: list[str]) -> datetime.date | None:
    if not isinstance(value, str) or not _DATE.match(value):
        problems.append(
            _("字段“%(key)s”的日期“%(value)s”无效，应为YYYY-MM-DD格式")
            % {"key": key, "value": value}
        )
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        problems.append(
            _("字段“%(key)s”的日期“%(value)s”无效，应为YYYY-MM-DD格式")
            % {"key": key, "value": value}
        )
        return None


def _names(value: Any, key: str, problems: list[str]) -> list[str] | None:
    if isinstance(value, str):
        return [v for v in _LIST_SPLIT.split(value) if v]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [v.strip() for v in value if v.strip()]
    problems.append(_("字段“%(key)s”必须是字符串或字符串列表") % {"key": key})
    return None


def _check_shape(data: Any, problems: list[str]) -> bool:
    """Step 1: a JSON object with every required field, strings where strings are due."""
    if not isinstance(data, dict):
        problems.append(_("不是有效的JSON对象"))
        return False
    for key in REQUIRED:
        value = data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            problems.append(_("缺少必填字段“%(key)s”") % {"key": key})
    for key in ("title", "body", "org", "external_id", "doc_number", "summary"):
        if data.get(key) is not None and not isinstance(data[key], str):
            problems.append(_("字段“%(key)s”必须是字符串") % {"key": key})
    return not problems


def _line_dates(
    data: dict[str, Any], problems: list[str]
) -> tuple[datetime.date | None, datetime.date | None]:
    """(written, published); 成文日期 may not fall after 发布日期."""
    published = _date(data["published"], "published", problems)
    written = _date(data["written"], "written", problems) if data.get("written") else None
    if written and published and written > published:
        problems.append(
            _("成文日期%(w)s晚于发布日期%(p)s") % {"w": written.isoformat(), "p": published}
        )
    return written, published


def _line_topic(
    data: dict[str, Any], lookups: _Lookups, problems: list[str]
) -> TopicCategory | None:
    if not data.get("topic"):
        return None
    if not isinstance(data["topic"], str):
        problems.append(_("字段“%(key)s”必须是字符串") % {"key": "topic"})
        return None
    topic, error = lookups.topic(data["topic"])
    if error:
        problems.append(error)
    return topic


def _line_genre(data: dict[str, Any], problems: list[str]) -> str:
    if not data.get("genre"):
        return ""
    genre = GENRE_NAMES.get(str(data["genre"]).strip(), "")
    if not genre:
        problems.append(_("体裁分类“%(name)s”不存在") % {"name": data["genre"]})
    return genre


def _line_audiences(data: dict[str, Any], lookups: _Lookups, problems: list[str]) -> list[int]:
    audience_ids: list[int] = []
    if not data.get("audience"):
        return audience_ids
    for name in _names(data["audience"], "audience", problems) or []:
        if name in lookups.audiences:
            audience_ids.append(lookups.audiences[name])
        else:
            problems.append(_("服务对象“%(name)s”不存在") % {"name": name})
    return audience_ids


def _line_keywords(data: dict[str, Any], problems: list[str]) -> str:
    if not data.get("keywords"):
        return ""
    keywords = "，".join(_names(data["keywords"], "keywords", problems) or [])
    if len(keywords) > 200:
        problems.append(_("关键词超过200字"))
    return keywords


def _line_validity(data: dict[str, Any], problems: list[str]) -> str:
    if not data.get("validity"):
        return InformationItem.Validity.VALID.value
    validity = VALIDITY_NAMES.get(str(data["validity"]).strip(), "")
    if not validity:
        problems.append(
            _("有效性“%(value)s”无效，应为有效、失效、废止或已修改") % {"value": data["validity"]}
        )
    return validity


def _line_policy_kind(data: dict[str, Any], problems: list[str]) -> str:
    if data.get("is_normative") is None:
        return ""
    if not isinstance(data["is_normative"], bool):
        problems.append(_("字段“is_normative”必须是true或false"))
        return ""
    return PolicyKind.NORMATIVE.value if data["is_normative"] else ""


def _prepare_line(
    data: Any, lookups: _Lookups, problems: list[str]
) -> tuple[InformationItem, list[int]] | None:
    """One JSONL line → an unsaved published item and its audience ids, or None + problems."""
    if not _check_shape(data, problems):
        return None
    title = data["title"].strip()
    if len(title) > 300:
        problems.append(_("信息名称超过300字"))
    organisation = lookups.orgs.get(data["org"].strip())
    if organisation is None:
        problems.append(_("机构代码“%(code)s”不存在") % {"code": data["org"]})
    written, published = _line_dates(data, problems)
    doc_number = (data.get("doc_number") or "").strip()
    if len(doc_number) > 100:
        problems.append(_("文号超过100字"))
    if len((data.get("external_id") or "").strip()) > 100:
        problems.append(_("external_id超过100个字符"))
    topic = _line_topic(data, lookups, problems)
    genre = _line_genre(data, problems)
    audience_ids = _line_audiences(data, lookups, problems)
    keywords = _line_keywords(data, problems)
    validity = _line_validity(data, problems)
    policy_kind = _line_policy_kind(data, problems)
    if problems:
        return None

    body = body_to_html(data["body"])
    item = InformationItem(
        organisation=organisation,
        title=title,
        doc_number=doc_number,
        written_date=written,
        published_date=published,
        topic=topic,
        genre=genre,
        keywords=keywords,
        summary=(data.get("summary") or "").strip(),
        body=body,
        body_text=html_to_text(body),
        disclosure=InformationItem.Disclosure.PROACTIVE,
        validity=validity,
        policy_kind=policy_kind,
        status=InformationItem.Status.PUBLISHED,
        external_id=(data.get("external_id") or "").strip() or None,
    )
    return item, audience_ids


def prepare_documents(lines: Iterable[str]) -> tuple[list[PreparedDocument], list[str]]:
    lookups = _Lookups()
    parsed: list[tuple[int, Any, bool]] = []
    for number, raw in enumerate(lines, start=1):
        text = raw.strip().lstrip("\ufeff")
        if not text:
            continue
        try:
            parsed.append((number, json.loads(text), True))
        except json.JSONDecodeError:
            parsed.append((number, None, False))
    # External ids already in the database: one query per 500 ids, not one per line.
    wanted = sorted(
        {
            d["external_id"].strip()
            for _n, d, _ok in parsed
            if isinstance(d, dict) and isinstance(d.get("external_id"), str)
        }
        - {""}
    )
    existing: set[str] = set()
    for start in range(0, len(wanted), 500):
        existing.update(
            e
            for e in InformationItem.objects.filter(
                external_id__in=wanted[start : start + 500]
            ).values_list("external_id", flat=True)
            if e
        )

    prepared: list[PreparedDocument] = []
    errors: list[str] = []
    seen_external: dict[str, int] = {}
    for number, data, ok in parsed:
        problems: list[str] = []
        if not ok:
            problems.append(_("不是有效的JSON"))
            result = None
        else:
            result = _prepare_line(data, lookups, problems)
        conditions = lookups.conditions(data, problems)
        external_id = data.get("external_id") if isinstance(data, dict) else None
        if isinstance(external_id, str) and external_id.strip():
            external_id = external_id.strip()
            if external_id in seen_external:
                problems.append(
                    _("external_id“%(id)s”与第%(line)d行重复")
                    % {"id": external_id, "line": seen_external[external_id]}
                )
            else:
                seen_external[external_id] = number
                if external_id in existing:
                    problems.append(_("external_id“%(id)s”已存在于系统中") % {"id": external_id})
        if problems:
            errors.append(
                _("第%(line)d行：%(reasons)s") % {"line": number, "reasons": "；".join(problems)}
            )
        elif result is not None:
            prepared.append(
                PreparedDocument(
                    line=number, item=result[0], audience_ids=result[1], conditions=conditions
                )
            )
    return prepared, errors
