"""The 先审后发 state machine and the version diff, as pure functions (no ORM).

Why a chain at all: 国办发〔2018〕123号 requires "分级分类审核、先审后发" and every seed agency
describes a 三审 (初审 by the drafting unit's head, 复审 by the 办公室, 终审 by the leader in
charge; rules note §5.5). The number of levels is configurable per organisation and content
kind (1 to 3). The 条例 itself only asks for a 审查机制 (Art. 17), so the levels are policy, not
law; the one absolute rule is that nobody reviews their own draft.

States (the same values as ``core.status.ContentStatus``, the one status of publishable content)::

    草稿 draft ──submit──▶ 审核中 in_review (level 1) ──approve──▶ level 2 … ──▶ level n
    level n ──approve / override──▶ 已通过 approved ──publish──▶ 已发布 published
    any level ──return (comment)──▶ 已退回 returned ──submit──▶ in_review (level 1 again)
    published ──withdraw (reason)──▶ 已撤回 withdrawn ──submit──▶ in_review (level 1)

Blocking check findings (a 身份证号码, a blocking 错敏词, the 三同步 block…) stop submission and
approval. An author who believes a finding is a false alarm may submit with a *request* for an
override (a reason); the lower levels may then pass it on, and only the final level can decide
it, with its own recorded reason (decision ``override``).
"""

from __future__ import annotations

import difflib
import html
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from gongkai.core.status import ContentStatus

SUBMIT = "submit"
APPROVE = "approve"
RETURN = "return"
OVERRIDE = "override"
PUBLISH = "publish"
WITHDRAW = "withdraw"
ACTIONS = (SUBMIT, APPROVE, RETURN, OVERRIDE, PUBLISH, WITHDRAW)

MIN_LEVELS = 1
MAX_LEVELS = 3

# States from which an author may (re)submit: a new draft, a returned one, a withdrawn one.
SUBMITTABLE = (ContentStatus.DRAFT, ContentStatus.RETURNED, ContentStatus.WITHDRAWN)


class WorkflowError(Exception):
    """A refused transition; ``str(error)`` is the Chinese message for the user."""


def level_label(level: int, levels: int) -> str:
    """初审 / 复审 / 终审 for a three-level chain; the last level is always 终审."""
    if level == levels:
        return _("终审")
    if level == 1:
        return _("初审")
    return _("复审")


@dataclass(frozen=True)
class Position:
    state: str
    level: int = 0  # the level now reviewing; 0 when not in review


@dataclass(frozen=True)
class Actor:
    """Who acts, as far as the rules care."""

    is_author: bool = False
    review_levels: frozenset[int] = field(default_factory=frozenset)


def validate_levels(levels: int) -> int:
    if not isinstance(levels, int) or not MIN_LEVELS <= levels <= MAX_LEVELS:
        raise WorkflowError(
            _("审核级数必须是 %(lo)d 到 %(hi)d 之间的整数") % {"lo": MIN_LEVELS, "hi": MAX_LEVELS}
        )
    return levels


def _require_reviewer(position: Position, levels: int, actor: Actor) -> None:
    if position.state != ContentStatus.IN_REVIEW:
        raise WorkflowError(_("该内容当前不在审核中，不能审核"))
    if actor.is_author:
        # Absolute: also for administrators and superusers (三审 means three *other* people).
        raise WorkflowError(_("不能审核自己起草或提交的内容"))
    if position.level not in actor.review_levels:
        raise WorkflowError(
            _("您不是本机构第%(level)d级（%(label)s）审核人，不能在此级审核")
            % {"level": position.level, "label": level_label(position.level, levels)}
        )


@dataclass(frozen=True)
class _Move:
    """Everything one action is judged on (the arguments of :func:`transition`)."""

    position: Position
    levels: int
    actor: Actor
    blocking: bool
    override_requested: bool
    comment: str
    scheduled: bool

    def final_position(self) -> Position:
        """Past the last level: approved if a 定时发布时间 is set, else published."""
        return Position(
            ContentStatus.APPROVED if self.scheduled else ContentStatus.PUBLISHED, self.levels
        )


def _submit(move: _Move) -> Position:
    if move.position.state not in SUBMITTABLE:
        raise WorkflowError(
            _("只有草稿、已退回或已撤回的内容可以提交审核（当前状态：%(state)s）")
            % {"state": state_label(move.position.state)}
        )
    if move.blocking and not move.comment:
        raise WorkflowError(
            _(
                "自动检查发现阻止发布的问题，请先修改；如确属误报，请填写申请强制通过的理由，"
                "由终审人员决定"
            )
        )
    return Position(ContentStatus.IN_REVIEW, 1)


