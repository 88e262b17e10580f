"""View tests moved from gongkai/reports/tests/test_annual_report.py (issue 11 item 7)."""


def test_api_returns_the_report_to_its_staff(report_world, client, make_staff):
    url = f"/api/v1/reports/annual/2025?org={report_world['finance'].code}"
    assert client.get(url).status_code == 404  # unpublished: not for the public
    client.force_login(make_staff("admin", report_world["finance"]))
    response = client.get(url)
    assert response.status_code == 200
    body = response.json()
    assert body["applications"]["rows"]["new"]["total"] == 5
    assert client.get("/api/v1/reports/annual/2025?org=missing").status_code == 404
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/reports/annual/{year}" in schema["paths"]
