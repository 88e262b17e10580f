from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from gongkai.accounts.models import Role
from gongkai.foi import services
from gongkai.foi.models import Case

SH = ZoneInfo("Asia/Shanghai")


def application(**over):
    data = {
        "applicant_type": "natural",
        "applicant_name": "李四",
        "id_document_type": "resident_id",
        "id_number": "110105199001011234",
        "phone": "13812341234",
        "address": "浙江省杭东市西湖区文三路100号",
        "email": "lisi@example.cn",
        "info_title": "2025年城市道路养护资金使用情况",
        "info_doc_number": "杭东财〔2025〕12号",
        "info_description": "",
        "provide_form": "electronic",
        "delivery_method": "email",
    }
    data.update(over)
    return data


VALID_ID = "110105199001011232"


def form_data(org, **over):
    """The public application form as posted by the portal page."""
    data = {
        "organisation": str(org.pk),
        "applicant_type": "natural",
        "applicant_name": "王五",
        "id_document_type": "resident_id",
        "id_number": VALID_ID,
        "phone": "13900001111",
        "email": "wangwu@example.cn",
        "address": "浙江省杭东市上城区解放路1号",
        "postcode": "310000",
        "info_title": "2025年部门预算公开表",
        "info_doc_number": "",
        "info_description": "",
        "provide_form": "electronic",
        "delivery_method": "email",
    }
    data.update(over)
    return data


@pytest.fixture
def handler(org_tree, make_staff):
    return make_staff(Role.FOI_HANDLER, org_tree["finance"], username="handler_fin")


@pytest.fixture
def head(org_tree, make_staff):
    user = make_staff(Role.ADMIN, org_tree["finance"], username="head_fin")
    user.email = "head@example.cn"
    user.save()
    return user


@pytest.fixture
def other_handler(org_tree, make_staff):
    return make_staff(Role.FOI_HANDLER, org_tree["office"], username="handler_office")


@pytest.fixture
def record_case(org_tree, handler):
    """An in-person application: received the day it was handed in (第三十一条第一项)."""

    def make(received: date, **over) -> Case:
        case, _code = services.case_record(
            organisation=org_tree["finance"],
            data=application(**over),
            channel="in_person",
            arrived=received,
            acting_user=handler,
        )
        return case

    return make


@pytest.fixture
def online_case(org_tree):
    """An online application submitted on a given day (submission time set for the test)."""

    def make(submitted: date, **over) -> tuple[Case, str]:
        case, code = services.case_submit(
            organisation=org_tree["finance"], data=application(**over)
        )
        Case.objects.filter(pk=case.pk).update(
            submitted_at=datetime(submitted.year, submitted.month, submitted.day, 9, 30, tzinfo=SH)
        )
        case.refresh_from_db()
        return case, code

    return make


@pytest.fixture
def reviewers(org_tree, make_staff):
    """初审, 复审 and 终审 reviewers of the finance bureau (levels 1, 2, 3)."""
    return {
        level: make_staff(
            Role.REVIEWER, org_tree["finance"], username=f"reviewer{level}_fin", review_level=level
        )
        for level in (1, 2, 3)
    }


@pytest.fixture
def approve_reply(handler, reviewers):
    """Send the case's current reply letter through the review chain: the handler submits,
    each level's reviewer approves (先审后发; the platform default is three levels)."""
    from gongkai.review.chain_services import review_decide, review_submit

    def run(case: Case, submitter=None):
        letter = services.current_reply(case)
        request = review_submit(content=letter, acting_user=submitter or handler)
        for level in range(1, request.levels + 1):
            review_decide(request=request, decision="approve", acting_user=reviewers[level])
        letter.refresh_from_db()
        return letter

    return run
