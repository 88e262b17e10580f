"""The demo world's public participation: an open consultation with comments, a finished one
with its published 意见采纳情况反馈 and final document, and this year's 重大行政决策事项目录.

Everything goes through the participation services. Like the rest of the demo's history, the
consultations and the feedback are published with the audited ``without_review`` reason.
"""

from __future__ import annotations

import datetime
import zoneinfo
from typing import Any

from django.utils import timezone

from gongkai.catalogue.selectors import public_items
from gongkai.participation import rules, services
from gongkai.participation.models import Consultation

DEMO_HISTORY = "演示数据：接入平台前已发布的历史内容"
CHINA = zoneinfo.ZoneInfo("Asia/Shanghai")


def _at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, 10, 0, tzinfo=CHINA)


def _open_consultation(
    orgs: dict[str, Any], staff: dict[str, Any], public: dict[str, Any]
) -> Consultation:
    today = rules.china_date(timezone.now())
    editor = staff["scjgj_editor"]
    c = services.consultation_create(
        organisation=orgs["scjgj"],
        acting_user=editor,
        questions=[
            "您对经营场所登记条件的放宽有何意见？",
            "个体工商户转型为企业的扶持措施是否充分？",
        ],
        title="杭东市促进个体工商户高质量发展若干措施（征求意见稿）",
        kind="market_entity",
        draft_text=(
            "第一条 为进一步激发个体工商户活力，根据《促进个体工商户发展条例》，"
            "结合本市实际，制定本措施。\n"
            "第二条 放宽经营场所登记条件，允许一址多照、一照多址。\n"
            "第三条 对首次转型为企业的个体工商户，给予一次性奖励。"
        ),
        explanation="本措施由市市场监管局起草，已征求市发展改革委、市财政局意见。主要内容包括放宽登记条件、支持转型升级等。",
        target_group="个体工商户、辖区企业和社会公众",
        how_to_comment="也可将意见发送至电子邮箱 gk_scjgj@hangdong.gov.cn。",
        opens_on=today - datetime.timedelta(days=10),
        closes_on=today + datetime.timedelta(days=20),
    )
    services.consultation_publish(
        consultation=c, acting_user=None, on=c.opens_on, without_review=DEMO_HISTORY
    )
    q1, q2 = list(c.questions.all())
    first = services.comment_submit(
        consultation=c,
        question=q1,
        body="建议明确一址多照的适用行业范围，避免各区执行口径不一。",
        author=public["zhangsan"],
        is_public=True,
    )
    second = services.comment_submit(
        consultation=c,
        question=q2,
        article="第三条",
        body="建议一次性奖励分两次发放，并简化申请材料。",
        author=public["yunfan"],
        is_public=True,
        as_legal_person=True,
    )
    for comment in (first, second):
        services.comment_moderate(comment=comment, approve=True, acting_user=editor)
    services.comment_submit(
        consultation=c,
        body="希望尽快出台，我的电话13800000001，欢迎联系。",
        author=None,
        is_public=False,
    )
    return c


def _finished_consultation(
    orgs: dict[str, Any], staff: dict[str, Any], public: dict[str, Any]
) -> Consultation:
    today = rules.china_date(timezone.now())
    editor = staff["fgw_editor"]
    opens = today - datetime.timedelta(days=95)
    c = services.consultation_create(
        organisation=orgs["fgw"],
        acting_user=editor,
        questions=["公共停车场收费时段划分是否合理？"],
        title="杭东市公共停车场收费管理办法（征求意见稿）",
        kind="major_decision",
        draft_text=(
            "第一条 为规范本市公共停车场收费行为，制定本办法。\n第二条 中心城区实行差别化收费。"
        ),
        explanation="本办法为市政府年度重大行政决策事项，起草中开展了实地调研。",
        target_group="社会公众",
        opens_on=opens,
        closes_on=opens + datetime.timedelta(days=30),
    )
    services.consultation_publish(
        consultation=c, acting_user=None, on=opens, without_review=DEMO_HISTORY
    )
    bodies = [
        "建议夜间时段免费停车，方便周边居民。",
        "建议医院周边停车场首小时免费。",
        "建议取消差别化收费。",
        "建议公布各停车场收费标准和投诉电话。",
    ]
    comments = [
        services.comment_submit(
            consultation=c,
            body=body,
            author=public["zhangsan"],
            is_public=n != 2,
            now=_at(opens + datetime.timedelta(days=n + 1)),
        )
        for n, body in enumerate(bodies)
    ]
    for comment in comments:
        services.comment_moderate(comment=comment, approve=True, acting_user=editor)
    symposium = services.offline_input_record(
        consultation=c,
        method="symposium",
        held_on=opens + datetime.timedelta(days=10),
        place="市发展改革委第一会议室",
        participants=15,
        opinions=6,
        summary="邀请人大代表、政协委员、市民代表和停车场经营企业座谈，收集意见6条，主要集中在收费时段和优惠政策。",
        acting_user=editor,
    )
    services.group_save(
        consultation=c,
        title="夜间和就医停车优惠",
        disposition="adopted",
        reason="",
        comments=comments[:2],
        offline_inputs=[symposium],
        acting_user=editor,
    )
    services.group_save(
        consultation=c,
        title="取消差别化收费",
        disposition="not_adopted",
        reason="差别化收费是缓解中心城区停车难的主要手段，国家和省有明确要求。",
        comments=comments[2:3],
        acting_user=editor,
    )
    services.group_save(
        consultation=c,
        title="公布收费标准",
        disposition="already",
        reason="《价格法》已规定明码标价。",
        comments=comments[3:],
        acting_user=editor,
    )
    feedback = services.feedback_prepare(
        consultation=c, summary="感谢社会各界对本办法的关注和支持。", acting_user=editor
    )
    services.feedback_publish(
        feedback=feedback,
        acting_user=None,
        on=c.closes_on + datetime.timedelta(days=15),
        without_review=DEMO_HISTORY,
    )
    document = public_items().filter(organisation=orgs["fgw"]).exclude(policy_kind="").first()
    if document is not None:
        services.consultation_link_document(consultation=c, document=document, acting_user=editor)
    services.consultation_finish(consultation=c, acting_user=editor)
    return c


