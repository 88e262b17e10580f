"""View tests moved from gongkai/interaction/tests/test_press.py (issue 11 item 7)."""

import pytest
from django.utils import timezone

from gongkai.accounts.models import Role

pytestmark = pytest.mark.django_db


def test_staff_page_shows_the_figures(client, org_tree, make_staff):
    editor = make_staff(Role.EDITOR, org_tree["finance"])
    client.force_login(editor)
    year = timezone.localdate().year
    client.post("/staff/interaction/press/", {"form": "plan", "year": year, "planned_count": 3})
    client.post(
        "/staff/interaction/press/",
        {
            "form": "record",
            "held_on": timezone.localdate().isoformat(),
            "topic": "优化营商环境新闻发布会",
            "speakers": "市财政局局长",
        },
    )
    html = client.get("/staff/interaction/press/").content.decode()
    assert f"{year}年计划3场，已开展1场" in html
    assert "优化营商环境新闻发布会" in html
