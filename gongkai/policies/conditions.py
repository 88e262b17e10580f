"""The ``conditions`` object of an ``import_documents`` line (issue 14), checked before anything
is written. Keys: ``regions`` (organisation codes), ``industries`` (GB/T 4754-2017 codes),
``scales`` (large/medium/small/micro), ``min_years`` (int ≥ 0), ``qualifications`` (names in
the editable list), ``apply_from`` / ``apply_until`` (YYYY-MM-DD). An absent key, ``null``,
``""`` or ``[]`` is "no condition"; an unknown key, code, scale, qualification or organisation
is an error naming it."""

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from .industries import is_valid_code, normalise_code
from .models import EnterpriseScale

CONDITION_KEYS = (
    "regions",
    "industries",
    "scales",
    "min_years",
    "qualifications",
    "apply_from",
    "apply_until",
)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class ConditionsData:
    """Validated conditions, ready for ``services.policy_conditions_bulk_create``."""

    region_ids: list[int] = field(default_factory=list)
    industries: list[str] = field(default_factory=list)
    scales: list[str] = field(default_factory=list)
    min_years: int | None = None
    qualification_ids: list[int] = field(default_factory=list)
    apply_from: datetime.date | None = None
    apply_until: datetime.date | None = None
    # The 兑现 texts; not importable (the contract's keys are the conditions), set by the demo.
    texts: dict[str, str] = field(default_factory=dict)


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def _strings(key: str, value: Any, problems: list[str]) -> list[str]:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(dict.fromkeys(v.strip() for v in value if v.strip()))
    problems.append(_("conditions.%(key)s 必须是字符串列表") % {"key": key})
    return []


def _day(key: str, value: Any, problems: list[str]) -> datetime.date | None:
    if isinstance(value, str) and _DATE.match(value.strip()):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            pass
    problems.append(
        _("conditions.%(key)s 的日期“%(value)s”无效，应为YYYY-MM-DD格式")
        % {"key": key, "value": value}
    )
    return None


def _regions(value: Any, orgs: Mapping[str, Any], problems: list[str]) -> list[int]:
    ids: list[int] = []
    for code in _strings("regions", value, problems):
        org = orgs.get(code)
        if org is None:
            problems.append(_("conditions.regions 中的机构代码“%(code)s”不存在") % {"code": code})
        else:
            ids.append(org.pk)
    return ids


def _industries(value: Any, problems: list[str]) -> list[str]:
    codes: list[str] = []
    for raw in _strings("industries", value, problems):
        code = normalise_code(raw)
        if is_valid_code(code):
            codes.append(code)
        else:
            problems.append(
                _("conditions.industries 中的行业代码“%(code)s”不是GB/T 4754-2017行业代码")
                % {"code": raw}
            )
    return list(dict.fromkeys(codes))


def _scales(value: Any, problems: list[str]) -> list[str]:
    scales: list[str] = []
    for name in _strings("scales", value, problems):
        if name in EnterpriseScale.values:
            scales.append(name)
        else:
            problems.append(
                _("conditions.scales 中的企业规模“%(name)s”无效，应为large、medium、small或micro")
                % {"name": name}
            )
    return scales


def _min_years(value: Any, problems: list[str]) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 200:
        problems.append(
            _("conditions.min_years “%(value)s”无效，应为0至200的整数") % {"value": value}
        )
        return None
    # 0 years asks for nothing: stored as "no condition".
    return value or None


def _qualifications(value: Any, known: Mapping[str, int], problems: list[str]) -> list[int]:
    ids: list[int] = []
    for name in _strings("qualifications", value, problems):
        if name in known:
            ids.append(known[name])
        else:
            problems.append(
                _("conditions.qualifications 中的资质“%(name)s”不在资质名录中") % {"name": name}
            )
    return ids


