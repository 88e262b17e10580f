"""考核/测评 self-assessment (issue 16 item 6): measured scores from the platform's figures,
hand-computed on factory data; manual scores with a note; the staff page and its workbook."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from gongkai.accounts.models import Role
from gongkai.catalogue.tests.factories import InformationItemFactory
from gongkai.foi.tests.factories import CaseFactory
from gongkai.interaction.tests.factories import MessageFactory
from gongkai.policies.tests.factories import InterpretationFactory
from gongkai.registers import services
from gongkai.registers.models import Assessment, AssessmentScore, TrainingRecord

from .factories import RectificationFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def admin(org_tree, make_staff):
    return make_staff(Role.ADMIN, org_tree["finance"])


@pytest.fixture
def world_2025(org_tree):
    org = org_tree["finance"]
    serial = iter(range(1, 100))

    def item(**kw):
        return InformationItemFactory(index_number=f"T-2025-{next(serial):05d}", **kw)

    other = org_tree["office"]
    # 30 items published in 2025 (4 of them 行政规范性文件); one of 2024, one draft, one of
    # another organisation do not count.
    items = [
        item(
            organisation=org,
            status="published",
            published_date=D(2025, 1 + n % 12, 10),
            policy_kind="normative" if n < 4 else "",
        )
        for n in range(30)
    ]
    item(organisation=org, status="published", published_date=D(2024, 12, 1))
    item(organisation=org, status="draft", published_date=D(2025, 3, 1))
    item(organisation=other, status="published", published_date=D(2025, 3, 1))
    # 3 of the 4 normative documents have a published interpretation; the 4th only a draft.
    for item in items[:3]:
        InterpretationFactory(organisation=org, status="published", policies=[item])
    InterpretationFactory(organisation=org, status="draft", policies=[items[3]])
    # FOI: 3 cases closed in 2025, one after its due date; one closed in 2024.
    CaseFactory(organisation=org, due_date=D(2025, 3, 10), closed_date=D(2025, 3, 10))
    CaseFactory(organisation=org, due_date=D(2025, 6, 10), closed_date=D(2025, 6, 1))
    CaseFactory(organisation=org, due_date=D(2025, 9, 10), closed_date=D(2025, 9, 11))
    CaseFactory(organisation=org, due_date=D(2024, 9, 10), closed_date=D(2024, 12, 11))
    # Messages: replied on time, replied late, open and overdue, open and not yet due.
    MessageFactory(
        organisation=org, received_date=D(2025, 5, 6), due_date=D(2025, 5, 13),
        replied_date=D(2025, 5, 12),
    )  # fmt: skip
    MessageFactory(
        organisation=org, received_date=D(2025, 5, 6), due_date=D(2025, 5, 13),
        replied_date=D(2025, 5, 20),
    )  # fmt: skip
    MessageFactory(organisation=org, received_date=D(2025, 10, 9), due_date=D(2025, 10, 16))
    MessageFactory(organisation=org, received_date=D(2025, 12, 30), due_date=D(2026, 1, 7))
    # 网站自查: two open problems, one closed; a 第三方测评 problem is not counted here.
    RectificationFactory(organisation=org, source="self_inspection")
    RectificationFactory(organisation=org, source="self_inspection", state="done")
    RectificationFactory(organisation=org, source="self_inspection", state="closed")
    RectificationFactory(organisation=org, source="third_party")
    TrainingRecord.objects.create(
        organisation=org, held_on=D(2025, 4, 1), topic="条例解读", audience="全局"
    )
    return org


def scores(assessment):
    return [
        (s.item.order, s.figure, s.score)
        for s in AssessmentScore.objects.filter(assessment=assessment).order_by("item__order")
    ]


def test_measured_scores_come_from_the_platform_figures(world_2025, admin):
    a = services.assessment_open(organisation=world_2025, year=2025, acting_user=admin)
    assert scores(a) == [
        # 30 items / 12 months = 2.5 a month against 4: 15 × 0.625 = 9.375 → 9.4
        (1, "30条 / 12个月", Decimal("9.4")),
        # 3 of 4 normative documents interpreted: 15 × 0.75 = 11.25 → 11.3
        (2, "3/4", Decimal("11.3")),
        # 2 of 3 cases on time: 15 × 2/3 = 10.0
        (3, "2/3", Decimal("10.0")),
        # on time 1 of (2 replied + 1 open overdue): 15 / 3 = 5.0
        (4, "1/3", Decimal("5.0")),
        # two open 网站自查 problems, 1 point each: 10 − 2 = 8.0
        (5, "未销号问题2个", Decimal("8.0")),
        (6, "培训1次", Decimal("10.0")),
        (7, "", None),
        (8, "", None),
    ]
    # One per organisation and year: opening again returns the same.
    again = services.assessment_open(organisation=world_2025, year=2025, acting_user=admin)
    assert again.pk == a.pk
    assert Assessment.objects.count() == 1


def test_manual_items_need_a_note_and_stay_within_the_maximum(world_2025, admin, make_staff):
    a = services.assessment_open(organisation=world_2025, year=2025, acting_user=admin)
    manual = a.scores.get(item__order=7)
    measured = a.scores.get(item__order=1)
    for value, note in ((Decimal("10.5"), "超过满分"), (Decimal("8"), " "), (Decimal("-1"), "负")):
        with pytest.raises(ValidationError):
            services.assessment_score_manual(
                score=manual, value=value, note=note, acting_user=admin
            )
    with pytest.raises(ValidationError):
        services.assessment_score_manual(
            score=measured, value=Decimal(15), note="改分", acting_user=admin
        )
    editor = make_staff(Role.EDITOR, world_2025)
    with pytest.raises(PermissionDenied):
        services.assessment_score_manual(
            score=manual, value=Decimal(8), note="机制健全", acting_user=editor
        )
    manual.refresh_from_db()
    measured.refresh_from_db()
    assert (manual.score, manual.note) == (None, "")
    assert measured.score == Decimal("9.4")
    services.assessment_score_manual(
        score=manual, value=Decimal("8.5"), note="领导小组已调整，缺年度工作部署", acting_user=admin
    )
    # Recomputing keeps the manual score.
    services.assessment_compute(assessment=a, acting_user=admin)
    manual.refresh_from_db()
    assert (manual.score, manual.note) == (Decimal("8.5"), "领导小组已调整，缺年度工作部署")


def test_no_base_scores_full_marks(org_tree, admin):
    a = services.assessment_open(organisation=org_tree["finance"], year=2025, acting_user=admin)
    assert scores(a)[:6] == [
        (1, "0条 / 12个月", Decimal("0.0")),
        (2, "无应计事项", Decimal("15.0")),
        (3, "无应计事项", Decimal("15.0")),
        (4, "无应计事项", Decimal("15.0")),
        (5, "未销号问题0个", Decimal("10.0")),
        (6, "培训0次", Decimal("0.0")),
    ]


def test_staff_page_scores_and_exports(client, world_2025, admin):
    url = reverse("staff:registers_assessment", args=[world_2025.pk, 2025])
    client.force_login(admin)
    page = client.get(url).content.decode()
    assert "杭东市财政局2025年政务公开工作考核自评" in page
    assert "加权总分 53.7 / 100.0" in page  # 9.4 + 11.3 + 10 + 5 + 8 + 10
    assert "（2项待人工评分）" in page
    score = Assessment.objects.get().scores.get(item__order=7)
    response = client.post(
        url, {"form": "manual", "score_id": score.pk, "score": "abc", "note": "x"}
    )
    assert response.status_code == 400
    assert "得分应为数字" in response.content.decode()
    response = client.post(
        url, {"form": "manual", "score_id": score.pk, "score": "8.5", "note": "机制健全"}
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "加权总分 62.2 / 100.0" in page
    download = client.get(url, {"export": "xlsx"})
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(download.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "杭东市财政局2025年政务公开工作考核自评"
    assert rows[2][:7] == (1, "主动公开信息更新频率", "更新频率", 15, 1, "30条 / 12个月", 9.4)
    assert rows[8][:2] == (7, "政务公开工作机制建设")
    assert rows[8][6:] == (8.5, "机制健全")
    assert rows[-1][1] == "加权总分"
    assert rows[-1][6] == pytest.approx(62.2)


def test_staff_page_is_for_the_administrator(client, world_2025, make_staff):
    editor = make_staff(Role.EDITOR, world_2025)
    client.force_login(editor)
    url = reverse("staff:registers_assessment", args=[world_2025.pk, 2025])
    assert client.get(url).status_code == 403
    assert not Assessment.objects.exists()
