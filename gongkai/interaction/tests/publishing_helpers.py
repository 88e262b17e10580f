"""Shared set-up of the 新闻发布会 / 回应关切 tests (services here, pages in portal and staff):
an editor, the three reviewers of the default chain, a public policy and interpretation."""

from datetime import date

from gongkai.accounts.models import Role
from gongkai.catalogue.tests.factories import InformationItemFactory
from gongkai.policies.tests.factories import InterpretationFactory
from gongkai.review.chain_services import review_decide, review_submit

CONFERENCE = {
    "held_on": date(2025, 9, 26),
    "location": "市政府新闻发布厅",
    "topic": "《杭东市老旧小区改造三年行动方案》新闻发布会",
    "speakers": "市住房和城乡建设局副局长 陈立",
    "transcript": "陈立：今年全市计划改造老旧小区120个，惠及居民3.2万户。",
    "video_url": "https://video.hangdong.gov.cn/fbh/20250926.mp4",
    "image_urls": "https://img.hangdong.gov.cn/fbh/1.jpg\nhttps://img.hangdong.gov.cn/fbh/2.jpg",
}

CONCERN = {
    "title": "关于老旧小区改造资金拨付进度的回应",
    "concern": "有市民关注老旧小区改造补助资金何时拨付到位。",
    "response": "首批补助资金1.2亿元已于9月下达各区，剩余资金年底前拨付。",
}


def people(org_tree, make_staff):
    organisation = org_tree["finance"]
    editor = make_staff(Role.EDITOR, organisation)
    reviewers = [make_staff(Role.REVIEWER, organisation, review_level=n) for n in (1, 2, 3)]
    return editor, reviewers


def public_policy(organisation, **kwargs):
    defaults = {
        "index_number": "113301000024900002/2025-00042",
        "title": "杭东市老旧小区改造三年行动方案",
        "doc_number": "杭政办〔2025〕12号",
        "status": "published",
        "published_date": date(2025, 9, 1),
        "policy_kind": "normative",
    }
    return InformationItemFactory.create(organisation=organisation, **{**defaults, **kwargs})


def public_interpretation(organisation, **kwargs):
    defaults = {
        "title": "一图读懂老旧小区改造三年行动方案",
        "status": "published",
        "published_date": date(2025, 9, 2),
    }
    return InterpretationFactory.create(organisation=organisation, **{**defaults, **kwargs})


def approve(obj, editor, reviewers):
    """Submit ``obj`` and approve it at every level; returns the final outcome."""
    request = review_submit(content=obj, acting_user=editor)
    outcome = None
    for reviewer in reviewers:
        outcome = review_decide(request=request, decision="approve", acting_user=reviewer)
    obj.refresh_from_db()
    return outcome
