"""The demo world's public participation: an open consultation with comments, a finished one
with its published 意见采纳情况反馈 and final document, this year's 重大行政决策事项目录, three
政策评价 reports and the 政府开放日 around them.

Everything goes through the participation services. Like the rest of the demo's history, the
consultations and the feedback are published with the audited ``without_review`` reason; the
政策评价 reports are new work, drafted by the departments' editors and published by the final
approval of their review chain.
"""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from gongkai.catalogue.selectors import public_items
from gongkai.participation import rules, services
from gongkai.participation.models import Consultation, PolicyEvaluation
from gongkai.review.chain_services import review_submit

from .reviewing import approve_every_level

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


# 政策评价 of three departments' policies in force: (organisation, words of the policy's title,
# report title, plan, methods, the five findings).
EVALUATIONS: list[tuple[str, str, str, str, list[str], dict[str, str]]] = [
    (
        "jyj",
        "学生资助",
        "杭东市学生资助政策实施情况评价报告",
        "委托第三方评估机构，对政策实施以来的资助对象认定、资金发放和资助成效进行评价；"
        "抽取全市20所学校，走访受助学生家庭60户。",
        ["survey", "interview", "open_day"],
        {
            "standard": "学前教育、义务教育、普通高中三个学段的资助标准均按文件规定执行，"
            "资助资金按学期足额发放。",
            "scope": "全市公办和民办学校中家庭经济困难学生，覆盖城乡各学段。",
            "usage": "政策实施以来累计资助学生2.3万人次，资助资金1.12亿元，"
            "家庭经济困难学生认定实现线上办理。",
            "results": "未发现因家庭经济困难失学辍学的情况；受助学生家庭满意度为96.4%。",
            "problems": "部分民办学校资助工作人员变动频繁，认定材料审核不够规范；"
            "建议加强培训并将民办学校纳入年度绩效评价。",
        },
    ),
    (
        "scjgj",
        "个体工商户培育扶持",
        "杭东市个体工商户培育扶持政策评价报告",
        "采取问卷调查、专题座谈和舆情监测相结合的方式，评价扶持措施的落实和市场主体的获得感。",
        ["survey", "symposium", "monitoring", "open_day"],
        {
            "standard": "一次性创业补贴、租金补助和担保贷款贴息均按文件规定的标准兑现。",
            "scope": "本市登记注册的个体工商户，重点为首次登记和吸纳就业较多的个体工商户。",
            "usage": "回收有效问卷1860份；政策兑现资金3260万元，惠及个体工商户4100余户。",
            "results": "全市个体工商户数量同比增长8.2%，“个转企”412户。",
            "problems": "政策知晓率在城郊地区偏低；部分补贴申报材料仍需纸质提交，"
            "建议推进全程网办。",
        },
    ),
    (
        "czj",
        "预算绩效管理",
        "杭东市预算绩效管理政策执行情况评价报告",
        "对市级部门预算绩效目标编报、运行监控和评价结果应用情况开展评价。",
        ["interview", "online"],
        {
            "standard": "绩效目标随预算同步编报、同步审核，评价结果与下年度预算安排挂钩。",
            "scope": "市级预算部门及其所属单位的全部项目支出。",
            "usage": "市级项目支出绩效目标编报率100%，重点项目绩效评价覆盖资金48.6亿元。",
            "results": "根据评价结果调减低效项目预算1.7亿元，绩效评价报告向社会公开。",
            "problems": "部分绩效指标设置不够细化量化，评价结果应用的刚性约束有待加强。",
        },
    ),
]


def _policy_of(orgs: dict[str, Any], org_key: str, words: str) -> Any:
    return (
        public_items()
        .filter(organisation=orgs[org_key], title__contains=words, validity="valid")
        .exclude(policy_kind="")
        .order_by("published_date", "id")
        .first()
    )


def _evaluations(orgs: dict[str, Any], staff: dict[str, Any]) -> list[PolicyEvaluation]:
    """Drafted by each department's editor, submitted, approved at every level: the final
    approval publishes them (先审后发, no ``without_review``)."""
    published = []
    for org_key, words, title, plan, methods, findings in EVALUATIONS:
        policy = _policy_of(orgs, org_key, words)
        if policy is None:
            continue
        editor = staff[f"{org_key}_editor"]
        evaluation = services.evaluation_create(
            organisation=orgs[org_key],
            policy=policy,
            title=title,
            plan=plan,
            methods=methods,
            acting_user=editor,
            **findings,
        )
        review_submit(content=evaluation, acting_user=editor)
        approve_every_level(evaluation, submitted_by=editor)
        evaluation.refresh_from_db()
        published.append(evaluation)
    return published


