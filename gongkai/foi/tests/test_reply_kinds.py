"""Issue 20 item 1: every kind of reply has its own letter (basis, facts, remedy), read back from
the generated DOCX and PDF, and is counted in the annual-report row of the one mapping table."""

from datetime import date

import pytest
from django.core.exceptions import ImproperlyConfigured
from docx import Document
from pdfminer.high_level import extract_text

from gongkai.catalogue.models import InformationItem
from gongkai.catalogue.services import index_numbers_allocate
from gongkai.catalogue.tests.factories import InformationItemFactory
from gongkai.foi import reply_kinds, services
from gongkai.foi.models import Case, CaseDocument, CaseEvent, ReplyKind, ReplyTemplate, Status
from gongkai.reports.annual import OUTCOME_LABELS

REMEDY = (
    "如对本答复不服，可以自收到本答复书之日起60日内依法申请行政复议，"
    "或者自收到本答复书之日起6个月内依法向人民法院提起行政诉讼。"
)
# 行政复议法 (2023) 第二十三条第一款第（四）项: 不予公开 → 行政复议 first (复议前置).
REVIEW_FIRST = (
    "如对本答复不服，可以自收到本答复书之日起60日内依法申请行政复议；"
    "对行政复议决定不服的，可以依法向人民法院提起行政诉讼"
    "（《中华人民共和国行政复议法》第二十三条）。"
)
WITHHOLDING = {"2", "3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "3.7", "36.7"}
ACT = "《中华人民共和国政府信息公开条例》"

# kind → (legal basis, annual-report row)
EXPECTED = {
    "36.1": (ACT + "第三十六条第（一）项", "1"),
    "1": (ACT + "第三十六条第（二）项", "1"),
    "2": (ACT + "第三十七条", "2"),
    "3.1": (ACT + "第十四条、第三十六条第（三）项", "3.1"),
    "3.2": (ACT + "第十四条、第三十六条第（三）项", "3.2"),
    "3.3": (ACT + "第十四条、第三十六条第（三）项", "3.3"),
    "3.4": (ACT + "第十五条、第三十六条第（三）项", "3.4"),
    "3.5": (ACT + "第十六条第一款、第三十六条第（三）项", "3.5"),
    "3.6": (ACT + "第十六条第二款、第三十六条第（三）项", "3.6"),
    "3.7": (ACT + "第十六条第二款、第三十六条第（三）项", "3.7"),
    "36.7": (ACT + "第三十六条第（七）项", "3.8"),
    "36.4": (ACT + "第三十六条第（四）项", "4.1"),
    "36.5": (ACT + "第三十六条第（五）项", "4.1"),
    "4.2": (ACT + "第三十八条", "4.2"),
    "4.3": (ACT + "第三十条", "4.3"),
    "5.1": (ACT + "第三十九条第一款", "5.1"),
    "36.6": (ACT + "第三十六条第（六）项", "5.2"),
    "5.3": (ACT + "第三十九条第二款", "5.3"),
    "5.4": (ACT + "第三十五条", "5.4"),
    "5.5": (ACT + "第二条", "5.5"),
    "6.3": (ACT, "6.3"),
}


def test_every_kind_is_in_the_one_table_and_counts_in_a_report_row():
    assert set(EXPECTED) == set(ReplyKind.values) == set(reply_kinds.KIND_RULES)
    for kind, (_basis, row) in EXPECTED.items():
        assert reply_kinds.report_row(kind) == row
        assert row in OUTCOME_LABELS
    unverified = {k for k, r in reply_kinds.KIND_RULES.items() if not r.verified}
    assert unverified == {"36.1", "36.4", "36.5", "36.7"}


def test_unverified_rows_are_configurable_and_verified_ones_are_not(settings):
    settings.GONGKAI_FOI_REPLY_ROWS = {"36.7": "6.3", "36.1": "1"}
    assert reply_kinds.report_row("36.7") == "6.3"
    assert reply_kinds.report_row("36.5") == "4.1"
    settings.GONGKAI_FOI_REPLY_ROWS = {"36.6": "6.3"}
    with pytest.raises(ImproperlyConfigured, match=r"36\.6.*已核实"):
        reply_kinds.report_row("36.6")
    settings.GONGKAI_FOI_REPLY_ROWS = {"36.7": "6.2"}
    with pytest.raises(ImproperlyConfigured, match=r"6\.2.*无效"):
        reply_kinds.report_row("36.7")


@pytest.fixture
def published_item(org_tree):
    on = date(2025, 3, 10)
    return InformationItemFactory.create(
        index_number=index_numbers_allocate(organisation=org_tree["finance"], on_date=on)[0],
        organisation=org_tree["finance"],
        title="杭东市2025年部门预算",
        published_date=on,
        status="published",
        disclosure="proactive",
        body="<p>预算。</p>",
    )


def _ready(record_case, handler, org_tree, kind):
    case = record_case(date(2025, 9, 26))
    if kind == "4.3":
        services.case_request_supplement(
            case=case,
            points=["请写明信息的年份"],
            reply_by=date(2025, 10, 10),
            on=date(2025, 9, 29),
            acting_user=handler,
        )
        services.case_receive_supplement(case=case, on=date(2025, 9, 30), acting_user=handler)
    org_tree["finance"].address = "杭东市解放路18号"
    org_tree["finance"].save()
    org_tree["district_edu"].phone = "0571-87001234"
    org_tree["district_edu"].address = "西湖区教工路9号"
    org_tree["district_edu"].save()
    case = services.case_assign(case=case, handler=handler, acting_user=handler)
    if kind == "5.4":
        # 第三十五条: asked to explain first; the reasons given were not reasonable.
        case = services.case_request_explanation(
            case=case,
            points=["本月提交的大量申请各自的用途"],
            reply_by=date(2025, 10, 13),
            on=date(2025, 9, 29),
            acting_user=handler,
        )
        case = services.case_receive_explanation(
            case=case, on=date(2025, 10, 13), note="未说明具体用途", acting_user=handler
        )
    return case


def _facts(kind, item):
    """(facts given, responsible agency, sentences the letter must contain)."""
    if kind == "36.1":
        return (
            {"index_number": item.index_number},
            None,
            [
                f"该政府信息已于2025年3月10日主动公开，名称为“杭东市2025年部门预算”，"
                f"索引号为{item.index_number}。",
                f"您可以通过以下网址查阅、下载：{_item_url(item)}。",
                "您也可以到杭东市财政局（杭东市解放路18号）查阅。",
            ],
        )
    if kind == "36.4":
        return (
            {"searched": "本机关2020年以来的收文、发文和档案"},
            None,
            [
                "经检索，本机关未制作或获取该政府信息，该政府信息不存在。",
                "本机关检索了本机关2020年以来的收文、发文和档案。",
            ],
        )
    if kind == "36.5":
        return (
            {"reason": "中小学划片方案由区教育行政部门制定和公开"},
            "district_edu",
            [
                "您申请公开的信息不属于本机关负责公开的政府信息。",
                "理由：中小学划片方案由区教育行政部门制定和公开。",
                "负责公开该政府信息的行政机关为西湖区教育局，联系方式：0571-87001234，"
                "西湖区教工路9号，您可以向该机关提出申请。",
            ],
        )
    if kind == "36.6":
        return (
            {"previous": "YSQ-2025-03-000007", "previous_date": "2025年8月1日"},
            None,
            ["本机关已于2025年8月1日就您的申请（YSQ-2025-03-000007）作出答复。"],
        )
    if kind == "36.7":
        return (
            {
                "law": "《不动产登记资料查询暂行办法》",
                "procedure": "持本人身份证明到不动产登记机构申请查询",
            },
            None,
            [
                "根据《不动产登记资料查询暂行办法》的规定，"
                "请您持本人身份证明到不动产登记机构申请查询。"
            ],
        )
    return {}, None, []


SITE = "https://www.hangdong.gov.cn"


def _item_url(item):
    """The letter leaves the site: the item's absolute address under GONGKAI_SITE_URL."""
    return f"{SITE}/items/{item.pk}/"


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_each_kind_letter_states_its_basis_facts_and_remedy(
    kind, record_case, handler, org_tree, published_item, settings
):
    settings.GONGKAI_SITE_URL = SITE + "/"
    case = _ready(record_case, handler, org_tree, kind)
    facts, responsible, sentences = _facts(kind, published_item)
    doc = services.case_reply(
        case=case,
        kind=kind,
        facts=facts,
        responsible=org_tree[responsible] if responsible else None,
        detail="理由见附件。" if kind in reply_kinds.REASONED_KINDS else "",
        on=date(2025, 10, 20),
        acting_user=handler,
    )
    case.refresh_from_db()
    basis, row = EXPECTED[kind]
    assert (case.reply_kind, case.outcome, case.status) == (kind, row, Status.REPLY_REVIEW)
    docx_text = "\n".join(p.text for p in Document(doc.file.path).paragraphs)
    pdf_text = "".join(extract_text(doc.pdf.path).split())
    assert f"法律依据：{basis}\n" in docx_text + "\n"
    remedy = REVIEW_FIRST if kind in WITHHOLDING else REMEDY
    assert f"救济途径：{remedy}" in docx_text
    assert f"办理结果：{ReplyKind(kind).label}" in docx_text
    for sentence in sentences:
        assert sentence in docx_text
        assert "".join(sentence.split()) in pdf_text
    assert "".join(basis.split()) in pdf_text
    assert "".join(remedy.split()) in pdf_text
    if kind in WITHHOLDING:
        # Not "or sue within 6 months": a court turns away a 不予公开 case not reviewed first.
        assert "6个月内" not in docx_text
    # The 36(5) letter no longer borrows the "does not exist" text of 36(4), nor vice versa.
    if kind == "36.5":
        assert "不存在" not in docx_text
    if kind == "36.4":
        assert "不属于本机关" not in docx_text
    event = case.events.get(type=CaseEvent.Type.REPLY_DRAFTED)
    assert event.data["kind"] == kind
    assert event.data["outcome"] == row


@pytest.mark.parametrize(
    ("kind", "field", "message"),
    [
        ("36.1", "index_number", "须写明已公开信息的索引号"),
        ("36.5", "reason", "不属于本机关公开的理由"),
        ("36.6", "previous", "此前的申请编号或答复文号"),
        ("36.7", "procedure", "应当办理的程序"),
    ],
)
def test_a_letter_without_its_required_facts_is_refused(
    kind, field, message, record_case, handler, org_tree, published_item
):
    case = _ready(record_case, handler, org_tree, kind)
    facts, _r, _s = _facts(kind, published_item)
    facts.pop(field)
    with pytest.raises(services.CaseError, match=message) as exc:
        services.case_reply(
            case=case, kind=kind, facts=facts, on=date(2025, 10, 20), acting_user=handler
        )
    assert field in exc.value.message_dict
    case.refresh_from_db()
    assert (case.status, case.reply_kind, case.outcome) == (Status.IN_PROGRESS, "", "")
    assert not CaseDocument.objects.filter(case=case).exists()


def test_35_not_handled_needs_the_applicant_asked_to_explain_first(record_case, handler, org_tree):
    """第三十五条: the letter says the reasons given were not reasonable — so there must have
    been a request to explain and an answer (or the time given ran out)."""
    case = _ready(record_case, handler, org_tree, "1")
    with pytest.raises(services.CaseError, match="须先要求申请人说明理由") as exc:
        services.case_reply(case=case, kind="5.4", on=date(2025, 10, 20), acting_user=handler)
    assert "kind" in exc.value.message_dict
    case.refresh_from_db()
    assert (case.status, case.reply_kind, case.outcome) == (Status.IN_PROGRESS, "", "")
    assert not CaseDocument.objects.filter(case=case, kind=CaseDocument.Kind.REPLY).exists()


def test_36_1_needs_a_published_proactive_item(record_case, handler, org_tree, published_item):
    case = _ready(record_case, handler, org_tree, "36.1")
    InformationItem.objects.filter(pk=published_item.pk).update(status="withdrawn")
    with pytest.raises(services.CaseError, match="不是已发布的主动公开信息"):
        services.case_reply(
            case=case,
            kind="36.1",
            facts={"index_number": published_item.index_number},
            on=date(2025, 10, 20),
            acting_user=handler,
        )
    assert Case.objects.get(pk=case.pk).status == Status.IN_PROGRESS


def test_36_5_agency_cannot_be_this_agency(record_case, handler, org_tree):
    case = _ready(record_case, handler, org_tree, "36.5")
    with pytest.raises(services.CaseError, match="不能是本机关"):
        services.case_reply(
            case=case,
            kind="36.5",
            facts={"reason": "不是本机关制作"},
            responsible=org_tree["finance"],
            on=date(2025, 10, 20),
            acting_user=handler,
        )


def test_legacy_row_codes_choose_the_new_kinds(record_case, handler, org_tree):
    case = _ready(record_case, handler, org_tree, "36.4")
    services.case_reply(case=case, outcome="4.1", on=date(2025, 10, 20), acting_user=handler)
    case.refresh_from_db()
    assert (case.reply_kind, case.outcome) == ("36.4", "4.1")


def test_seeded_templates_are_one_per_kind(db):
    defaults = ReplyTemplate.objects.filter(organisation=None)
    assert sorted(defaults.values_list("outcome", flat=True)) == sorted(ReplyKind.values)


def test_custom_template_for_a_kind_with_facts_must_keep_them(org_tree, make_staff):
    from gongkai.accounts.models import Role

    admin = make_staff(Role.ADMIN, org_tree["finance"], username="tpl_admin")
    with pytest.raises(services.CaseError, match=r"\{facts\}"):
        services.reply_template_save(
            organisation=org_tree["finance"],
            outcome="36.5",
            body="经审查，不属于本机关。{detail}",
            legal_basis="条例第三十六条第（五）项",
            remedy="",
            acting_user=admin,
        )
    assert not ReplyTemplate.objects.filter(organisation=org_tree["finance"]).exists()


def test_36_5_agency_typed_as_free_text(record_case, handler, org_tree):
    """An agency outside the organisation tree: its name and contact are typed in."""
    case = _ready(record_case, handler, org_tree, "36.5")
    doc = services.case_reply(
        case=case,
        kind="36.5",
        facts={
            "reason": "不动产权属信息由不动产登记机构掌握",
            "agency": "杭东市不动产登记中心",
            "agency_contact": "0571-12345678",
        },
        on=date(2025, 10, 20),
        acting_user=handler,
    )
    text = "\n".join(p.text for p in Document(doc.file.path).paragraphs)
    assert (
        "理由：不动产权属信息由不动产登记机构掌握。负责公开该政府信息的行政机关为杭东市不动产登记"
        "中心，联系方式：0571-12345678，您可以向该机关提出申请。"
    ) in text
    case.refresh_from_db()
    assert (case.reply_kind, case.outcome) == ("36.5", "4.1")


def test_36_5_without_a_known_agency_gives_the_reason_only(record_case, handler, org_tree):
    """第三十六条第（五）项 names the agency only when "能够确定": then the reason alone."""
    case = _ready(record_case, handler, org_tree, "36.5")
    doc = services.case_reply(
        case=case,
        kind="36.5",
        facts={"reason": "该信息不是本机关制作或保存的"},
        on=date(2025, 10, 20),
        acting_user=handler,
    )
    text = "\n".join(p.text for p in Document(doc.file.path).paragraphs)
    assert "理由：该信息不是本机关制作或保存的。" in text
    assert "负责公开该政府信息的行政机关" not in text
