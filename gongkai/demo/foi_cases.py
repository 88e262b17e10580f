"""依申请公开 cases for the demo world: a closed 2024 and 2025 history (for the annual reports
and the statistics) and a few live 2026 cases in different states (for the handlers' workbench),
one of them with its reply letter in the city's review chain."""

import datetime
import random

from gongkai.accounts.models import Organisation, User
from gongkai.core.pdf import cjk_fonts_available
from gongkai.foi import services as foi_services
from gongkai.foi.importing import applications_import
from gongkai.review.chain_services import review_submit

HISTORY_OUTCOMES = ["1"] * 12 + ["2"] * 4 + ["3.4", "3.6", "4.1", "4.1", "4.2", "5.2", "6.1"]
APPLICANT_TYPES = ["natural"] * 8 + ["business", "business", "legal_service", "research"]
CHANNELS = ["online"] * 5 + ["letter", "letter", "in_person", "fax"]
HISTORY_2024_PER_ORG = 6


def build_foi_cases(orgs: dict[str, Organisation], staff: dict[str, User], seed: int) -> int:
    rng = random.Random(seed)
    records = _history(rng, orgs, datetime.date(2025, 1, 6), days=350, per_org=8, first_line=2)
    # The year before, a little quieter: the 2024 annual reports count these, and the few
    # answered in January 2025 are carried into the 2025 reports (上年结转). Drawn after the
    # 2025 cases, so those stay as they were.
    records += _history(
        rng,
        orgs,
        datetime.date(2024, 1, 8),
        days=355,
        per_org=HISTORY_2024_PER_ORG,
        first_line=len(records) + 2,
    )
    count = applications_import(records=records, source="demo")

    city, handler = orgs["city"], staff["city_foi"]
    applicants = [
        ("natural", "王建国", "330106198503152319", "13905712345", "2025年老旧小区改造计划"),
        (
            "business",
            "杭东云帆科技有限公司",
            "91330106MA2H3X8K1Q",
            "0571-86001234",
            "2026年度中小企业专项资金申报结果",
        ),
        ("natural", "李秀梅", "330102199011084526", "13757198765", "本市义务教育学校划片方案"),
    ]
    for i, (kind, name, id_number, phone, title) in enumerate(applicants):
        data = {
            "applicant_type": kind,
            "applicant_name": name,
            "id_document_type": "resident_id" if kind == "natural" else "credit_code",
            "id_number": id_number,
            "phone": phone,
            "address": "杭东市西湖区文三路100号",
            "info_title": title,
            "provide_form": "electronic",
            "delivery_method": "email",
            "email": f"applicant{i + 1}@example.com",
        }
        if i == 0:
            foi_services.case_submit(organisation=city, data=data)  # awaiting confirmation
            continue
        case, _code = foi_services.case_record(
            organisation=city,
            data=data,
            channel="in_person" if i == 1 else "letter",
            letter_kind="" if i == 1 else "signed",
            arrived=datetime.date(2026, 11, 2 + 7 * i),
            acting_user=handler,
        )
        foi_services.case_assign(case=case, handler=handler, acting_user=handler)
        if i == 2:
            # Answered and waiting in the reviewers' queue (先审后发: 初审 → 复审 → 终审).
            letter = foi_services.case_reply(
                case=case,
                outcome="1",
                detail="请查阅附件《杭东市义务教育学校划片方案（2026年）》。",
                on=datetime.date(2026, 11, 18),
                acting_user=handler,
                # Without a Chinese font the letter is DOCX only (the demo command warns).
                pdf=cjk_fonts_available(),
            )
            review_submit(content=letter, acting_user=handler)
        count += 1
    return count + 1 + build_reply_kind_cases(orgs, staff)


# One drafted reply of every kind (issue 20), at the city's education bureau: what each letter
# states (facts, legal basis, remedy) and which annual-report row it counts in.
REPLY_KIND_CASES: list[tuple[str, str, dict[str, str], str]] = [
    ("36.1", "2026年义务教育招生政策", {}, ""),
    ("1", "2026年教育事业统计公报", {}, "请查阅附件。"),
    ("2", "市属学校2025年校舍维修项目清单", {}, "清单中供应商的银行账号属于商业秘密，已删除。"),
    ("3.1", "教育考试试卷保密工作方案", {}, "该方案经定密属于国家秘密。"),
    ("3.2", "高考考生个人成绩明细", {}, "《中华人民共和国教育考试法》禁止公开。"),
    ("3.3", "校园安防监控点位布设图", {}, "公开后可能危及校园公共安全。"),
    ("3.4", "某民办学校收费成本核算资料", {}, "第三方不同意公开，且涉及商业秘密。"),
    ("3.5", "局机关2025年干部考核谈话记录", {}, "属于人事管理信息。"),
    ("3.6", "学区划分调整的讨论记录", {}, "属于讨论记录等过程性信息。"),
    ("3.7", "对某培训机构的行政处罚案卷", {}, "属于行政执法案卷信息。"),
    (
        "36.7",
        "某学校用地的不动产登记簿",
        {
            "law": "《不动产登记资料查询暂行办法》",
            "procedure": "持身份证明到杭东市不动产登记中心申请查询",
        },
        "",
    ),
    ("36.4", "2018年全市学生近视率专项调查报告", {"searched": "本局2015年以来的发文和档案"}, ""),
    ("36.5", "西湖区2026年小学学区划分方案", {"reason": "区内小学学区由区教育局划定和公开"}, ""),
    ("4.2", "按学校汇总的近五年教师流动情况分析", {}, ""),
    ("4.3", "有关学校的文件", {}, ""),
    ("5.1", "举报某校违规补课", {}, ""),
    ("36.6", "2026年义务教育招生政策（再次申请）", {}, ""),
    ("5.3", "《杭东教育年鉴2025》", {}, ""),
    ("5.4", "全市各学校近十年全部会议纪要", {}, ""),
    ("5.5", "确认本人2003年毕业证书真实性", {}, ""),
    ("6.3", "申请人撤回的申请", {}, "申请人于答复前书面撤回申请。"),
]


