"""Shared data and helpers of the 政民互动 page tests (in the portal and staff apps)."""

from gongkai.accounts.models import Role
from gongkai.interaction import services
from gongkai.review.chain_services import review_decide

FORM = {
    "category": "consult",
    "title": "咨询公积金提取",
    "content": "我的电话13912345678，请问如何提取公积金？",
    "name": "赵六",
    "phone": "13912345678",
    "wants_public": "on",
}


RATE = {"message_submit": {"ip": (2, 3600), "captcha_after": 0}}


def _answered(org_tree, make_staff, *, wants_public=True):
    handler = make_staff(Role.FOI_HANDLER, org_tree["finance"])
    reviewers = [
        make_staff(Role.REVIEWER, org_tree["finance"], review_level=level) for level in (1, 2, 3)
    ]
    message, code = services.message_submit(
        organisation=org_tree["finance"],
        data={
            "category": "consult",
            "title": "咨询公积金提取",
            "content": "我的电话13912345678，请问如何提取？",
            "phone": "13912345678",
            "wants_public": wants_public,
        },
    )
    services.message_reply_draft(
        message=message, text="请登录公积金网上服务大厅办理。", acting_user=handler
    )
    request = services.message_reply_submit(message=message, acting_user=handler)
    for reviewer in reviewers:
        review_decide(request=request, decision="approve", acting_user=reviewer)
    message.refresh_from_db()
    return message, code


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)
