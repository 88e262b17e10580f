"""政策找人: the pure matching rules of issue 14 (no ORM; ``selectors.match_policies`` feeds them).

A policy matches a profile on ``as_of`` when it is 有效 and every condition it states holds:

- ``regions``: the profile's region is one of the listed organisations or inside one of them
  (any depth of the agency tree);
- ``industries``: a listed GB/T 4754-2017 code is a prefix of the profile's code (C39 covers
  C391 and C3911; a section letter covers the whole section);
- ``scales``: the profile's scale is listed;
- ``min_years``: whole years from ``established`` to ``as_of`` ≥ ``min_years``; the anniversary
  day counts, and a company founded on 29 February has its anniversary on 28 February of a
  common year (《民法典》第二百零一条: without a corresponding day the period ends on the last
  day of the month);
- ``qualifications``: every listed qualification is held;
- ``apply_window``: ``apply_from`` ≤ ``as_of`` ≤ ``apply_until`` (both days included).

An absent or empty condition always holds and gives no reason. A profile that lacks the datum
a stated condition needs (no industry code, no scale, no founding date) fails that condition.
A near miss is a valid policy that fails exactly one condition.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .industries import code_prefixes

CONDITION_NAMES = (
    "regions",
    "industries",
    "scales",
    "min_years",
    "qualifications",
    "apply_window",
)

SCALE_LABELS = {"large": "大型", "medium": "中型", "small": "小型", "micro": "微型"}


@dataclass(frozen=True)
class Conditions:
    """A policy's stated conditions; region entries are organisation codes."""

    regions: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()
    scales: tuple[str, ...] = ()
    min_years: int | None = None
    qualifications: tuple[str, ...] = ()
    apply_from: datetime.date | None = None
    apply_until: datetime.date | None = None


@dataclass(frozen=True)
class Profile:
    """An enterprise's (or person's) profile. ``region_path`` is the region's organisation code
    followed by its ancestors' codes, nearest first (the caller reads the agency tree)."""

    region_path: tuple[str, ...] = ()
    industry: str = ""
    scale: str = ""
    established: datetime.date | None = None
    qualifications: frozenset[str] = frozenset()


@dataclass
class Outcome:
    reasons: list[str] = field(default_factory=list)
    unmet: list[str] = field(default_factory=list)

    @property
    def matches(self) -> bool:
        return not self.unmet


def whole_years(established: datetime.date, as_of: datetime.date) -> int:
    """Completed years from ``established`` to ``as_of``; the anniversary day completes a year.
    A 29 February founding date has its anniversary on 28 February in common years
    (《民法典》第二百零一条). Negative when ``as_of`` is before ``established``."""
    years = as_of.year - established.year
    day = established.day
    if established.month == 2 and day == 29 and not _is_leap(as_of.year):
        day = 28
    anniversary = datetime.date(as_of.year, established.month, day)
    if as_of < anniversary:
        years -= 1
    return years


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _region(c: Conditions, p: Profile, names: Mapping[str, str], out: Outcome) -> None:
    if not c.regions:
        return
    listed = set(c.regions)
    hit = next((code for code in p.region_path if code in listed), None)
    if hit is None:
        out.unmet.append("regions")
        return
    here = names.get(p.region_path[0], p.region_path[0])
    there = names.get(hit, hit)
    if hit == p.region_path[0]:
        out.reasons.append(_("地区符合：%(here)s在适用范围内") % {"here": here})
    else:
        out.reasons.append(_("地区符合：%(here)s属于%(there)s") % {"here": here, "there": there})


def _industry(c: Conditions, p: Profile, out: Outcome) -> None:
    if not c.industries:
        return
    prefixes = set(code_prefixes(p.industry))
    hit = next((code for code in c.industries if code in prefixes), None)
    if hit is None:
        out.unmet.append("industries")
    elif hit == p.industry:
        out.reasons.append(_("行业符合：%(code)s") % {"code": hit})
    else:
        out.reasons.append(_("行业符合：%(own)s属于%(code)s") % {"code": hit, "own": p.industry})


def _scale(c: Conditions, p: Profile, out: Outcome) -> None:
    if not c.scales:
        return
    if p.scale in c.scales:
        out.reasons.append(
            _("企业规模符合：%(scale)s企业") % {"scale": SCALE_LABELS.get(p.scale, p.scale)}
        )
    else:
        out.unmet.append("scales")


def _years(c: Conditions, p: Profile, as_of: datetime.date, out: Outcome) -> None:
    if c.min_years is None:
        return
    if p.established is None:
        out.unmet.append("min_years")
        return
    years = whole_years(p.established, as_of)
    if years >= c.min_years:
        out.reasons.append(
            _("成立年限符合：已成立%(years)d年，要求不少于%(min)d年")
            % {"years": years, "min": c.min_years}
        )
    else:
        out.unmet.append("min_years")


def _qualifications(c: Conditions, p: Profile, out: Outcome) -> None:
    if not c.qualifications:
        return
    if all(q in p.qualifications for q in c.qualifications):
        out.reasons.append(_("资质符合：已具备%(names)s") % {"names": "、".join(c.qualifications)})
    else:
        out.unmet.append("qualifications")


def _window(c: Conditions, as_of: datetime.date, out: Outcome) -> None:
    if c.apply_from is None and c.apply_until is None:
        return
    if (c.apply_from is None or c.apply_from <= as_of) and (
        c.apply_until is None or as_of <= c.apply_until
    ):
        out.reasons.append(
            _("申报时间符合：%(from)s至%(until)s")
            % {
                "from": c.apply_from.isoformat() if c.apply_from else _("不限"),
                "until": c.apply_until.isoformat() if c.apply_until else _("不限"),
            }
        )
    else:
        out.unmet.append("apply_window")


def evaluate(
    conditions: Conditions,
    profile: Profile,
    as_of: datetime.date,
    region_names: Mapping[str, str] | None = None,
) -> Outcome:
    """Check every stated condition (validity is the caller's filter): the reasons of the
    ones that hold, and the names of the ones that fail, in ``CONDITION_NAMES`` order."""
    out = Outcome()
    _region(conditions, profile, region_names or {}, out)
    _industry(conditions, profile, out)
    _scale(conditions, profile, out)
    _years(conditions, profile, as_of, out)
    _qualifications(conditions, profile, out)
    _window(conditions, as_of, out)
    return out


def unmet_labels(names: Iterable[str]) -> list[str]:
    """The Chinese names of unmet conditions, for pages."""
    labels = {
        "regions": _("地区"),
        "industries": _("行业"),
        "scales": _("企业规模"),
        "min_years": _("成立年限"),
        "qualifications": _("资质"),
        "apply_window": _("申报时间"),
    }
    return [labels.get(n, n) for n in names]
