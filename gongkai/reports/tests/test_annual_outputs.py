"""What users get of the annual report — the staff preview, `annual_report --format html|pdf`,
the page published on the portal, the API — checked cell by cell against the JSON and against
hand-worked figures of a small city, in both 统计范围."""

import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import call_command

from gongkai.accounts.models import Role
from gongkai.core.pdf import cjk_fonts_available
from gongkai.foi.tests.factories import AdminReviewFactory
from gongkai.reports import services
from gongkai.reports.annual import (
    SCOPE_ALL,
    SCOPE_LEVEL,
    SCOPE_OWN,
    scope_members,
)
from gongkai.reports.build import build_annual_report
from gongkai.reports.models import AnnualReport
from gongkai.review.chain_models import ReviewRequest
from gongkai.review.chain_services import review_decide

from .outputs import html_tables, json_figure_rows, json_tables, pdf_figure_rows
from .test_annual_report import make_cases
from .test_annual_rules import facts, row
from .test_proactive_table import make_item

pytestmark = pytest.mark.django_db

# Cases by organisation; the comment says where each one counts in 2025.
CITY_CASES = {
    "city": [facts("natural", "2025-02-03", "2025-02-20", "1")],  # 一, (一)
    "finance": [
        facts("business", "2025-03-03", "2025-04-01", "3.4"),  # 一, (三)4
        facts("natural", "2025-05-06"),  # 一, 四 (still open)
    ],
    "district": [
        facts("natural", "2025-06-02", "2025-06-30", "4.1"),  # 一, (四)1
        facts("legal_service", "2025-07-01", "2025-07-20", "2"),  # 一, (二)
        facts("natural", "2024-12-16", "2025-01-10", "1"),  # 二, (一)
    ],
    "district_edu": [facts("research", "2025-08-01", "2025-08-15", "5.2")],  # 一, (五)2
}


@pytest.fixture
def city(org_tree):
    for key, cases in CITY_CASES.items():
        make_cases(org_tree[key], cases, key.upper())
    # Table 二: one 规章 of the district, three 规范性文件 of the finance bureau.
    make_item(org_tree["district"], "rule", date(2025, 9, 1))
    make_item(org_tree["finance"], "normative", date(2025, 3, 1))
    make_item(org_tree["finance"], "normative", date(2024, 6, 1))
    make_item(
        org_tree["finance"],
        "normative",
        date(2023, 1, 1),
        validity="repealed",
        validity_date=date(2025, 8, 1),
    )
    # Table 四: a 行政复议 upheld in 2025 (district), a 复议后起诉 still pending (finance).
    case_model = apps.get_model("foi", "Case")
    AdminReviewFactory.create(
        case=case_model.objects.get(reference="DISTRICT-0"),
        kind="review",
        result="upheld",
        filed_date=date(2025, 7, 10),
        decided_date=date(2025, 9, 1),
    )
    AdminReviewFactory.create(
        case=case_model.objects.get(reference="FINANCE-0"),
        kind="litigation_after_review",
        result="pending",
        filed_date=date(2025, 11, 3),
    )
    return org_tree


@pytest.fixture
def city_admin(city, make_staff):
    return make_staff(Role.ADMIN, city["city"], username="city_admin")


def entered(admin, org, scope=SCOPE_ALL, **over):
    data = {
        "overview": "本年度政务公开工作稳步推进。",
        "problems": "政策解读形式较单一。",
        "other_matters": "无其他需要报告的事项。",
        "licensing_decisions": 12,
        "penalty_decisions": 3,
        "enforcement_decisions": 0,
        "fees_collected_wan": Decimal("1.5"),
        **over,
    }
    return services.annual_report_save(
        organisation=org, year=2025, scope=scope, data=data, acting_user=admin
    )


# Hand-worked table 三 of the city in each 统计范围 (only non-zero rows listed).
ALL_ROWS = {
    "new": row(natural=3, business=1, research=1, legal_service=1),
    "carried_in": row(natural=1),
    "1": row(natural=2),
    "2": row(legal_service=1),
    "3.4": row(business=1),
    "4.1": row(natural=1),
    "5.2": row(research=1),
    "total": row(natural=3, business=1, research=1, legal_service=1),
    "carried_out": row(natural=1),
}
LEVEL_ROWS = {
    "new": row(natural=2, business=1),
    "1": row(natural=1),
    "3.4": row(business=1),
    "total": row(natural=1, business=1),
    "carried_out": row(natural=1),
}
OWN_ROWS = {"new": row(natural=1), "1": row(natural=1), "total": row(natural=1)}


