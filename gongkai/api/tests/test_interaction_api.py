"""View tests moved from gongkai/interaction/tests/test_api.py (issue 11 item 7)."""

import json

import pytest
from django.core.management import call_command

from gongkai.interaction.tests.test_api import HEADER

pytestmark = pytest.mark.django_db


def test_api_stats_equal_the_command(tmp_path, org_tree, client, capsys):
    fin = org_tree["finance"].code
    path = tmp_path / "m.csv"
    path.write_text(
        HEADER + f"S-1,{fin},hotline_12345,consult,2025-09-26 10:00,t,c,2025-10-09 10:00,r\n"
        f"S-2,{fin},jsjb,help,2025-09-30 10:00,t,c,,\n",
        encoding="utf-8",
    )
    call_command("import_messages", str(path))
    capsys.readouterr()
    args = {"org": fin, "from": "2025-09-01", "to": "2025-10-31"}
    call_command("interaction_stats", "--org", fin, "--from", args["from"], "--to", args["to"])
    from_command = json.loads(capsys.readouterr().out)
    response = client.get("/api/v1/interaction/stats", {**args, "format": "json"})
    assert response.status_code == 200
    assert response.json() == from_command
    assert from_command["replied"] == 1
    assert from_command["replied_on_time"] == 0
    assert from_command["open_overdue"] == 1


def test_api_stats_errors(org_tree, client):
    response = client.get(
        "/api/v1/interaction/stats", {"org": "NOPE", "from": "2025-01-01", "to": "2025-02-01"}
    )
    assert response.status_code == 404
    response = client.get(
        "/api/v1/interaction/stats",
        {"org": org_tree["city"].code, "from": "2025-03-01", "to": "2025-02-01"},
    )
    assert response.status_code == 422
    assert response.json()["detail"] == "截止日期不能早于起始日期"


def test_openapi_schema_documents_the_endpoints(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/interaction/messages" in schema["paths"]
    assert "/api/v1/interaction/stats" in schema["paths"]