def parse_conditions(
    value: Any,
    *,
    orgs: Mapping[str, Any],
    qualifications: Mapping[str, int],
    problems: list[str],
) -> ConditionsData | None:
    """The checked conditions of one line, or ``None`` when the line states none
    (key absent or ``null``); problems are appended in Chinese."""
    if value is None:
        return None
    if not isinstance(value, dict):
        problems.append(_("conditions 必须是JSON对象"))
        return None
    unknown = sorted(set(value) - set(CONDITION_KEYS))
    for key in unknown:
        problems.append(_("conditions 中有未知字段“%(key)s”") % {"key": key})
    data = ConditionsData()
    present = {k: v for k, v in value.items() if k in CONDITION_KEYS and not _empty(v)}
    if "regions" in present:
        data.region_ids = _regions(present["regions"], orgs, problems)
    if "industries" in present:
        data.industries = _industries(present["industries"], problems)
    if "scales" in present:
        data.scales = _scales(present["scales"], problems)
    if "min_years" in present:
        data.min_years = _min_years(present["min_years"], problems)
    if "qualifications" in present:
        data.qualification_ids = _qualifications(
            present["qualifications"], qualifications, problems
        )
    if "apply_from" in present:
        data.apply_from = _day("apply_from", present["apply_from"], problems)
    if "apply_until" in present:
        data.apply_until = _day("apply_until", present["apply_until"], problems)
    if data.apply_from and data.apply_until and data.apply_from > data.apply_until:
        problems.append(
            _("conditions.apply_from %(f)s 晚于 apply_until %(u)s")
            % {"f": data.apply_from.isoformat(), "u": data.apply_until.isoformat()}
        )
    return data


# ---------------------------------------------------------------------------------------------
# The profile of ``match_policies --profile FILE.json`` and ``POST /api/v1/policies/match``
# ---------------------------------------------------------------------------------------------

PROFILE_KEYS = (
    "name",
    "region",
    "industry",
    "scale",
    "established",
    "qualifications",
    "as_of",
    "credit_code",
)


class ProfileError(ValueError):
    """A bad profile; the message is Chinese and names the field."""


def _profile_date(data: Mapping[str, Any], key: str) -> datetime.date | None:
    value = data.get(key)
    if value is None or value == "":
        return None
    problems: list[str] = []
    day = _day(key, value, problems)
    if problems:
        raise ProfileError(problems[0].replace("conditions.", "profile."))
    return day


def _profile_strings(data: Mapping[str, Any], key: str) -> list[str]:
    value = data.get(key)
    if value is None or value == []:
        return []
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [v.strip() for v in value if v.strip()]
    raise ProfileError(_("profile.%(key)s 必须是字符串列表") % {"key": key})


def _profile_text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ProfileError(_("profile.%(key)s 必须是字符串") % {"key": key})
    return value.strip()


@dataclass
class ProfileInput:
    name: str
    region: str
    industry: str
    scale: str
    established: datetime.date | None
    qualifications: list[str]
    as_of: datetime.date | None


def parse_profile(data: Any, *, org_codes: Any, qualification_names: Any) -> ProfileInput:
    """Check a profile object; ``as_of`` is ``None`` when not given (the caller uses today)."""
    if not isinstance(data, dict):
        raise ProfileError(_("企业档案必须是JSON对象"))
    unknown = sorted(set(data) - set(PROFILE_KEYS))
    if unknown:
        raise ProfileError(_("企业档案中有未知字段“%(key)s”") % {"key": "、".join(unknown)})
    region = _profile_text(data, "region")
    if not region:
        raise ProfileError(_("企业档案缺少所在地区（region，机构代码）"))
    if region not in org_codes:
        raise ProfileError(_("profile.region 的机构代码“%(code)s”不存在") % {"code": region})
    industry = normalise_code(_profile_text(data, "industry"))
    if industry and not is_valid_code(industry):
        raise ProfileError(
            _("profile.industry 的行业代码“%(code)s”不是GB/T 4754-2017行业代码")
            % {"code": industry}
        )
    scale = _profile_text(data, "scale")
    if scale and scale not in EnterpriseScale.values:
        raise ProfileError(
            _("profile.scale 的企业规模“%(v)s”无效，应为large、medium、small或micro") % {"v": scale}
        )
    qualifications = _profile_strings(data, "qualifications")
    for name in qualifications:
        if name not in qualification_names:
            raise ProfileError(
                _("profile.qualifications 中的资质“%(name)s”不在资质名录中") % {"name": name}
            )
    return ProfileInput(
        name=_profile_text(data, "name"),
        region=region,
        industry=industry,
        scale=scale,
        established=_profile_date(data, "established"),
        qualifications=qualifications,
        as_of=_profile_date(data, "as_of"),
    )