def assert_rows(report, expected):
    for key, values in report["applications"]["rows"].items():
        assert values == expected.get(key, row()), key


def test_scope_members_cut_the_tree_at_subordinate_governments():
    tree = {
        1: (None, "government"),
        2: (1, "department"),
        3: (1, "government"),
        4: (3, "department"),
        5: (2, "other"),
    }
    assert scope_members(tree, 1, SCOPE_OWN) == {1}
    assert scope_members(tree, 1, SCOPE_LEVEL) == {1, 2, 5}
    assert scope_members(tree, 1, SCOPE_ALL) == {1, 2, 3, 4, 5}
    assert scope_members(tree, 3, SCOPE_LEVEL) == {3, 4}
    with pytest.raises(ValueError, match="unknown report scope 'city'"):
        scope_members(tree, 1, "city")


def test_the_two_scopes_of_a_city_report_count_exactly_their_cases(city):
    rolled = build_annual_report(city["city"], 2025)  # a government's default: 含下级政府
    assert (rolled["scope"], rolled["scope_label"], rolled["include_subordinates"]) == (
        "all",
        "含下级政府",
        True,
    )
    assert_rows(rolled, ALL_ROWS)
    level = build_annual_report(city["city"], 2025, scope=SCOPE_LEVEL)
    assert (level["scope"], level["scope_label"]) == ("level", "本级政府及其部门")
    assert_rows(level, LEVEL_ROWS)
    own = build_annual_report(city["city"], 2025, scope=SCOPE_OWN)
    assert (own["scope"], own["scope_label"]) == ("own", "本机关")
    assert_rows(own, OWN_ROWS)
    assert rolled["checks"]["ok"]
    assert level["checks"]["ok"]
    assert own["checks"]["ok"]
    assert rolled["proactive"]["rows"] == {
        "rules": {"issued": 1, "repealed": 0, "in_force": 1},
        "normative": {"issued": 1, "repealed": 1, "in_force": 2},
    }
    # The district's 规章 is not the city level's.
    assert level["proactive"]["rows"]["rules"] == {"issued": 0, "repealed": 0, "in_force": 0}
    assert rolled["reviews"]["rows"]["review"]["upheld"] == 1
    assert level["reviews"]["rows"]["review"]["total"] == 0
    assert level["reviews"]["rows"]["litigation_after_review"]["pending"] == 1
    # A department's default is itself.
    finance = build_annual_report(city["finance"], 2025)
    assert finance["scope"] == "own"
    assert finance["applications"]["rows"]["new"] == row(natural=1, business=1)


def test_each_scope_keeps_its_own_draft(city, city_admin):
    entered(city_admin, city["city"], SCOPE_LEVEL, overview="本级政府及其部门的总体情况。")
    entered(city_admin, city["city"], SCOPE_ALL, overview="全市的总体情况。")
    assert build_annual_report(city["city"], 2025, scope=SCOPE_LEVEL)["sections"]["overview"] == (
        "本级政府及其部门的总体情况。"
    )
    assert build_annual_report(city["city"], 2025)["sections"]["overview"] == "全市的总体情况。"
    assert sorted(AnnualReport.objects.values_list("scope", flat=True)) == ["all", "level"]