def _approve(move: _Move) -> Position:
    _require_reviewer(move.position, move.levels, move.actor)
    final = move.position.level >= move.levels
    if move.blocking and (final or not move.override_requested):
        if final:
            raise WorkflowError(_("存在阻止发布的检查问题，终审只能退回，或填写理由后强制通过"))
        raise WorkflowError(_("存在阻止发布的检查问题，请退回修改"))
    if not final:
        return Position(ContentStatus.IN_REVIEW, move.position.level + 1)
    return move.final_position()


def _override(move: _Move) -> Position:
    _require_reviewer(move.position, move.levels, move.actor)
    if move.position.level < move.levels:
        raise WorkflowError(_("只有终审人员可以强制通过"))
    if not move.comment:
        raise WorkflowError(_("强制通过必须填写理由"))
    return move.final_position()


def _return(move: _Move) -> Position:
    _require_reviewer(move.position, move.levels, move.actor)
    if not move.comment:
        raise WorkflowError(_("退回时必须填写退回意见"))
    return Position(ContentStatus.RETURNED, 0)


def _publish(move: _Move) -> Position:
    if move.position.state != ContentStatus.APPROVED:
        raise WorkflowError(_("只有审核通过的内容可以发布"))
    return Position(ContentStatus.PUBLISHED, move.position.level)


def _withdraw(move: _Move) -> Position:
    if move.position.state != ContentStatus.PUBLISHED:
        raise WorkflowError(_("只有已发布的内容可以撤回"))
    if not move.comment:
        raise WorkflowError(_("撤回必须填写理由"))
    return Position(ContentStatus.WITHDRAWN, 0)


_STEPS: dict[str, Callable[[_Move], Position]] = {
    SUBMIT: _submit,
    APPROVE: _approve,
    OVERRIDE: _override,
    RETURN: _return,
    PUBLISH: _publish,
    WITHDRAW: _withdraw,
}


def transition(
    position: Position,
    action: str,
    *,
    levels: int,
    actor: Actor,
    blocking: bool = False,
    override_requested: bool = False,
    comment: str = "",
    scheduled: bool = False,
) -> Position:
    """The position after ``action``, or :class:`WorkflowError` with the reason it is refused.

    ``blocking``: the automatic checks found something that blocks publication right now.
    ``override_requested``: the author submitted with a reason asking the final level to decide.
    ``scheduled``: a 定时发布时间 in the future, so final approval leaves the content approved.
    """
    validate_levels(levels)
    step = _STEPS.get(action)
    if step is None:
        raise WorkflowError(_("未知的审核操作：%(action)s") % {"action": action})
    move = _Move(
        position=position,
        levels=levels,
        actor=actor,
        blocking=blocking,
        override_requested=override_requested,
        comment=(comment or "").strip(),
        scheduled=scheduled,
    )
    return step(move)


def state_label(state: str) -> str:
    if state in ContentStatus.values:
        return str(ContentStatus(state).label)
    return state


def position_label(position: Position, levels: int) -> str:
    if position.state == ContentStatus.IN_REVIEW:
        return _("审核中（第%(level)d级·%(label)s）") % {
            "level": position.level,
            "label": level_label(position.level, levels),
        }
    return state_label(position.state)


# --------------------------------------------------------------------------------------------
# Versions: a readable diff
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldDiff:
    name: str
    label: str
    changed: bool
    html: str  # escaped text with <ins>/<del> around the changes


def diff_text_html(old: str, new: str) -> str:
    """Character-level diff (Chinese has no spaces between words) as escaped HTML with
    ``<del>`` for removed and ``<ins>`` for added text."""
    old, new = old or "", new or ""
    out: list[str] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(html.escape(old[i1:i2]))
            continue
        if op in ("delete", "replace"):
            out.append(f"<del>{html.escape(old[i1:i2])}</del>")
        if op in ("insert", "replace"):
            out.append(f"<ins>{html.escape(new[j1:j2])}</ins>")
    return "".join(out)


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    return str(value)


def diff_snapshots(
    old: Mapping[str, Any], new: Mapping[str, Any], fields: Iterable[tuple[str, str]]
) -> list[FieldDiff]:
    """One :class:`FieldDiff` per ``(name, label)`` in ``fields``, in that order."""
    out = []
    for name, label in fields:
        a, b = _as_text(old.get(name)), _as_text(new.get(name))
        out.append(FieldDiff(name, label, a != b, diff_text_html(a, b)))
    return out
