"""`gongkai demo`: the named world, --if-empty, --print-logins and --documents N."""

import io
import json
import re

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db.models import Count

from gongkai.accounts.models import InternalUnit, Organisation, RoleAssignment, User
from gongkai.catalogue.models import InformationItem
from gongkai.catalogue.tests.factories import InformationItemFactory
from gongkai.checks.selectors import interpretation_findings
from gongkai.core.models import AuditEntry
from gongkai.demo.orgs import DEMO_PASSWORD
from gongkai.demo.texts import uscc
from gongkai.policies.models import Interpretation, QAEntry

pytestmark = pytest.mark.django_db(transaction=False)


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("demo", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def snapshot() -> tuple[int, int, int, int]:
    return (
        Organisation.objects.count(),
        User.objects.count(),
        InformationItem.objects.count(),
        AuditEntry.objects.count(),
    )


def test_uscc_check_characters_hand_worked():
    # 组织机构代码 00248994: weighted sum 0*3+0*7+2*9+4*10+8*5+9*8+9*4+4*2 = 214,
    # 214 mod 11 = 5, 11-5 = 6 → "002489946". The 18-digit check then comes out as "1".
    assert uscc("330100", "00248994") == "113301000024899461"


def test_demo_builds_the_named_world():
    output = run()
    assert output.startswith(
        "已生成演示城市：7 个机构、31 个科室、28 个工作人员账号、2 个公众账号、203 条政府信息"
        "（其中政策文件 40 件）、24 篇政策解读、24 条政策问答、122 件依申请公开申请、"
        "16 份政府信息公开工作年度报告、3 份政策评价报告、3 场政府开放日。用时 "
    )

    assert Organisation.objects.count() == 7
    city = Organisation.objects.get(name="杭东市人民政府")
    assert city.parent is None
    assert city.kind == "government"
    assert sorted(city.children.values_list("name", flat=True)) == sorted(
        [
            "杭东市发展和改革委员会",
            "杭东市财政局",
            "杭东市教育局",
            "杭东市市场监督管理局",
            "杭东市西湖区人民政府",
        ]
    )
    district = Organisation.objects.get(name="杭东市西湖区人民政府")
    assert list(district.children.values_list("name", flat=True)) == ["杭东市西湖区教育局"]
    for org in Organisation.objects.all():
        assert re.fullmatch(r"11\d{6}[0-9A-Z]{10}", org.code), org.code
        assert org.address
        assert org.office_hours
        assert org.phone
        assert org.leaders
        assert org.functions
    assert InternalUnit.objects.count() == 31
    assert not InternalUnit.objects.filter(phone="").exists()

    roles = {
        (r["role"], r["review_level"]): r["n"]
        for r in RoleAssignment.objects.values("role", "review_level").annotate(n=Count("id"))
    }
    assert roles == {
        ("editor", 0): 7,
        ("reviewer", 1): 7,
        ("reviewer", 2): 2,
        ("reviewer", 3): 2,
        ("foi_handler", 0): 7,
        ("admin", 0): 2,
    }
    assert User.objects.filter(kind="staff").count() == 28  # 27 with roles + superuser
    assert User.objects.get(username="admin").is_superuser
    public = dict(User.objects.filter(kind="public").values_list("username", "applicant_type"))
    assert public == {"zhangsan": "natural", "yunfan": "business"}
    assert authenticate(username="city_editor", password=DEMO_PASSWORD) is not None
    assert authenticate(username="yunfan", password=DEMO_PASSWORD) is not None


def test_demo_content():
    run()
    # The 2024 and 2025 annual reports, published through review, have their own test; the
    # reports on 2023 came out before the platform and are items like the others.
    items = InformationItem.objects.exclude(columns__slug="gknb")
    assert items.count() == 203
    numbers = list(items.values_list("index_number", flat=True))
    assert len(set(numbers)) == 203
    for item in items.select_related("organisation"):
        assert re.fullmatch(re.escape(item.organisation.code) + r"/20\d\d-\d{5}", item.index_number)
    kinds = dict(items.values_list("policy_kind").annotate(n=Count("id")))
    assert kinds == {"": 163, "normative": 27, "other": 7, "rule": 6}
    disclosure = dict(items.values_list("disclosure").annotate(n=Count("id")))
    assert disclosure == {"proactive": 195, "on_request": 5, "withheld": 3}
    assert not items.exclude(disclosure="proactive").filter(disclosure_reason="").exists()
    validity = dict(items.values_list("validity").annotate(n=Count("id")))
    assert validity == {"valid": 199, "repealed": 2, "expired": 1, "amended": 1}
    # Issue 15 item 14: every 失效/废止/已修改 document links to a published, valid successor.
    superseded = items.exclude(validity="valid")
    assert [
        (i.validity, i.title)
        for i in superseded
        if i.replaced_by is None
        or i.replaced_by.validity != "valid"
        or i.replaced_by.status != "published"
    ] == []
    assert items.filter(status="published").count() == 195
    # A policy's articles name one set of addressees, those of its subject (issue 15 item 15:
    # no 学生资助办法 for 小微企业).
    addressees = {
        item.title: set(
            re.findall(r"适用于本市行政区域内(.+?)的|符合条件的(.+?)可以", item.body_text)
        )
        for item in items.exclude(policy_kind="")
    }
    mixed = {
        title: found
        for title, found in addressees.items()
        if len({name for pair in found for name in pair if name}) > 1
    }
    assert mixed == {}
    student_aid = items.get(title="杭东市教育局关于印发《杭东市学生资助办法》的通知")
    assert "适用于本市行政区域内学校的" in student_aid.body_text
    special = set(items.filter(columns__kind="special").values_list("columns__slug", flat=True))
    assert special == {"wjjdp", "zqjk"}
    assert items.filter(doc_number="杭东市人民政府令第151号").count() <= 1
    assert (
        items.filter(policy_kind="rule", doc_number__startswith="杭东市人民政府令第").count() == 6
    )

    forms = dict(Interpretation.objects.values_list("form").annotate(n=Count("id")))
    assert forms == {"text": 12, "graphic": 4, "video": 4, "qa": 4}
    assert not Interpretation.objects.filter(policies=None).exists()
    assert Interpretation.objects.annotate(n=Count("policies")).filter(n=2).count() >= 1
    # Every interpretation explains its own organisation's policies, never an older reading
    # of a newer document (issue 15: the 三同步 link warnings find nothing in the demo).
    assert [
        (i.title, f.message)
        for i in Interpretation.objects.all()
        for f in interpretation_findings(i)
    ] == []
    assert QAEntry.objects.count() == 24
    assert not QAEntry.objects.filter(unit=None).exists()
    assert not QAEntry.objects.filter(contact_phone="").exists()
    assert AuditEntry.objects.filter(action="import", detail__command="demo").count() == 1


def test_refuses_when_data_exists_and_if_empty_is_silent():
    run()
    before = snapshot()
    with pytest.raises(CommandError, match="数据库中已有机构数据"):
        run()
    assert snapshot() == before
    assert run("--if-empty") == ""
    assert snapshot() == before


def test_if_empty_builds_on_an_empty_database():
    run("--if-empty")
    assert Organisation.objects.count() == 7


def test_print_logins_writes_nothing():
    output = run("--print-logins")
    assert "Gongkai@2026" in output
    assert "city_reviewer3" in output
    assert "终审" in output
    assert "zhangsan" in output
    assert "yunfan" in output
    assert Organisation.objects.count() == 0


def test_documents_adds_exactly_n_with_unique_index_numbers():
    run()
    before = InformationItem.objects.count()
    output = run("--documents", "500")
    result = json.loads(output.strip().splitlines()[-1])
    assert result["count"] == 500
    assert InformationItem.objects.count() == before + 500
    numbers = InformationItem.objects.values_list("index_number", flat=True)
    assert len(set(numbers)) == before + 500
    new = InformationItem.objects.order_by("-id")[:500]
    assert all(i.body_text and i.body.startswith("<p>") for i in new)
    # Every synthetic item has an audience and a column (written through the M2M tables).
    new_ids = [i.pk for i in new]
    assert InformationItem.objects.filter(pk__in=new_ids, audiences=None).count() == 0
    assert InformationItem.objects.filter(pk__in=new_ids, columns=None).count() == 0
    # Created through the ORM afterwards still gets a fresh primary key.
    org = Organisation.objects.first()
    assert org is not None
    extra = InformationItemFactory.create(organisation=org, title="测试", index_number="X/1")
    assert extra.pk > max(new_ids)


def test_documents_in_several_batches_through_worker_processes():
    output = run("--documents", "450", "--batch-size", "200")  # empty DB: builds the world
    assert json.loads(output.strip().splitlines()[-1])["count"] == 450
    assert InformationItem.objects.exclude(columns__slug="gknb").count() == 203 + 450
    numbers = list(InformationItem.objects.values_list("index_number", flat=True))
    assert len(set(numbers)) == len(numbers)


def test_documents_rejects_a_non_positive_count():
    with pytest.raises(CommandError, match="正整数"):
        run("--documents", "0")
    assert Organisation.objects.count() == 0


@pytest.mark.django_db
def test_demo_world_has_foi_cases_that_make_a_consistent_annual_report():
    from django.core.management import call_command

    from gongkai.accounts.models import Organisation
    from gongkai.foi.models import Case
    from gongkai.reports.build import build_annual_report

    call_command("demo", stdout=io.StringIO())
    # 7 organisations × (6 closed 2024 cases + 8 closed 2025 cases), 3 live 2026 cases at the
    # city government, and one drafted reply of each of the 21 reply kinds at the education
    # bureau (issue 20).
    assert Case.objects.count() == 122
    from gongkai.foi.models import ReplyKind
    from gongkai.foi.reply_kinds import report_row

    by_kind = dict(
        Case.objects.exclude(reply_kind="")
        .filter(organisation__name="杭东市教育局")
        .values_list("reply_kind", "outcome")
    )
    assert by_kind == {kind: report_row(kind) for kind in ReplyKind.values}
    # 第三十五条: the 不予处理 case was asked to explain first (its letter says so).
    mass = Case.objects.get(organisation__name="杭东市教育局", reply_kind="5.4")
    assert list(
        mass.events.filter(type__startswith="explanation").order_by("date").values_list("type")
    ) == [("explanation_requested",), ("explanation_received",)]
    assert Case.objects.filter(received_date__year=2024).count() == 42
    assert Case.objects.filter(received_date__year=2025).count() == 56
    # Received in December 2024, answered in January 2025: 上年结转 of the 2025 reports.
    assert sorted(
        Case.objects.filter(received_date__year=2024, closed_date__year=2025).values_list(
            "organisation__short_name", flat=True
        )
    ) == ["市发展改革委", "市财政局"]
    city = Organisation.objects.get(name="杭东市人民政府")
    report = build_annual_report(city, 2025)
    assert report["checks"]["ok"]
    assert report["applications"]["rows"]["new"]["total"] == 56
    # Every organisation with a 依申请公开经办人 publishes its 2024 and 2025 reports: the city
    # 全市 (含下级政府) and 市本级 (city and its four bureaus), the district 全区 (district and
    # its bureau), each bureau its own — computed, submitted and approved at all three levels.
    from django.test import Client

    from gongkai.reports.models import AnnualReport
    from gongkai.review.chain_models import ReviewDecision, ReviewRequest

    published = {
        (r.organisation.name, r.year, r.scope): r.published_item.status
        for r in AnnualReport.objects.select_related("organisation", "published_item")
    }
    governments = [("杭东市人民政府", "all"), ("杭东市人民政府", "level")]
    governments += [("杭东市西湖区人民政府", "all")]
    bureaus = ["杭东市发展和改革委员会", "杭东市财政局", "杭东市教育局", "杭东市市场监督管理局"]
    bureaus += ["杭东市西湖区教育局"]
    assert published == {
        **{
            (name, year, scope): "published" for name, scope in governments for year in (2024, 2025)
        },
        **{(name, year, "own"): "published" for name in bureaus for year in (2024, 2025)},
    }

    def reviewers(org_name: str, year: int) -> list[tuple[int, str]]:
        report = AnnualReport.objects.get(organisation__name=org_name, year=year, scope="own")
        request = ReviewRequest.objects.get(content_kind="item", object_id=report.published_item_id)
        return list(
            ReviewDecision.objects.filter(request=request, decision="approve")
            .order_by("level")
            .values_list("level", "reviewer__username")
        )

    assert reviewers("杭东市财政局", 2024) == [
        (1, "czj_reviewer"),
        (2, "city_reviewer2"),
        (3, "city_reviewer3"),
    ]
    assert reviewers("杭东市西湖区教育局", 2025) == [
        (1, "xihu_jyj_reviewer"),
        (2, "xihu_reviewer2"),
        (3, "xihu_reviewer3"),
    ]
    # 行政许可 entered by the administrators: a wider scope adds up its members' (2025: city
    # 12, 发改 286, 财政 41, 教育 133, 市场监管 2460; district 398 and its bureau 57).
    entered = {
        (r.organisation.name, r.scope): r.licensing_decisions
        for r in AnnualReport.objects.filter(year=2025, organisation__kind="government")
    }
    assert entered == {
        ("杭东市人民政府", "all"): 3387,
        ("杭东市人民政府", "level"): 2932,
        ("杭东市西湖区人民政府", "all"): 455,
    }
    client = Client()
    for year, scope, new, carried_in, carried_out in (
        (2024, "all", 42, 0, 2),
        (2024, "level", 30, 0, 2),
        (2025, "all", 56, 2, 3),
        (2025, "level", 40, 2, 2),
    ):
        body = client.get(f"/api/v1/reports/annual/{year}?org={city.code}&scope={scope}").json()
        assert (body["status"], body["scope"]) == ("published", scope)
        rows = body["applications"]["rows"]
        assert (rows["new"]["total"], rows["carried_in"]["total"]) == (new, carried_in)
        assert rows["carried_out"]["total"] == carried_out
        assert body["checks"]["ok"]
    district = Organisation.objects.get(name="杭东市西湖区人民政府")
    body = client.get(f"/api/v1/reports/annual/2025?org={district.code}").json()
    assert body["applications"]["rows"]["new"]["total"] == 16
    # The public 公开年报 page: two years, eight reports each, in the tree's order.
    listing = client.get("/zfxxgk/annual-reports/").content.decode()
    sections = re.findall(r'<h2 id="year-(\d+)">(.*?)</section>', listing, flags=re.S)
    shown = {
        year: re.findall(
            r'<a href="[^"]+">([^<]+)</a> <span class="org">[^<]+</span> '
            r'<span class="org">统计范围：([^<]+)</span>',
            body,
        )
        for year, body in sections
    }
    assert list(shown) == ["2025", "2024"]
    for year, rows in shown.items():
        assert rows == [
            (f"杭东市人民政府{year}年政府信息公开工作年度报告", "本级政府及其部门"),
            (f"杭东市人民政府{year}年政府信息公开工作年度报告", "含下级政府"),
            (f"杭东市发展和改革委员会{year}年政府信息公开工作年度报告", "本机关"),
            (f"杭东市财政局{year}年政府信息公开工作年度报告", "本机关"),
            (f"杭东市教育局{year}年政府信息公开工作年度报告", "本机关"),
            (f"杭东市市场监督管理局{year}年政府信息公开工作年度报告", "本机关"),
            (f"杭东市西湖区人民政府{year}年政府信息公开工作年度报告", "含下级政府"),
            (f"杭东市西湖区教育局{year}年政府信息公开工作年度报告", "本机关"),
        ]
    # One item per report title and year: no hand-typed copy beside the generated one; the
    # reports on 2023, from before the platform, stay as items of the catalogue.
    assert (
        InformationItem.objects.filter(title__endswith="2024年政府信息公开工作年度报告").count()
        == 8
    )
    assert (
        InformationItem.objects.filter(title__endswith="2023年政府信息公开工作年度报告").count()
        == 7
    )
    live = Case.objects.filter(organisation=city, reference__startswith="YSQ")
    assert sorted(live.values_list("status", flat=True)) == [
        "in_progress",
        "reply_review",
        "submitted",
    ]
    # Its reply letter waits for the city's 初审 reviewer.

    letter = ReviewRequest.objects.get(content_kind="reply_letter")
    assert (letter.organisation, letter.state, letter.level, letter.levels) == (
        city,
        "in_review",
        1,
        3,
    )
    assert letter.submitted_by.username == "city_foi"


@pytest.mark.django_db
def test_demo_world_without_chinese_fonts_warns_and_keeps_docx_letters(no_chinese_fonts):
    from gongkai.foi.models import CaseDocument

    err = io.StringIO()
    call_command("demo", stdout=io.StringIO(), stderr=err)
    assert err.getvalue().strip() == (
        "警告：本机没有安装中文字体，演示数据中的答复书只生成 DOCX，不生成 PDF。"
        "请安装 fonts-noto-cjk（apt-get install fonts-noto-cjk）后重启服务。"
    )
    letters = list(CaseDocument.objects.filter(kind="reply"))
    # The letter in review plus one drafted reply of each kind of 第三十六条 (issue 20).
    assert len(letters) == 22
    assert all(letter.file.name.endswith(".docx") and not letter.pdf for letter in letters)
