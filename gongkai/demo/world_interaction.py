"""政民互动 messages for the demo world: a 2025 history brought in through the import (for the
statistics and the self-inspection) and a few live messages at the finance bureau, one of them
answered through its review chain and published, one still open."""

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
