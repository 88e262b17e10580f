"""Kinds of reply to an application (条例第三十五条至第三十九条) and the annual-report row each
one is counted in — the ONE table of that mapping (rules note §1.6).

A reply kind chooses the letter (its template, facts and legal basis); the report row it is
counted in is ``report_row(kind)``, stored on the case as ``Case.outcome`` when the reply is
drafted. The codes of the kinds whose row the 2021 format names unambiguously are the row codes
themselves ("1", "3.4", …); the kinds of 第三十六条 that share or may not have a row of their own
carry their article number ("36.1" = 第三十六条第（一）项).

Rows marked unverified in the rules note can be changed per deployment with the setting
``GONGKAI_FOI_REPLY_ROWS`` (e.g. ``{"36.7": "6.3"}``); the verified ones cannot.
Pure: no ORM here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

from .models import Outcome, ReplyKind

__all__ = ["KIND_RULES", "ReplyKind", "facts_text", "kind_for", "report_row"]


@dataclass(frozen=True)
class KindRule:
    row: str  # default annual-report row (Outcome code)
    verified: bool  # the rules note confirms the row (False: configurable per deployment)
    facts: tuple[str, ...] = ()  # fact fields the letter states (see FACT_LABELS)
    required: tuple[str, ...] = ()  # of those, the ones a letter cannot go without


# THE mapping of reply kinds to annual-report rows (rules note §1.6 table, issue 20).
KIND_RULES: dict[str, KindRule] = {
    # 36(1): already proactively disclosed — the note counts it as 予以公开, unverified.
    ReplyKind.PROACTIVE_ALREADY: KindRule(
        Outcome.DISCLOSED,
        verified=False,
        facts=("index_number", "title", "published", "url", "place"),
        required=("index_number", "place"),
    ),
    ReplyKind.DISCLOSED: KindRule(Outcome.DISCLOSED, verified=True),
    ReplyKind.PARTIAL: KindRule(Outcome.PARTIAL, verified=True),
    ReplyKind.REFUSED_STATE_SECRET: KindRule(Outcome.REFUSED_STATE_SECRET, verified=True),
    ReplyKind.REFUSED_LAW: KindRule(Outcome.REFUSED_LAW, verified=True),
    ReplyKind.REFUSED_SECURITY: KindRule(Outcome.REFUSED_SECURITY, verified=True),
    ReplyKind.REFUSED_THIRD_PARTY: KindRule(Outcome.REFUSED_THIRD_PARTY, verified=True),
    ReplyKind.REFUSED_INTERNAL: KindRule(Outcome.REFUSED_INTERNAL, verified=True),
    ReplyKind.REFUSED_PROCESS: KindRule(Outcome.REFUSED_PROCESS, verified=True),
    ReplyKind.REFUSED_ENFORCEMENT: KindRule(Outcome.REFUSED_ENFORCEMENT, verified=True),
    # 36(7): 工商、不动产登记资料 … — "probably (三)8 属于行政查询事项", unverified.
    ReplyKind.SPECIAL_LAW: KindRule(
        Outcome.REFUSED_QUERY,
        verified=False,
        facts=("law", "procedure"),
        required=("law", "procedure"),
    ),
    # 36(4) and 36(5) both count in (四)1 "本机关不掌握相关政府信息", unverified.
    ReplyKind.NOT_HELD: KindRule(Outcome.UNAVAILABLE_NOT_HELD, verified=False, facts=("searched",)),
    ReplyKind.NOT_OURS: KindRule(
        Outcome.UNAVAILABLE_NOT_HELD,
        verified=False,
        facts=("reason", "agency", "agency_contact"),
        required=("reason",),
    ),
    ReplyKind.NEEDS_MAKING: KindRule(Outcome.UNAVAILABLE_NEEDS_MAKING, verified=True),
    ReplyKind.UNCLEAR: KindRule(Outcome.UNAVAILABLE_UNCLEAR, verified=True),
    ReplyKind.PETITION: KindRule(Outcome.NOT_HANDLED_PETITION, verified=True),
    # 36(6) → (五)2 重复申请 (the note states it without reservation).
    ReplyKind.REPEAT: KindRule(
        Outcome.NOT_HANDLED_REPEAT,
        verified=True,
        facts=("previous", "previous_date"),
        required=("previous",),
    ),
    ReplyKind.PUBLICATION: KindRule(Outcome.NOT_HANDLED_PUBLICATION, verified=True),
    ReplyKind.MASS: KindRule(Outcome.NOT_HANDLED_MASS, verified=True),
    ReplyKind.CONFIRM: KindRule(Outcome.NOT_HANDLED_CONFIRM, verified=True),
    ReplyKind.OTHER: KindRule(Outcome.OTHER, verified=True),
}

# Callers from before issue 20 chose a report row; these rows now have a kind of their own.
LEGACY_OUTCOME_KINDS: dict[str, str] = {
    Outcome.REFUSED_QUERY: ReplyKind.SPECIAL_LAW,
    Outcome.UNAVAILABLE_NOT_HELD: ReplyKind.NOT_HELD,
    Outcome.NOT_HANDLED_REPEAT: ReplyKind.REPEAT,
}

FACT_LABELS: dict[str, StrOrPromise] = {
    "index_number": gettext_lazy("已公开信息的索引号"),
    "title": gettext_lazy("已公开信息的名称"),
    "published": gettext_lazy("公开日期"),
    "url": gettext_lazy("网址"),
    "place": gettext_lazy("查阅场所"),
    "searched": gettext_lazy("检索范围"),
    "reason": gettext_lazy("不属于本机关公开的理由"),
    "agency": gettext_lazy("负责公开的机关"),
    "agency_contact": gettext_lazy("该机关的联系方式"),
    "previous": gettext_lazy("此前的申请编号或答复文号"),
    "previous_date": gettext_lazy("此前答复日期"),
    "law": gettext_lazy("有关法律、行政法规"),
    "procedure": gettext_lazy("应当办理的程序"),
}

# Kinds whose reply must give reasons (条例第三十六条第（三）项、第三十七条).
REASONED_KINDS = frozenset(k for k in ReplyKind if k == "2" or k.startswith("3."))


def kind_for(code: str) -> str:
    """The reply kind a caller means: a kind code, or (legacy) a report-row code."""
    code = LEGACY_OUTCOME_KINDS.get(code, code)
    if code not in KIND_RULES:
        raise ValueError(code)
    return code


def report_row(kind: str) -> str:
    """The annual-report row (Outcome code) a reply of this kind is counted in."""
    rule = KIND_RULES[kind]
    overrides = configured_rows()
    return overrides.get(kind, rule.row)


def configured_rows() -> dict[str, str]:
    """The deployment's overrides of unverified rows; a wrong entry stops the platform with a
    message naming it, rather than miscounting the annual report."""
    raw = getattr(settings, "GONGKAI_FOI_REPLY_ROWS", {}) or {}
    counted = {o.value for o in Outcome} - {Outcome.OTHER_NO_SUPPLEMENT, Outcome.OTHER_UNPAID}
    for kind, row in raw.items():
        if kind not in KIND_RULES:
            raise ImproperlyConfigured(
                _("GONGKAI_FOI_REPLY_ROWS：无法识别的答复类型“%(k)s”") % {"k": kind}
            )
        if KIND_RULES[kind].verified:
            raise ImproperlyConfigured(
                _("GONGKAI_FOI_REPLY_ROWS：答复类型“%(k)s”的年报栏目已核实，不能修改") % {"k": kind}
            )
        if row not in counted:
            raise ImproperlyConfigured(
                _("GONGKAI_FOI_REPLY_ROWS：答复类型“%(k)s”对应的年报栏目“%(r)s”无效")
                % {"k": kind, "r": row}
            )
    return dict(raw)


def missing_facts(kind: str, facts: dict[str, str]) -> list[str]:
    """Names of the required facts the letter of this kind lacks."""
    return [name for name in KIND_RULES[kind].required if not (facts.get(name) or "").strip()]


def facts_text(kind: str, facts: dict[str, str]) -> str:
    """The sentences of the letter that state this reply's facts ("" when it has none)."""
    f = {k: (v or "").strip() for k, v in facts.items()}
    if kind == ReplyKind.PROACTIVE_ALREADY:
        # 第三十六条第（一）项: "告知申请人获取该政府信息的方式、途径".
        parts = [
            _("该政府信息已于%(d)s主动公开，名称为“%(t)s”，索引号为%(i)s。")
            % {"d": f.get("published", ""), "t": f.get("title", ""), "i": f["index_number"]}
        ]
        if f.get("url"):
            parts.append(_("您可以通过以下网址查阅、下载：%(u)s。") % {"u": f["url"]})
        parts.append(_("您也可以到%(p)s查阅。") % {"p": f["place"]})
        return "".join(parts)
    if kind == ReplyKind.NOT_HELD and f.get("searched"):
        return _("本机关检索了%(s)s。") % {"s": f["searched"]}
    if kind == ReplyKind.NOT_OURS:
        # 第三十六条第（五）项: "说明理由；能够确定负责公开该政府信息的行政机关的，告知申请人
        # 该行政机关的名称、联系方式".
        parts = [_("理由：%(r)s。") % {"r": f["reason"].rstrip("。")}]
        if f.get("agency"):
            parts.append(_("负责公开该政府信息的行政机关为%(a)s") % {"a": f["agency"]})
            if f.get("agency_contact"):
                parts.append(_("，联系方式：%(c)s") % {"c": f["agency_contact"]})
            parts.append(_("，您可以向该机关提出申请。"))
        return "".join(parts)
    if kind == ReplyKind.REPEAT:
        if f.get("previous_date"):
            return _("本机关已于%(d)s就您的申请（%(p)s）作出答复。") % {
                "d": f["previous_date"],
                "p": f["previous"],
            }
        return _("本机关已就您的申请（%(p)s）作出答复。") % {"p": f["previous"]}
    if kind == ReplyKind.SPECIAL_LAW:
        # 第三十六条第（七）项: "告知申请人依照有关法律、行政法规的规定办理".
        return _("根据%(l)s的规定，请您%(p)s。") % {
            "l": f["law"],
            "p": f["procedure"].rstrip("。"),
        }
    return ""