def build_reply_kind_cases(orgs: dict[str, Organisation], staff: dict[str, User]) -> int:
    from gongkai.catalogue.models import InformationItem

    org, handler = orgs["jyj"], staff["jyj_foi"]
    item = (
        InformationItem.objects.filter(status="published", disclosure="proactive")
        .order_by("organisation_id", "id")
        .first()
    )
    received = datetime.date(2026, 11, 2)
    first = ""
    # Without a Chinese font the letters are DOCX only (the demo command warns).
    pdf = cjk_fonts_available()
    for n, (kind, title, facts, detail) in enumerate(REPLY_KIND_CASES, start=1):
        case, _code = foi_services.case_record(
            organisation=org,
            data={
                "applicant_type": "natural",
                "applicant_name": "陈志强",
                "id_document_type": "resident_id",
                "id_number": "330106198503152319",
                "phone": f"1390571{n:04d}",
                "info_title": title,
                "provide_form": "electronic",
                "delivery_method": "email",
                "email": f"kind{n}@example.com",
            },
            channel="in_person",
            arrived=received,
            acting_user=handler,
        )
        if kind == "4.3":
            foi_services.case_request_supplement(
                case=case,
                points=["请写明文件的名称、文号或年份"],
                reply_by=datetime.date(2026, 11, 13),
                on=datetime.date(2026, 11, 3),
                acting_user=handler,
            )
            foi_services.case_receive_supplement(
                case=case, on=datetime.date(2026, 11, 6), acting_user=handler
            )
        case = foi_services.case_assign(case=case, handler=handler, acting_user=handler)
        if kind == "5.4":
            # 第三十五条: 不予处理 comes after asking the applicant to explain.
            case = foi_services.case_request_explanation(
                case=case,
                points=["申请的近十年全部会议纪要各自的用途", "能否缩小申请范围"],
                reply_by=datetime.date(2026, 11, 10),
                on=datetime.date(2026, 11, 3),
                acting_user=handler,
            )
            case = foi_services.case_receive_explanation(
                case=case,
                on=datetime.date(2026, 11, 9),
                note="申请人称“备用”，未说明具体用途，也不同意缩小范围。",
                acting_user=handler,
            )
        if kind == "36.1" and item is not None:
            facts = {"index_number": item.index_number}
            first = case.reference
        if kind == "36.6":
            # The same applicant asked for the same information in the first case above.
            facts = {"previous": first, "previous_date": "2026年11月16日"}
        foi_services.case_reply(
            case=case,
            kind=kind,
            facts=facts,
            responsible=orgs["xihu_jyj"] if kind == "36.5" else None,
            detail=detail,
            on=datetime.date(2026, 11, 16),
            acting_user=handler,
            pdf=pdf,
        )
    return len(REPLY_KIND_CASES)


def _history(
    rng: random.Random,
    orgs: dict[str, Organisation],
    first_day: datetime.date,
    *,
    days: int,
    per_org: int,
    first_line: int,
) -> list[tuple[int, dict[str, str]]]:
    """Closed applications of one year as import rows, numbered as lines of a file."""
    records: list[tuple[int, dict[str, str]]] = []
    for org in orgs.values():
        for n in range(per_org):
            received = first_day + datetime.timedelta(days=rng.randrange(days))
            # A few received late in December are answered in January: they carry over.
            closed = received + datetime.timedelta(days=rng.randrange(3, 28))
            records.append(
                (
                    first_line + len(records),
                    {
                        "reference": f"LS-{org.code[-6:]}-{first_day.year}-{n + 1:03d}",
                        "org_code": org.code,
                        "received": received.isoformat(),
                        "channel": rng.choice(CHANNELS),
                        "applicant_type": rng.choice(APPLICANT_TYPES),
                        "outcome": rng.choice(HISTORY_OUTCOMES),
                        "closed": closed.isoformat(),
                    },
                )
            )
    return records
