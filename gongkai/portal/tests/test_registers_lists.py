"""View tests moved from gongkai/registers/tests/test_lists.py (issue 11 item 7)."""

import io

import pytest
from openpyxl import load_workbook

from gongkai.registers import kinds
from gongkai.registers.tests.conftest import D, power

pytestmark = pytest.mark.django_db


def test_public_list_search_history_and_excel(client, chain, adjust):
    org, _editor, _reviewers = chain
    adjust("add", D(2025, 1, 1), values=power(name="甲事项", category="检查"))
    b = adjust("add", D(2025, 1, 1), values=power(name="乙事项"))
    adjust("cancel", D(2025, 6, 1), entry=b.entry)
    url = f"/zfxxgk/qingdan/{org.pk}/powers/"
    html = client.get(url).content.decode()
    assert "甲事项" in html
    assert "乙事项" not in html
    html = client.get(url, {"on": "2025-05-31"}).content.decode()
    assert "甲事项" in html
    assert "乙事项" in html
    html = client.get(url, {"on": "2025-05-31", "category": "处罚"}).content.decode()
    assert "甲事项" not in html
    assert "乙事项" in html
    html = client.get(url, {"on": "2025-05-31", "q": "甲"}).content.decode()
    assert "甲事项" in html
    assert "乙事项" not in html
    history = client.get(url + "history/").content.decode()
    assert "取消" in history
    assert "乙事项" in history
    assert "cancel理由" in history
    response = client.get(url, {"export": "xlsx", "on": "2025-05-31"})
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "杭东市财政局权责清单（2025-05-31）"
    assert rows[1] == (
        "事项编码",
        *[label for _n, label in kinds.kind_columns("powers")],
        "起始日期",
    )
    assert [r[:3] for r in rows[2:]] == [
        ("QZ-0001", "甲事项", "行政检查"),
        ("QZ-0002", "乙事项", "行政处罚"),
    ]
    assert client.get(f"/zfxxgk/qingdan/{org.pk}/nosuch/").status_code == 404
