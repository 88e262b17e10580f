"""政民互动 for the demo world: a 2025 history of messages brought in through the import (for
the statistics and the self-inspection), a few live messages at the finance bureau (one answered
through its review chain and published, one still open), and the finance bureau's 新闻发布会
(the year's plan, two conferences published through review, one draft) and 舆情 ledger with the
回应关切 published for it."""

import datetime
import random
from typing import TYPE_CHECKING

from gongkai.accounts.models import Organisation, User
from gongkai.interaction import services
from gongkai.interaction.importing import messages_import
from gongkai.review.chain_services import review_chain_set, review_decide, review_submit

if TYPE_CHECKING:
    from .world import World

CHANNELS = ["website"] * 5 + ["wechat", "app", "hotline_12345", "hotline_12345", "jsjb", "letter"]
CATEGORIES = ["consult"] * 4 + ["suggestion", "complaint", "help", "report", "other"]
TOPICS = [
    (
        "咨询社保卡补办流程",
        "社保卡丢失后如何补办？需要带哪些材料？",
        "可携带身份证到任一社保服务网点补办，当场制卡。",
    ),
    (
        "建议增设公交线路",
        "建议在新城片区增设一条通往地铁站的公交线路。",
        "您的建议已转交市交通运输局研究，将结合客流调查统筹考虑。",
    ),
    (
        "投诉夜间施工噪音",
        "小区旁工地每天晚上十一点后仍在施工。",
        "经现场核查，已责令施工单位整改并依法处罚。",
    ),
    (
        "求助老旧小区加装电梯",
        "我们小区想加装电梯，不知道如何申请补助。",
        "可由业主委员会向街道提出申请，补助标准见《既有住宅加装电梯实施办法》。",
    ),
    (
        "咨询小微企业减税政策",
        "个体工商户是否适用今年的减半征收政策？",
        "适用。具体以税务部门公布的口径为准，可拨打12366咨询。",
    ),
]


def _history(orgs: dict[str, Organisation], rng: random.Random) -> int:
    records = []
    line = 1
    for org in orgs.values():
        for n in range(10):
            title, content, reply = rng.choice(TOPICS)
            # China wall-clock time, written as text for import_messages (which reads it as such).
            received = datetime.datetime(2025, 1, 6, 9, 0) + datetime.timedelta(  # noqa: DTZ001
                days=rng.randrange(340), minutes=rng.randrange(600)
            )
            # One in ten stays unanswered: the self-inspection and the statistics show it.
            answered = n != 9
            replied = received + datetime.timedelta(days=rng.randrange(1, 9), hours=3)
            line += 1
            records.append(
                (
                    line,
                    {
                        "reference": f"LY-{org.code[-6:]}-2025-{n + 1:03d}",
                        "org_code": org.code,
                        "channel": rng.choice(CHANNELS),
                        "category": rng.choice(CATEGORIES),
                        "received": received.strftime("%Y-%m-%d %H:%M"),
                        "title": title,
                        "content": content,
                        "replied": replied.strftime("%Y-%m-%d %H:%M") if answered else "",
                        "reply": reply if answered else "",
                    },
                )
            )
    return messages_import(records=records, source="演示数据")


def build_interaction(world: "World") -> None:
    """政民互动: past messages, one answered through review, press conferences and 舆情."""
    world.counts["interaction_messages"] = _build(world.orgs, world.staff_users, world.seed)
    world.counts["press_conferences"], world.counts["concern_responses"] = _press_and_concerns(
        world.orgs["czj"], world.staff_users
    )


def _build(orgs: dict[str, Organisation], staff: dict[str, User], seed: int) -> int:
    rng = random.Random(seed)
    count = _history(orgs, rng)
    finance = orgs["czj"]
    handler, reviewer = staff["czj_foi"], staff["czj_reviewer"]
    review_chain_set(
        organisation=finance,
        content_kind="message_reply",
        levels=1,
        acting_user=staff["city_admin"],
    )
    answered, _code = services.message_submit(
        organisation=finance,
        data={
            "category": "consult",
            "title": "咨询政府采购意向公开时间",
            "content": "请问本年度政府采购意向在哪里公开？联系电话13800000001。",
            "name": "张三",
            "phone": "13800000001",
            "wants_public": True,
        },
    )
    services.message_reply_draft(
        message=answered,
        text="本局政府采购意向在“政府信息公开—财政预决算”栏目按季度公开，请关注。",
        acting_user=handler,
    )
    request = review_submit(content=answered, acting_user=handler)
    review_decide(request=request, decision="approve", acting_user=reviewer)
    services.message_submit(
        organisation=finance,
        data={
            "category": "suggestion",
            "title": "建议公开部门预算项目明细",
            "content": "建议在部门预算公开时附上重点项目的绩效目标。",
            "email": "citizen@example.cn",
            "wants_public": True,
        },
    )
    return count + 2


