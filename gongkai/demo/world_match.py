"""The demo world's 政策兑现 information and one 政策找人 profile (issue 14).

Four public, 有效 policies get conditions, written like historical imports
(``policies.services.policy_conditions_bulk_create``); the enterprise account ``yunfan``
(杭东云帆科技有限公司, 应用软件开发 I6513, small, founded 2022-05-01, 科技型中小企业, in 西湖区)
matches two of them and misses two by one condition each."""

import datetime
from typing import Any

from gongkai.accounts.models import Organisation, User
from gongkai.catalogue.models import InformationItem
from gongkai.policies.conditions import ConditionsData
from gongkai.policies.models import MatchProfile, Qualification
from gongkai.policies.services import match_profile_save, policy_conditions_bulk_create

D = datetime.date

HOW = {
    "procedure": (
        "1. 登录“杭东政务服务网”在线申报；2. 受理科室5个工作日内初审；3. 公示5个工作日后拨付。"
    ),
    "materials": "申请表、营业执照副本、上年度财务报表、相关资质证书。",
    "office": "企业服务科",
    "phone": "0571-87009001",
    "redemption": "资金直达企业账户（免申即享的除外）",
}


def build_match(world: Any) -> None:
    """政策兑现 conditions on four policies and the enterprise yunfan's 政策找人 profile."""
    build_match_world(world.orgs)


def build_match_world(orgs: dict[str, Organisation]) -> int:
    """Attach conditions to four demo policies and save yunfan's profile; returns how many
    policies got conditions."""
    quals = dict(Qualification.objects.values_list("name", "id"))
    policies = list(
        InformationItem.objects.filter(
            status=InformationItem.Status.PUBLISHED,
            disclosure=InformationItem.Disclosure.PROACTIVE,
            validity=InformationItem.Validity.VALID,
            revision_of=None,
        )
        .exclude(policy_kind="")
        .order_by("-published_date", "id")[:4]
    )
    specs = [
        ConditionsData(
            region_ids=[orgs["city"].pk],
            industries=["I65"],
            scales=["small", "micro"],
            min_years=2,
            qualification_ids=[quals["科技型中小企业"]],
            apply_from=D(2026, 1, 1),
            apply_until=D(2027, 12, 31),
            texts={**HOW, "amount": "研发费用的10%，最高50万元"},
        ),
        ConditionsData(
            region_ids=[orgs["xihu"].pk], industries=["C", "I"], texts={**HOW, "amount": "20万元"}
        ),
        ConditionsData(
            qualification_ids=[quals["高新技术企业"]], texts={**HOW, "amount": "一次性奖励30万元"}
        ),
        ConditionsData(scales=["large", "medium"], texts={**HOW, "amount": "最高100万元"}),
    ]
    pairs = list(zip(policies, specs, strict=False))
    policy_conditions_bulk_create(pairs=pairs)
    user = User.objects.filter(username="yunfan").first()
    if user is not None and not MatchProfile.objects.filter(user=user).exists():
        match_profile_save(
            user=user,
            data={
                "name": "杭东云帆科技有限公司",
                "credit_code": "91330106MA2XXXXX0Y",
                "region": orgs["xihu"],
                "industry": "I6513",
                "scale": "small",
                "established": D(2022, 5, 1),
                "qualifications": list(Qualification.objects.filter(name="科技型中小企业")),
            },
            acting_user=user,
        )
    return len(pairs)