@dataclass(frozen=True)
class _OpenDay:
    org: str
    days_from_today: int  # negative: already held
    title: str
    description: str
    place: str
    capacity: int
    closes_days_before: int
    # Held for the organisation's 政策评价 (left out when the world has none for it).
    of_evaluation: bool
    registrations: tuple[tuple[str, str, str], ...] = ()  # (username, name, phone)


_OPEN_DAYS = (
    _OpenDay(
        org="jyj",
        days_from_today=-40,
        title="走进学生资助管理中心——学生资助政策开放日",
        description="介绍学生资助政策和家庭经济困难学生认定流程，听取家长和学生代表对"
        "资助政策的意见建议，现场演示线上认定系统。",
        place="杭东市教育局学生资助管理中心（东城区文教路22号）",
        capacity=30,
        closes_days_before=5,
        of_evaluation=True,
        registrations=(("zhangsan", "张三", "13800000001"), ("yunfan", "李云帆", "13800000002")),
    ),
    _OpenDay(
        org="scjgj",
        days_from_today=18,
        title="个体工商户扶持政策“面对面”开放日",
        description="邀请个体工商户代表走进登记注册窗口，体验“个转企”一站式办理，"
        "就扶持政策的兑现情况面对面交流。",
        place="杭东市市场监督管理局一楼登记注册大厅（滨湖新区环湖北路9号）",
        capacity=40,
        closes_days_before=3,
        of_evaluation=True,
        registrations=(("yunfan", "李云帆", "13800000002"),),
    ),
    _OpenDay(
        org="xihu",
        days_from_today=32,
        title="西湖区政务服务中心开放日",
        description="参观区政务服务中心，了解“一网通办”和就业创业补贴申领流程，"
        "与窗口工作人员交流办事体验。",
        place="杭东市西湖区政务服务中心（文三路99号）",
        capacity=50,
        closes_days_before=5,
        of_evaluation=False,
    ),
)
# A held 开放日's registrations are dated this many days before it (a coming one's: now).
_REGISTERED_DAYS_BEFORE_HELD = 12


def _open_days(
    orgs: dict[str, Any],
    staff: dict[str, Any],
    public: dict[str, Any],
    evaluations: list[PolicyEvaluation],
) -> int:
    """政府开放日: one held for the first evaluation (with its registrations), one coming for the
    second, and a district one of its own, open for registration."""
    today = rules.china_date(timezone.now())
    by_org = {e.organisation_id: e for e in evaluations}
    events = 0
    for spec in _OPEN_DAYS:
        evaluation = by_org.get(orgs[spec.org].pk) if spec.of_evaluation else None
        if spec.of_evaluation and evaluation is None:
            continue
        day = today + datetime.timedelta(days=spec.days_from_today)
        event = services.open_day_create(
            organisation=orgs[spec.org],
            evaluation=evaluation,
            title=spec.title,
            description=spec.description,
            held_on=day,
            place=spec.place,
            capacity=spec.capacity,
            registration_closes_on=day - datetime.timedelta(days=spec.closes_days_before),
            acting_user=staff[f"{spec.org}_editor"],
        )
        registered_at = (
            _at(day - datetime.timedelta(days=_REGISTERED_DAYS_BEFORE_HELD))
            if day < today
            else None
        )
        for username, name, phone in spec.registrations:
            services.open_day_register(
                event=event, user=public[username], name=name, phone=phone, now=registered_at
            )
        events += 1
    return events


def build_participation(world: Any) -> None:
    """意见征集 (one open, one finished with feedback), this year's 重大行政决策 directory, and
    the 政策评价 reports with their 政府开放日."""
    world.counts.update(build_participation_records(world.orgs, world.staff_users))


def build_participation_records(
    orgs: dict[str, Any], staff_users: dict[str, Any]
) -> dict[str, int]:
    from gongkai.accounts.models import User

    public = {u.username: u for u in User.objects.filter(username__in=["zhangsan", "yunfan"])}
    _open_consultation(orgs, staff_users, public)
    finished = _finished_consultation(orgs, staff_users, public)
    decisions = _directory(orgs, staff_users, finished)
    evaluations = _evaluations(orgs, staff_users)
    open_days = _open_days(orgs, staff_users, public, evaluations)
    return {
        "consultations": 2,
        "decisions": decisions,
        "policy_evaluations": len(evaluations),
        "open_days": open_days,
    }
