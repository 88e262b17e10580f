"""A small hand-counted policy world for the library, portal, feed and API tests.

Seven public policies across two organisations and three years (2024-2026):

| id | org     | kind      | published  | topic (top)    | audiences   | special      | validity |
|----|---------|-----------|------------|----------------|-------------|--------------|----------|
| p1 | office  | normative | 2024-03-01 | 财政 (财金审)  | 企业        | zqjk         | valid    |
| p2 | office  | normative | 2025-05-10 | 财金审 (top)   | 企业, 公众  | zqjk, wjjdp  | valid    |
| p3 | office  | other     | 2025-08-01 | 教育 (科教)    | 公众        | -            | repealed |
| p4 | office  | rule      | 2026-01-15 | -              | -           | wjjdp        | valid    |
| p5 | finance | normative | 2024-11-20 | 财政 (财金审)  | 企业        | zqjk         | expired  |
| p6 | finance | other     | 2025-12-31 | 科教 (top)     | 公众        | -            | valid    |
| p7 | finance | normative | 2026-02-02 | 教育 (科教)    | 企业, 公众  | wjjdp        | valid    |

Traps that must never be seen publicly (each would change a count if it leaked):
n1 依申请公开 normative 2025 (office, 财政, 企业, zqjk), n2 draft normative 2026 (finance),
n3 不予公开 normative 2024 (finance), plus a public NON-policy item x1 in column zqjk.
p3 is replaced by p6.
"""

import datetime
from types import SimpleNamespace

import pytest

from gongkai.accounts.tests.factories import InternalUnitFactory
from gongkai.catalogue.models import Audience, Column, TopicCategory
from gongkai.catalogue.services import index_numbers_allocate
from gongkai.catalogue.tests.factories import InformationItemFactory
from gongkai.core.status import ContentStatus
from gongkai.policies.tests.factories import InterpretationFactory, QAEntryFactory

D = datetime.date


def make_item(
    org,
    title,
    *,
    published=None,
    kind="",
    topic=None,
    audiences=(),
    columns=(),
    validity="valid",
    status="published",
    disclosure="proactive",
    **extra,
):
    on = published or D(2025, 1, 1)
    item = InformationItemFactory.create(
        index_number=index_numbers_allocate(organisation=org, on_date=on)[0],
        organisation=org,
        title=title,
        published_date=published,
        policy_kind=kind,
        topic=topic,
        validity=validity,
        status=status,
        disclosure=disclosure,
        disclosure_reason="" if disclosure == "proactive" else "涉及第三方商业秘密",
        body=extra.pop("body", f"<p>{title}正文。</p>"),
        **extra,
    )
    item.audiences.set(audiences)
    item.columns.set(columns)
    return item


