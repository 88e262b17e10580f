"""View tests moved from gongkai/foi/tests/test_public_guidance.py (issue 11 item 7)."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from gongkai.foi.models import Case
from gongkai.foi.tests.conftest import form_data

pytestmark = pytest.mark.django_db


def test_guidance_page_comes_first_and_shows_the_chosen_agencys_office(client, org_tree):
    finance = org_tree["finance"]
    finance.ogi_office_name = "杭东市财政局办公室"
    finance.ogi_address = "杭东市民心路100号"
    finance.ogi_phone = "0571-87000001"
    finance.ogi_office_hours = "工作日9:00—17:00"
    finance.save()
    html = client.get("/zfxxgk/ysqgk/").content.decode()
    for heading in ("申请须知", "办理流程", "答复期限", "收费", "选择受理机关", "开始申请"):
        assert f">{heading}</h2>" in html
    assert "自收到申请之日起20个工作日内答复" in html
    assert "可延长不超过20个工作日" in html
    assert "在收到申请之日起7个工作日内一次性告知您补正" in html
    assert "10件以下（含）不收费" in html
    assert '<form method="post" class="stacked foi-apply"' not in html  # the form is next
    # Organisations in tree order, the district's department under the district.
    names = re.findall(r'<li class="depth-(\d)"><a href="\?org=[^"]+#h-agency">([^<]+)</a>', html)
    assert names == [
        ("0", "杭东市人民政府"),
        ("1", "杭东市人民政府办公厅"),
        ("1", "杭东市财政局"),
        ("1", "杭东市西湖区人民政府"),
        ("2", "西湖区教育局"),
    ]
    chosen = client.get(f"/zfxxgk/ysqgk/?org={finance.code}").content.decode()
    assert "<h3>杭东市财政局政府信息公开工作机构</h3>" in chosen
    assert "<dt>工作机构名称</dt><dd>杭东市财政局办公室</dd>" in chosen
    assert "<dt>办公地址</dt><dd>杭东市民心路100号</dd>" in chosen
    assert "<dt>联系电话</dt><dd>0571-87000001</dd>" in chosen
    assert "<dt>办公时间</dt><dd>工作日9:00—17:00</dd>" in chosen
    assert f'href="/zfxxgk/ysqgk/apply/?as=natural&amp;org={finance.code}"' in chosen
    assert f'href="/zfxxgk/ysqgk/apply/?as=legal&amp;org={finance.code}"' in chosen


def test_citizen_form_has_no_legal_person_fields_and_marks_required_ones(client, org_tree):
    finance = org_tree["finance"]
    html = client.get(f"/zfxxgk/ysqgk/apply/?as=natural&org={finance.code}").content.decode()
    assert "法定代表人" not in html
    assert "联系人" not in html
    assert "统一社会信用代码证" not in html
    assert '<input type="hidden" name="applicant_type" value="natural"' in html
    assert '<label for="id_applicant_name" class="required">姓名：</label>' in html
    assert '<label for="id_email">电子邮箱：</label>' in html  # optional: no marker
    assert f'<option value="{finance.pk}" selected>\u3000杭东市财政局</option>' in html
    response = client.post("/zfxxgk/ysqgk/apply/", {**form_data(finance), "as": "natural"})
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:foi_done")
    case = Case.objects.get()
    assert (case.applicant_type, case.legal_representative, case.organisation) == (
        "natural",
        "",
        finance,
    )


def test_legal_person_form_asks_for_representative_and_credit_code(client, org_tree):
    finance = org_tree["finance"]
    html = client.get("/zfxxgk/ysqgk/apply/?as=legal").content.decode()
    assert "<legend>法定代表人和联系人</legend>" in html
    assert '<label for="id_applicant_name" class="required">单位名称：</label>' in html
    assert '<label for="id_id_number" class="required">统一社会信用代码：</label>' in html
    assert '<option value="natural"' not in html
    response = client.post(
        "/zfxxgk/ysqgk/apply/",
        {
            **form_data(finance),
            "as": "legal",
            "applicant_type": "natural",  # not offered to an organisation
            "id_document_type": "credit_code",
            "id_number": "91330100MA2XXXXX0A",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["applicant_type"] == ["申请人类型无效，请从列表中选择"]
    assert Case.objects.count() == 0


def test_applicants_page_explains_the_clock_in_plain_words(client, org_tree, public_user, handler):
    from datetime import date, timedelta

    from gongkai.foi import services
    from gongkai.foi.plain import applicant_clock_note
    from gongkai.workdays.selectors import load_calendar

    client.force_login(public_user)
    client.post("/zfxxgk/ysqgk/apply/", {**form_data(org_tree["finance"]), "as": "natural"})
    case = Case.objects.get()
    page = f"/zfxxgk/ysqgk/my/{case.pk}/"
    html = client.get(page).content.decode()
    assert "尚未开始计算：行政机关确认收到您的申请后，从次日起计算答复期限" in html

    today = timezone.localdate()
    services.case_confirm_receipt(case=case, on=today, acting_user=handler)
    case.refresh_from_db()
    left = load_calendar().workdays_between(today, case.due_date)
    assert left == 20  # 条例第三十三条: 20 working days from the day after receipt
    html = client.get(page).content.decode()
    assert f"还剩{left}个工作日" in html
    # The day-by-day explanation staff see, line by line.
    first_line = case.deadline_note.split("\n")[0]
    assert f"<li>{first_line}</li>" in html
    assert "（条例第三十一条），收到当日不计入期限。" in first_line

    services.case_request_supplement(
        case=case,
        points=["请写明所需预算表的年度"],
        reply_by=today + timedelta(days=15),
        on=today,
        acting_user=handler,
    )
    html = client.get(page).content.decode()
    assert '<p class="foi-clock paused">暂停计算：等待您补正材料。' in html

    overdue = applicant_clock_note(
        status="in_progress", due=date(2025, 10, 10), workdays_left=-3, closed=None
    )
    assert overdue.text.startswith("已超过答复期限3个工作日（期限为2025年10月10日）。")


def test_status_query_explains_the_clock_in_plain_words_without_an_account(
    client, org_tree, handler
):
    """An applicant who applied without an account has only the reference-and-code query: it
    says why the clock stands still and how the deadline was counted, as the signed-in page."""
    from datetime import timedelta

    from gongkai.foi import services

    client.post("/zfxxgk/ysqgk/apply/", {**form_data(org_tree["finance"]), "as": "natural"})
    done = client.get("/zfxxgk/ysqgk/done/").context
    reference, code = done["reference"], done["code"]
    case = Case.objects.get(reference=reference)
    today = timezone.localdate()
    services.case_confirm_receipt(case=case, on=today, acting_user=handler)
    services.case_request_supplement(
        case=case,
        points=["请写明所需预算表的年度"],
        reply_by=today + timedelta(days=15),
        on=today,
        acting_user=handler,
    )
    case.refresh_from_db()

    response = client.post("/zfxxgk/ysqgk/status/", {"reference": reference, "code": code})
    html = response.content.decode()
    assert (
        '<p class="foi-clock paused">暂停计算：等待您补正材料。行政机关收到您补正的材料后，'
        "答复期限重新起算（条例第三十条）。</p>"
    ) in html
    first_line = case.deadline_note.split("\n")[0]
    assert first_line.endswith(
        "答复期限自收到补正申请之日起重新计算，暂无法确定答复期限（条例第三十条）"
    )
    assert f"<li>{first_line}</li>" in html
