"""依申请公开 cases for the demo world: a closed 2025 history (for the annual report and the
statistics) and a few live 2026 cases in different states (for the handlers' workbench),
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


def build_foi_cases(orgs: dict[str, Organisation], staff: dict[str, User], seed: int) -> int:
    rng = random.Random(seed)
    records = []
    line = 1
    for org in orgs.values():
        for n in range(8):
            received = datetime.date(2025, 1, 6) + datetime.timedelta(days=rng.randrange(350))
            # A few received late in December are answered in January: they carry over.
            closed = received + datetime.timedelta(days=rng.randrange(3, 28))
            line += 1
            records.append(
                (
                    line,
                    {
                        "reference": f"LS-{org.code[-6:]}-2025-{n + 1:03d}",
                        "org_code": org.code,
                        "received": received.isoformat(),
                        "channel": rng.choice(CHANNELS),
                        "applicant_type": rng.choice(APPLICANT_TYPES),
                        "outcome": rng.choice(HISTORY_OUTCOMES),
                        "closed": closed.isoformat(),
                    },
                )
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
    return count + 1