def _directory(orgs: dict[str, Any], staff: dict[str, Any], decided: Consultation) -> int:
    today = rules.china_date(timezone.now())
    editor = staff["city_editor"]
    directory = services.directory_create(
        organisation=orgs["city"], year=today.year, acting_user=editor
    )
    first = services.decision_add(
        directory=directory,
        title="杭东市公共停车场收费管理办法",
        owner=orgs["fgw"],
        legal_basis="《中华人民共和国价格法》《重大行政决策程序暂行条例》",
        planned_time=f"{today.year}年第三季度",
        acting_user=editor,
        consultation=decided,
    )
    services.decision_add(
        directory=directory,
        title="杭东市中小学布局专项规划",
        owner=orgs["jyj"],
        legal_basis="《中华人民共和国教育法》",
        planned_time=f"{today.year}年12月",
        acting_user=editor,
    )
    stages = {s.stage: s for s in first.stages.all()}
    services.stage_update(
        stage=stages["participation"],
        state="done",
        started_on=decided.opens_on,
        finished_on=decided.closes_on,
        materials="征求意见稿及采纳情况反馈",
        acting_user=editor,
    )
    services.stage_update(
        stage=stages["expert"],
        state="skipped",
        note="不涉及专业性、技术性较强的问题",
        acting_user=editor,
    )
    # Published at the start of the year; since then one reviewed 调整 (published) and one
    # 新增 still a draft waiting for review (issue 13: adjustments are a content kind).
    services.directory_publish(
        directory=directory,
        acting_user=editor,
        on=min(today, datetime.date(today.year, 1, 15)),
        without_review=DEMO_HISTORY,
    )
    second = directory.decisions.get(number=2)
    change = services.directory_adjustment_create(
        directory=directory,
        action="change",
        decision=second,
        title=second.title,
        owner=second.owner,
        legal_basis=second.legal_basis,
        planned_time=f"{today.year + 1}年6月",
        reason="学龄人口预测数据更新，需补充专家论证和风险评估，完成时间顺延",
        acting_user=editor,
    )
    services.directory_adjustment_publish(
        adjustment=change, acting_user=editor, on=today, without_review=DEMO_HISTORY
    )
    services.directory_adjustment_create(
        directory=directory,
        action="add",
        title="杭东市生活垃圾分类管理实施办法",
        owner=orgs["city"],
        legal_basis="《中华人民共和国固体废物污染环境防治法》",
        planned_time=f"{today.year + 1}年3月",
        reason="市政府常务会议决定增补列入本年度目录",
        acting_user=editor,
    )
    return directory.decisions.count()


def build_participation(world: Any) -> None:
    """意见征集 (one open, one finished with feedback) and this year's 重大行政决策 directory."""
    world.counts.update(build_participation_records(world.orgs, world.staff_users))


def build_participation_records(
    orgs: dict[str, Any], staff_users: dict[str, Any]
) -> dict[str, int]:
    from gongkai.accounts.models import User

    public = {u.username: u for u in User.objects.filter(username__in=["zhangsan", "yunfan"])}
    _open_consultation(orgs, staff_users, public)
    finished = _finished_consultation(orgs, staff_users, public)
    decisions = _directory(orgs, staff_users, finished)
    return {"consultations": 2, "decisions": decisions}