CONFERENCES = [
    {
        "held_on": datetime.date(2026, 3, 18),
        "start_time": datetime.time(10, 0),
        "location": "杭东市人民政府新闻发布厅",
        "topic": "2026年市级财政预算安排及惠企资金兑现新闻发布会",
        "speakers": "市财政局局长 王明；市财政局预算处处长 朱宏伟",
        "transcript": (
            "主持人：各位记者朋友，上午好。今天我们邀请市财政局介绍2026年市级财政预算安排情况。\n"
            "王明：2026年全市一般公共预算支出安排186.4亿元，其中民生支出占比保持在八成以上。"
            "今年将继续实施惠企资金“免申即享”，符合条件的企业无需提出申请，资金直达企业账户。\n"
            "记者：惠企资金何时能够到账？\n"
            "朱宏伟：第一批资金将于4月底前拨付到位，具体名单在市财政局网站“财政资金直达”栏目公示。"
        ),
        "video_url": "https://video.hangdong.gov.cn/fbh/2026-03-18.mp4",
        "image_urls": "https://www.hangdong.gov.cn/fbh/2026-03-18/1.jpg\n"
        "https://www.hangdong.gov.cn/fbh/2026-03-18/2.jpg",
    },
    {
        "held_on": datetime.date(2026, 7, 22),
        "start_time": datetime.time(15, 0),
        "location": "杭东市民中心第一会议室",
        "topic": "2026年上半年财政收支情况新闻发布会",
        "speakers": "市财政局副局长 李华",
        "transcript": (
            "李华：上半年全市一般公共预算收入完成年度预算的53.1%，同比增长4.2%。"
            "教育、社会保障和就业、卫生健康等重点民生支出得到有效保障。\n"
            "记者：政府采购意向公开情况如何？\n"
            "李华：市级预算单位已全部按季度公开政府采购意向，公开时间均不晚于采购活动开始前30日。"
        ),
        "video_url": "https://video.hangdong.gov.cn/fbh/2026-07-22.mp4",
        "image_urls": "",
    },
]


def _press_and_concerns(finance: Organisation, staff: dict[str, User]) -> tuple[int, int]:
    """The finance bureau's 2026 plan, two conferences and one response published through its
    one-level review chain, a third conference left as a draft."""
    from gongkai.catalogue.selectors import public_items
    from gongkai.interaction import opinion, press
    from gongkai.policies.selectors import public_interpretations

    editor, reviewer = staff["czj_editor"], staff["czj_reviewer"]
    for kind in ("press_conference", "concern_response"):
        review_chain_set(
            organisation=finance, content_kind=kind, levels=1, acting_user=staff["city_admin"]
        )
    press.press_plan_set(
        organisation=finance,
        year=2026,
        planned_count=4,
        themes="财政预算安排；惠企资金兑现；上半年财政收支；政府采购改革",
        acting_user=editor,
    )
    policies = list(
        public_items().filter(organisation=finance).exclude(policy_kind="").order_by("id")[:2]
    )
    readings = list(public_interpretations().filter(organisation=finance).order_by("id")[:1])

    def publish(obj):
        request = review_submit(content=obj, acting_user=editor)
        review_decide(request=request, decision="approve", acting_user=reviewer)

    conferences = []
    for n, data in enumerate(CONFERENCES):
        links = {"policies": policies, "interpretations": readings} if n == 0 else {}
        conference = press.press_conference_record(
            organisation=finance, data={**data, **links}, acting_user=editor
        )
        publish(conference)
        conferences.append(conference)
    press.press_conference_record(
        organisation=finance,
        data={
            "held_on": datetime.date(2026, 10, 28),
            "location": "杭东市人民政府新闻发布厅",
            "topic": "政府采购营商环境优化举措新闻发布会",
            "speakers": "市财政局副局长 李华",
            "transcript": "（文字实录整理中）",
        },
        acting_user=editor,
    )
    item = opinion.opinion_record(
        organisation=finance,
        data={
            "collected_on": datetime.date(2026, 3, 10),
            "source": "市民热线12345",
            "link": "",
            "summary": "多家小微企业询问2026年惠企资金何时兑现、是否需要重新申报",
            "level": "significant",
            "unit": "预算处",
        },
        acting_user=editor,
    )
    response = opinion.concern_response_create(
        organisation=finance,
        data={
            "title": "关于2026年惠企资金兑现时间和方式的回应",
            "concern": "近期不少小微企业关心2026年惠企资金什么时候兑现，是否需要重新提交申报材料。",
            "response": (
                "2026年惠企资金继续实行“免申即享”，符合条件的企业无需重新申报。"
                "第一批资金将于4月底前拨付到企业账户，拨付名单在市财政局网站公示，"
                "如有疑问可拨打咨询电话0571-86000002。"
            ),
            "conference": conferences[0],
            "opinion_item": item,
            "policies": policies[:1],
        },
        acting_user=editor,
    )
    publish(response)
    return len(CONFERENCES) + 1, 1