def run_command(*args):
    out = io.StringIO()
    call_command("annual_report", "--year", "2025", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(("scope", "expected"), [("level", LEVEL_ROWS), ("all", ALL_ROWS)])
def test_command_scope_option_and_html_cells_equal_the_json(city, city_admin, scope, expected):
    entered(city_admin, city["city"], scope)
    code = city["city"].code
    report = json.loads(run_command("--org", code, "--scope", scope))
    assert_rows(report, expected)
    html = run_command("--org", code, "--scope", scope, "--format", "html")
    assert html_tables(html) == json_tables(report)
    label = {"level": "本级政府及其部门", "all": "含下级政府"}[scope]
    assert f'<p class="report-scope">统计范围：{label}</p>' in html


def test_command_html_shows_the_hand_worked_figures(city, city_admin):
    entered(city_admin, city["city"])
    tables = html_tables(run_command("--org", city["city"].code, "--format", "html"))
    apps_table = tables["applications"]
    # columns: 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计
    assert apps_table["一、本年新收政府信息公开申请数量"] == ["3", "1", "1", "0", "1", "0", "6"]
    assert apps_table["二、上年结转政府信息公开申请数量"] == ["1", "0", "0", "0", "0", "0", "1"]
    assert apps_table["（一）予以公开"] == ["2", "0", "0", "0", "0", "0", "2"]
    assert apps_table["4.保护第三方合法权益"] == ["0", "1", "0", "0", "0", "0", "1"]
    assert apps_table["1.本机关不掌握相关政府信息"] == ["1", "0", "0", "0", "0", "0", "1"]
    assert apps_table["2.重复申请"] == ["0", "0", "1", "0", "0", "0", "1"]
    assert apps_table["（七）总计"] == ["3", "1", "1", "0", "1", "0", "6"]
    assert apps_table["四、结转下年度继续办理"] == ["1", "0", "0", "0", "0", "0", "1"]
    assert len(apps_table) == 25
    assert tables["proactive"] == {"规章": ["1", "0", "1"], "行政规范性文件": ["1", "1", "2"]}
    assert tables["decisions"] == {"行政许可": ["12"], "行政处罚": ["3"], "行政强制": ["0"]}
    assert tables["fees"] == {"行政事业性收费": ["1.5000"]}
    # 行政复议 维持 1 of 1; 复议后起诉 尚未审结 1 of 1.
    assert tables["reviews"] == [
        ["1", "0", "0", "0", "1", "0", "0", "0", "0", "0", "0", "0", "0", "1", "1"]
    ]


def test_pdf_figures_equal_the_json(city, city_admin, tmp_path):
    from pdfminer.high_level import extract_text

    if not cjk_fonts_available():
        pytest.fail("fonts-noto-cjk is required for the PDF tests (make system-deps)")
    entered(city_admin, city["city"])
    target = tmp_path / "report.pdf"
    run_command("--org", city["city"].code, "--format", "pdf", "--output", str(target))
    report = json.loads(run_command("--org", city["city"].code))
    pdf = target.read_bytes()
    rows = pdf_figure_rows(pdf)
    assert rows == json_figure_rows(report)
    # Spot checks against the hand-worked year: 一 and (七) of table 三, table 四.
    assert rows[6] == ["3", "1", "1", "0", "1", "0", "6"]
    assert rows[6 + 23] == ["3", "1", "1", "0", "1", "0", "6"]
    assert rows[-1] == ["1", "0", "0", "0", "1", "0", "0", "0", "0", "0", "0", "0", "0", "1", "1"]
    text = extract_text(io.BytesIO(pdf)).replace("\n", "").replace(" ", "")
    assert "统计范围：含下级政府" in text
    assert "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）" in text
    for title in ("二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府"):
        assert title in text


SCOPE_LABELS = [("level", "本级政府及其部门"), ("all", "含下级政府")]


@pytest.mark.parametrize(("scope", "label"), SCOPE_LABELS)
def test_docx_prints_the_scope(city, city_admin, tmp_path, scope, label):
    from docx import Document

    entered(city_admin, city["city"], scope)
    target = tmp_path / "report.docx"
    run_command(
        "--org", city["city"].code, "--scope", scope, "--format", "docx", "--output", str(target)
    )
    paragraphs = [p.text for p in Document(str(target)).paragraphs]
    assert paragraphs[:2] == ["杭东市人民政府2025年政府信息公开工作年度报告", f"统计范围：{label}"]
    # The other scope's label is nowhere in this report.
    other = dict(SCOPE_LABELS)["all" if scope == "level" else "level"]
    assert not any(other in p for p in paragraphs)


@pytest.mark.parametrize(("scope", "label"), SCOPE_LABELS)
def test_pdf_prints_the_scope_and_its_own_figures(city, city_admin, tmp_path, scope, label):
    """Issue 20 item 7: the PDF says which 统计范围 it counts, and counts exactly that."""
    from pdfminer.high_level import extract_text

    if not cjk_fonts_available():
        pytest.fail("fonts-noto-cjk is required for the PDF tests (make system-deps)")
    entered(city_admin, city["city"], scope)
    target = tmp_path / "report.pdf"
    code = city["city"].code
    run_command("--org", code, "--scope", scope, "--format", "pdf", "--output", str(target))
    pdf = target.read_bytes()
    text = extract_text(io.BytesIO(pdf)).replace("\n", "").replace(" ", "")
    assert f"统计范围：{label}" in text
    other = dict(SCOPE_LABELS)["all" if scope == "level" else "level"]
    assert f"统计范围：{other}" not in text
    report = json.loads(run_command("--org", code, "--scope", scope))
    assert_rows(report, {"level": LEVEL_ROWS, "all": ALL_ROWS}[scope])
    assert pdf_figure_rows(pdf) == json_figure_rows(report)


def publish(city, make_staff, admin, scope=SCOPE_ALL):
    report = AnnualReport.objects.get(organisation=city["city"], year=2025, scope=scope)
    # Every level needs a reviewer before anything is submitted (issue 19 item 7).
    reviewers = {
        level: make_staff(Role.REVIEWER, city["city"], review_level=level) for level in (1, 2, 3)
    }
    item = services.annual_report_submit(report=report, acting_user=admin, on=date(2026, 3, 2))
    request = ReviewRequest.objects.get(object_id=item.pk, content_kind="item")
    for level in range(1, request.levels + 1):
        review_decide(request=request, decision="approve", acting_user=reviewers[level])
        request.refresh_from_db()
    item.refresh_from_db()
    assert item.status == "published"
    return item


# ---------------------------------------------------------------- the API (issue 10 item 6)


def api(client, org, **params):
    query = "&".join(f"{k}={v}" for k, v in {"org": org.code, **params}.items())
    return client.get(f"/api/v1/reports/annual/2025?{query}")


def test_anonymous_callers_get_no_draft(client, city, city_admin):
    entered(city_admin, city["city"], overview="未经审核的草稿文字。")
    response = api(client, city["city"])
    assert response.status_code == 404
    assert response.json() == {"detail": "杭东市人民政府2025年政府信息公开工作年度报告尚未发布"}
    assert "未经审核" not in response.content.decode()
    assert api(client, city["finance"]).status_code == 404  # no report at all


def test_staff_of_another_organisation_get_no_draft(client, city, city_admin, make_staff):
    entered(city_admin, city["city"], overview="未经审核的草稿文字。")
    client.force_login(make_staff(Role.ADMIN, city["district"]))
    response = api(client, city["city"])
    assert response.status_code == 404
    assert "未经审核" not in response.content.decode()
    # An editor of the city itself is no report staff either.
    client.force_login(make_staff(Role.EDITOR, city["city"]))
    assert api(client, city["city"]).status_code == 404


def test_own_staff_get_the_live_draft(client, city, city_admin, make_staff):
    entered(city_admin, city["city"], SCOPE_LEVEL, overview="未经审核的草稿文字。")
    client.force_login(make_staff(Role.FOI_HANDLER, city["city"]))
    response = api(client, city["city"], scope="level")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "draft"
    assert body["sections"]["overview"] == "未经审核的草稿文字。"
    assert (body["scope"], body["scope_label"]) == ("level", "本级政府及其部门")
    assert body["applications"]["rows"]["new"] == row(natural=2, business=1)
    # An administrator above the district (含下级机构) sees the district's draft too.
    client.force_login(make_staff(Role.ADMIN, city["city"], include_descendants=True))
    response = api(client, city["district_edu"])
    assert response.status_code == 200
    assert response.json()["applications"]["rows"]["new"] == row(research=1)
    assert api(client, city["city"], scope="nation").status_code == 422


def test_the_public_gets_the_report_as_published(client, city, city_admin, make_staff):
    entered(city_admin, city["city"], overview="经审核发布的总体情况。")
    publish(city, make_staff, city_admin)
    published = build_annual_report(city["city"], 2025)
    # A case closed late changes the live figures, not the published report.
    make_cases(city["city"], [facts("business", "2025-12-01", "2025-12-20", "1")], "LATE")
    response = api(client, city["city"])
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "published"
    assert body["sections"]["overview"] == "经审核发布的总体情况。"
    assert body["applications"] == published["applications"]
    assert body["applications"]["rows"]["new"]["total"] == 6
    assert list(body["applications"]["rows"])[:3] == ["new", "carried_in", "1"]
    # The city-level scope was never published.
    assert api(client, city["city"], scope="level").status_code == 404
    # Staff of the city still see the live figures.
    client.force_login(city_admin)
    assert api(client, city["city"]).json()["applications"]["rows"]["new"]["total"] == 7


def test_a_report_published_before_snapshots_is_still_public(client, city, city_admin, make_staff):
    entered(city_admin, city["city"], overview="经审核发布的总体情况。")
    publish(city, make_staff, city_admin)
    AnnualReport.objects.update(published_json="")
    response = api(client, city["city"])
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["sections"]["overview"]) == ("published", "经审核发布的总体情况。")
    assert body["applications"]["rows"]["new"]["total"] == 6
