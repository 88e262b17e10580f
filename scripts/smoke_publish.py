"""Deployment smoke test, the publishing part: run in app server 1's environment (its database,
its search index directory) by scripts/smoke.py, after `gongkai import_organisations` and
`gongkai createsuperuser`.

An editor and three reviewers are created and granted their roles through the account
services; the editor drafts a notice and the three levels of the default review chain approve
it (先审后发), exactly as the workbench would. Prints one JSON line: the published item.
Usage: python scripts/smoke_publish.py ORG_CODE ADMIN_USERNAME UNIQUE_WORD
"""

import datetime
import json
import secrets
import sys

import django

django.setup()

from gongkai.accounts.models import Organisation, Role, User  # noqa: E402
from gongkai.accounts.services import role_assign, staff_user_create  # noqa: E402
from gongkai.catalogue.services import item_create  # noqa: E402
from gongkai.review import chain_services  # noqa: E402


def main(org_code: str, admin_username: str, word: str) -> None:
    organisation = Organisation.objects.get(code=org_code)
    admin = User.objects.get(username=admin_username, is_superuser=True)

    def staff(username: str, display_name: str, role: str, level: int = 0) -> User:
        user = staff_user_create(
            username=username,
            # token_urlsafe may draw no digit or no capital: the password rule wants three of
            # the four classes, so every class is added (the smoke run failed on such a draw).
            password=secrets.token_urlsafe(16) + "Aa1!",
            display_name=display_name,
            acting_user=admin,
        )
        role_assign(
            user=user,
            organisation=organisation,
            role=role,
            review_level=level,
            acting_user=admin,
        )
        return user

    editor = staff("smoke-editor", "冒烟编辑", Role.EDITOR)
    reviewers = [staff(f"smoke-rev{n}", f"冒烟审核{n}", Role.REVIEWER, n) for n in (1, 2, 3)]
    item = item_create(
        organisation=organisation,
        data={
            "title": f"关于{word}试点工作的通知",
            "written_date": datetime.date.today(),
            "summary": "部署上线冒烟测试的公开通知。",
            "body": f"<p>各单位：现就{word}试点工作通知如下。</p>",
            "genre": "notice",
        },
        acting_user=editor,
    )
    request = chain_services.review_submit(content=item, acting_user=editor)
    outcome = None
    for reviewer in reviewers:
        request.refresh_from_db()
        outcome = chain_services.review_decide(
            request=request, decision="approve", acting_user=reviewer
        )
    item.refresh_from_db()
    print(
        json.dumps(
            {
                "id": item.pk,
                "title": item.title,
                "status": item.status,
                "index_number": item.index_number,
                "published": bool(outcome and outcome.published),
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main(*sys.argv[1:4])