@pytest.fixture
def world(org_tree):
    office, finance = org_tree["office"], org_tree["finance"]
    # get_or_create: the seed migration made these rows, but a transactional test elsewhere
    # in the run may have flushed them.
    cfs, _ = TopicCategory.objects.get_or_create(
        name="财政、金融、审计", parent=None, defaults={"sort_order": 4}
    )
    cz, _ = TopicCategory.objects.get_or_create(name="财政", parent=cfs)
    kj, _ = TopicCategory.objects.get_or_create(
        name="科技、教育", parent=None, defaults={"sort_order": 11}
    )
    jy, _ = TopicCategory.objects.get_or_create(name="教育", parent=kj, defaults={"sort_order": 2})
    gz, _ = Audience.objects.get_or_create(name="公众", defaults={"sort_order": 0})
    qy, _ = Audience.objects.get_or_create(name="企业", defaults={"sort_order": 1})
    zqjk, _ = Column.objects.get_or_create(
        slug="zqjk", defaults={"name": "助企纾困", "kind": "special", "sort_order": 20}
    )
    wjjdp, _ = Column.objects.get_or_create(
        slug="wjjdp", defaults={"name": "稳经济大盘", "kind": "special", "sort_order": 10}
    )

    p1 = make_item(office, "关于支持中小企业发展的若干措施", published=D(2024, 3, 1),
                   kind="normative", topic=cz, audiences=[qy], columns=[zqjk],
                   doc_number="杭东政办规〔2024〕1号")  # fmt: skip
    p2 = make_item(office, "杭东市助企纾困十条", published=D(2025, 5, 10), kind="normative",
                   topic=cfs, audiences=[qy, gz], columns=[zqjk, wjjdp],
                   doc_number="杭东政办规〔2025〕3号", summary="十条助企措施。",
                   keywords="助企,纾困", written_date=D(2025, 5, 6), genre="notice")  # fmt: skip
    p6 = make_item(finance, "杭东市教育经费管理办法", published=D(2025, 12, 31), kind="other",
                   topic=kj, audiences=[gz])  # fmt: skip
    p3 = make_item(office, "杭东市教育收费暂行规定", published=D(2025, 8, 1), kind="other",
                   topic=jy, audiences=[gz], validity="repealed",
                   validity_date=D(2026, 1, 1), replaced_by=p6)  # fmt: skip
    p4 = make_item(office, "杭东市政府规章制定程序规定", published=D(2026, 1, 15), kind="rule",
                   columns=[wjjdp])  # fmt: skip
    p5 = make_item(finance, "杭东市财政专项资金管理办法", published=D(2024, 11, 20),
                   kind="normative", topic=cz, audiences=[qy], columns=[zqjk],
                   validity="expired", validity_date=D(2025, 11, 20))  # fmt: skip
    p7 = make_item(finance, "杭东市学生资助实施办法", published=D(2026, 2, 2), kind="normative",
                   topic=jy, audiences=[qy, gz], columns=[wjjdp])  # fmt: skip
    n1 = make_item(office, "依申请公开的内部规范性文件", published=D(2025, 6, 1),
                   kind="normative", topic=cz, audiences=[qy], columns=[zqjk],
                   disclosure="on_request")  # fmt: skip
    n2 = make_item(finance, "尚未发布的规范性文件草稿", published=D(2026, 3, 1),
                   kind="normative", topic=cz, audiences=[qy], columns=[wjjdp],
                   status="draft")  # fmt: skip
    n3 = make_item(finance, "不予公开的规范性文件", published=D(2024, 5, 1), kind="normative",
                   topic=jy, audiences=[gz], columns=[zqjk], disclosure="withheld")  # fmt: skip
    x1 = make_item(office, "市政府办公厅召开助企纾困工作会议", published=D(2025, 9, 9),
                   columns=[zqjk], topic=cz)  # fmt: skip

    unit = InternalUnitFactory.create(organisation=office, name="政策法规处", phone="0571-8700001")
    i1 = InterpretationFactory.create(
        organisation=office, title="一图读懂助企纾困十条", form="graphic",
        body="<p>图解说明</p>", image="interpretations/p2.png",
        image_alt="助企纾困十条的十项措施示意图", status=ContentStatus.PUBLISHED,
        published_date=D(2025, 5, 12),
    )  # fmt: skip
    i1.policies.set([p2, p7])
    i2 = InterpretationFactory.create(
        organisation=office, title="尚未发布的解读草稿", body="<p>草稿</p>",
        status=ContentStatus.DRAFT,
    )  # fmt: skip
    i2.policies.set([p2])
    i3 = InterpretationFactory.create(
        organisation=office, title="中小企业措施文字解读", body="<p>解读正文</p>",
        status=ContentStatus.PUBLISHED, published_date=D(2024, 3, 5),
        video_url="https://video.example.cn/v/1",
    )  # fmt: skip
    i3.policies.set([p1, n1])
    q1 = QAEntryFactory.create(
        organisation=office, unit=unit, question="小微企业如何申请纾困资金？",
        answer="<p>向所在区财政局提交申请。</p>", policy=p2, contact_phone="0571-8700001",
        status=ContentStatus.PUBLISHED, published_date=D(2025, 6, 1),
    )  # fmt: skip
    q2 = QAEntryFactory.create(
        organisation=office, question="草稿问答", answer="<p>草稿</p>", policy=p2,
        status=ContentStatus.DRAFT,
    )  # fmt: skip
    q3 = QAEntryFactory.create(
        organisation=office, question="依申请文件的问答", answer="<p>内部</p>", policy=n1,
        status=ContentStatus.PUBLISHED, published_date=D(2025, 6, 2),
    )  # fmt: skip
    q4 = QAEntryFactory.create(
        organisation=finance, question="学生资助标准是多少？", answer="<p>见附件。</p>",
        policy=p7, contact_phone="0571-8700002", status=ContentStatus.PUBLISHED,
        published_date=D(2026, 2, 5),
    )  # fmt: skip
    return SimpleNamespace(
        **org_tree,
        p1=p1, p2=p2, p3=p3, p4=p4, p5=p5, p6=p6, p7=p7, n1=n1, n2=n2, n3=n3, x1=x1,
        cfs=cfs, cz=cz, kj=kj, jy=jy, qy=qy, gz=gz, zqjk=zqjk, wjjdp=wjjdp, unit=unit,
        i1=i1, i2=i2, i3=i3, q1=q1, q2=q2, q3=q3, q4=q4,
        secret_titles=[n1.title, n2.title, n3.title, i2.title, q2.question, q3.question],
    )  # fmt: skip
