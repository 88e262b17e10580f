"""Builds the small named demo world (`gongkai demo`)."""

import datetime
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import transaction

from gongkai.accounts.models import InternalUnit, Organisation, RoleAssignment, User
from gongkai.catalogue import services as catalogue_services
from gongkai.catalogue.models import Audience, Column, Genre, InformationItem, TopicCategory
from gongkai.catalogue.richtext import html_to_text, sanitize_html
from gongkai.core.models import AuditEntry
from gongkai.core.services import audit_record
from gongkai.core.signals import rows_written_send
from gongkai.core.text import book_title
from gongkai.policies import services as policy_services

from . import texts
from .orgs import (
    DEMO_PASSWORD,
    HOURS,
    ORG_BY_KEY,
    ORGS,
    PUBLIC_USERS,
    REPORT_YEARS,
    STAFF,
    SUPERUSER,
)
from .world_interaction import build_interaction
from .world_match import build_match
from .world_participation import build_participation
from .world_registers import build_registers

# Fixed "today" of the demo world, so its dates (and tests on them) never drift.
DEMO_TODAY = datetime.date(2026, 11, 20)
START = datetime.date(2024, 1, 2)
# The audit note of the demo's interpretations and Q&A, published "before Gongkai" without
# going through the review chain (the one explicit exception the publish services accept).
DEMO_HISTORY = "演示数据：接入平台前已发布的历史内容"

# Columns the demo needs; the catalogue migration seeds them with these slugs.
COLUMN_DEFAULTS = {
    "zdgk": ("主动公开基本目录", "catalogue", None),
    "dtyw": ("动态要闻", "news", None),
    "tzgg": ("通知公告", "notice", None),
    "zcwj": ("政策文件", "policy", None),
    "ztzl": ("专题专栏", "special", None),
    "wjjdp": ("稳经济大盘", "special", "ztzl"),
    "zqjk": ("助企纾困", "special", "ztzl"),
}
SPECIAL_SUBJECTS = {
    "wjjdp": {"稳住经济大盘", "促进民营经济高质量发展", "重大建设项目管理", "优化营商环境"},
    "zqjk": {
        "助企纾困",
        "中小微企业融资担保风险补偿",
        "个体工商户培育扶持",
        "知识产权质押融资",
        "就业创业补贴",
        "行政事业性收费和政府性基金",
    },
}
AUDIENCE_NAMES = ["公众", "企业", "社会组织", "政府机关"]

ON_REQUEST_REASON = (
    "该信息涉及特定申请人的个人信息，依据《中华人民共和国政府信息公开条例》第十五条，"
    "仅向申请人本人依申请提供。"
)
WITHHELD_REASONS = [
    "属于行政机关在履行行政管理职能过程中形成的讨论记录、过程稿，"
    "依据《中华人民共和国政府信息公开条例》第十六条第二款，不予公开。",
    "涉及商业秘密，第三方不同意公开，依据《中华人民共和国政府信息公开条例》第十五条，不予公开。",
    "属于人事管理、后勤管理、内部工作流程等内部事务信息，"
    "依据《中华人民共和国政府信息公开条例》第十六条第一款，不予公开。",
]


@dataclass
class ItemSpec:
    org: str
    title: str
    genre: str
    columns: list[str]
    topic: tuple[str, str]
    audiences: list[str]
    published: datetime.date
    body: str
    doc_number: str = ""
    policy_kind: str = ""
    status: str = InformationItem.Status.PUBLISHED
    disclosure: str = InformationItem.Disclosure.PROACTIVE
    reason: str = ""
    keywords: str = ""
    summary: str = ""
    subject: str = ""
    validity: str = InformationItem.Validity.VALID
    replaced_by: "ItemSpec | None" = None
    validity_date: datetime.date | None = None
    pk: int | None = None
    unit: str = "办公室"
    extra: dict = field(default_factory=dict)


def world_exists() -> bool:
    return Organisation.objects.exists()


def _date_between(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


def _subjects_of(org_key: str) -> list[tuple[str, str, tuple[str, str]]]:
    return [s for s in texts.SUBJECTS if s[1] == org_key]


def _special_columns(subject: str) -> list[str]:
    return [slug for slug, subjects in SPECIAL_SUBJECTS.items() if subject in subjects]


def _audiences_for(rng: random.Random, subject: str) -> list[str]:
    if "企" in subject or "市场主体" in subject or "融资" in subject:
        return ["企业"] + (["社会组织"] if rng.random() < 0.3 else [])
    if "政务" in subject or "预算绩效" in subject:
        return ["政府机关", "公众"]
    return rng.sample(AUDIENCE_NAMES[:3], k=rng.randint(1, 2))


def _place(org_name: str) -> str:
    """The place name a document title starts with: 杭东市 or 杭东市西湖区."""
    return org_name[: org_name.index("区") + 1] if "区" in org_name else "杭东市"


def _policy_body(rng, *, org_name, subject, noun, lead, published, is_rule=False) -> str:
    place = _place(org_name)
    effective = published + datetime.timedelta(days=rng.choice([0, 10, 30]))
    articles = texts.policy_articles(
        rng, subject=subject, noun=noun, lead=lead, effective=f"{effective:%Y年%-m月%-d日}"
    )
    if is_rule:
        head = f"<p>《{place}{subject}{noun}》已经市人民政府常务会议审议通过，现予公布。</p>"
    else:
        if org_name == "杭东市人民政府":
            addressees = "各区县（市）人民政府，市政府各部门、各直属单位："
        elif org_name.endswith("区人民政府"):
            addressees = "各街道办事处，区政府各部门、各直属单位："
        else:
            addressees = "各有关单位："
        head = (
            f"<p>{addressees}</p>"
            f"<p>现将《{place}{subject}{noun}》印发给你们，请结合实际认真贯彻执行。</p>"
        )
    head += f"<p>{org_name}<br>{published:%Y年%-m月%-d日}</p>"
    return head + f"<h2>{place}{subject}{noun}</h2>" + texts.html_paragraphs(articles)


class _DocNumbers:
    """发文字号 of the demo: each organisation's serial grows by a random step per year."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.serial: dict[tuple[str, int], int] = defaultdict(int)

    def __call__(self, org_key: str, year: int, kind: str) -> str:
        prefix = ORG_BY_KEY[org_key].doc_prefix
        code = {
            "normative": prefix + "规",
            "other": prefix + ("办发" if org_key == "city" else ""),
        }[kind]
        self.serial[(code, year)] += self.rng.randint(1, 9)
        return f"{code}〔{year}〕{self.serial[(code, year)]}号"


def _rule_specs(rng: random.Random) -> list[ItemSpec]:
    """规章: the city government's orders (杭东市人民政府令)."""
    specs: list[ItemSpec] = []
    rules = [
        ("杭东市政府信息公开规定", "政务公开", ("综合政务", "政务公开")),
        ("杭东市优化营商环境办法", "优化营商环境", ("国民经济管理、国有资产监管", "经济体制改革")),
        ("杭东市突发事件应急管理办法", "应急管理", ("综合政务", "应急管理")),
        ("杭东市公共数据开放管理办法", "政务公开", ("综合政务", "电子政务")),
        ("杭东市生活垃圾分类管理办法", "垃圾分类", ("城乡建设、环境保护", "环境监测、保护与治理")),
        (
            "杭东市城乡居民基本医疗保险办法",
            "城乡居民基本医疗保险",
            ("劳动、人事、监察", "社会保障"),
        ),
    ]
    order_no = 150
    for title, subject, topic in rules:
        published = _date_between(rng, START, DEMO_TODAY - datetime.timedelta(days=60))
        order_no += rng.randint(1, 4)
        noun = "规定" if title.endswith("规定") else "办法"
        body = _policy_body(
            rng,
            org_name="杭东市人民政府",
            subject=title.removeprefix("杭东市").removesuffix(noun),
            noun=noun,
            lead="市人民政府办公室",
            published=published,
            is_rule=True,
        )
        specs.append(
            ItemSpec(
                org="city",
                title=title,
                genre=Genre.ORDER,
                columns=["zcwj", "zdgk", *_special_columns(subject)],
                topic=topic,
                audiences=_audiences_for(rng, subject),
                published=published,
                body=body,
                doc_number=f"杭东市人民政府令第{order_no}号",
                policy_kind="rule",
                subject=subject,
                keywords=f"{subject} 规章",
                summary=f"《{title}》经市人民政府常务会议审议通过，自公布之日起施行。",
                unit="法制科",
            )
        )
    return specs


def _policy_specs(rng: random.Random, doc_number: _DocNumbers) -> list[ItemSpec]:
    """行政规范性文件 and 其他政策文件 of every organisation."""
    specs: list[ItemSpec] = []
    for org in ORGS:
        subjects = _subjects_of(org.key)
        lead = org.name
        for i, (subject, _, topic) in enumerate(subjects):
            kind = "normative" if i % 3 != 2 else "other"
            published = _date_between(rng, START, DEMO_TODAY - datetime.timedelta(days=20))
            noun = rng.choice(texts.POLICY_NOUNS)
            full = f"{_place(org.name)}{subject}{noun}"
            if kind == "normative":
                title = f"{org.name}关于印发《{full}》的通知"
                genre = Genre.NOTICE
            else:
                title = f"{org.name}关于{subject}的实施意见"
                genre = Genre.OPINION
                noun = "实施意见"
            specs.append(
                ItemSpec(
                    org=org.key,
                    title=title,
                    genre=genre,
                    columns=["zcwj", "zdgk", *_special_columns(subject)],
                    topic=topic,
                    audiences=_audiences_for(rng, subject),
                    published=published,
                    body=_policy_body(
                        rng,
                        org_name=org.name,
                        subject=subject,
                        noun=noun,
                        lead=lead,
                        published=published,
                    ),
                    doc_number=doc_number(org.key, published.year, kind),
                    policy_kind=kind,
                    subject=subject,
                    keywords=f"{subject} {noun}",
                    summary=f"明确{subject}的适用范围、扶持条件、申报程序和监督管理要求。",
                    unit=org.units[1][0],
                    extra={"noun": noun},
                )
            )
    return specs


def _superseded_specs(
    rng: random.Random, specs: list[ItemSpec], doc_number: _DocNumbers
) -> list[ItemSpec]:
    """Superseded policies: the old text is 废止/失效/已修改 and points at its successor."""
    superseded: list[ItemSpec] = []
    successors = [s for s in specs if s.policy_kind == "normative"][:4]
    for new, validity in zip(
        successors,
        [
            InformationItem.Validity.REPEALED,
            InformationItem.Validity.REPEALED,
            InformationItem.Validity.EXPIRED,
            InformationItem.Validity.AMENDED,
        ],
        strict=True,
    ):
        old_published = _date_between(rng, datetime.date(2021, 3, 1), datetime.date(2023, 10, 1))
        old = ItemSpec(
            org=new.org,
            title=new.title.replace("》的通知", "（试行）》的通知"),
            genre=new.genre,
            columns=["zcwj", "zdgk"],
            topic=new.topic,
            audiences=list(new.audiences),
            published=old_published,
            body=_policy_body(
                rng,
                org_name=ORG_BY_KEY[new.org].name,
                subject=new.subject,
                noun=new.extra.get("noun", "办法") + "（试行）",
                lead=ORG_BY_KEY[new.org].name,
                published=old_published,
            ).replace("有效期五年", "有效期三年"),
            doc_number=doc_number(new.org, old_published.year, "normative"),
            policy_kind="normative",
            subject=new.subject,
            keywords=new.keywords,
            summary=new.summary,
            validity=validity,
            replaced_by=new,
            validity_date=new.published,
            unit=new.unit,
        )
        superseded.append(old)
    return superseded


def _routine_specs(rng: random.Random, doc_number: _DocNumbers) -> list[ItemSpec]:
    """动态要闻, 通知公告 and catalogue items of every organisation."""
    specs: list[ItemSpec] = []
    for org in ORGS:
        subjects = _subjects_of(org.key) or texts.SUBJECTS[:3]
        for _ in range(9):
            subject, _, topic = rng.choice(subjects)
            published = _date_between(rng, START, DEMO_TODAY)
            action = rng.choice(texts.NEWS_ACTIONS)
            event = texts.fill(action, rng, s=subject, y=str(published.year))
            title = org.short_name + event
            lead = f"{published:%-m月%-d日}，{org.short_name}{event}。"
            paragraphs = [lead, *texts.prose(rng, rng.randint(2, 4), (1, 3))]
            specs.append(
                ItemSpec(
                    org=org.key,
                    title=title,
                    genre=Genre.OTHER,
                    columns=["dtyw", *_special_columns(subject)],
                    topic=topic,
                    audiences=["公众"],
                    published=published,
                    body=texts.html_paragraphs(paragraphs),
                    subject=subject,
                    keywords=subject,
                )
            )
        for _ in range(7):
            subject, _, topic = rng.choice(subjects)
            published = _date_between(rng, START, DEMO_TODAY)
            template = rng.choice(texts.NOTICE_ACTIONS)
            title = org.name + texts.fill(template, rng, s=subject, y=str(published.year))
            genre = (
                Genre.ANNOUNCEMENT
                if "公告" in title
                else Genre.PUBLIC_NOTICE
                if "通告" in title
                else Genre.CIRCULAR
                if "通报" in title
                else Genre.NOTICE
            )
            company = texts.company_name(rng)
            paragraphs = [
                f"各有关单位：根据工作安排，现就{subject}有关事项通知如下。",
                *texts.prose(rng, 2, (1, 2)),
                f"联系单位：{org.name}{rng.choice(org.units)[0]}，联系电话：{org.phone}。",
                f"附件：{published.year}年{subject}申报表（样表，以{company}为例）",
            ]
            specs.append(
                ItemSpec(
                    org=org.key,
                    title=title,
                    genre=genre,
                    columns=["tzgg", "zdgk", *_special_columns(subject)],
                    topic=topic,
                    audiences=_audiences_for(rng, subject),
                    published=published,
                    body=texts.html_paragraphs(paragraphs),
                    doc_number=doc_number(org.key, published.year, "other")
                    if rng.random() < 0.5
                    else "",
                    subject=subject,
                    keywords=subject,
                )
            )
        for year in (2024, 2025):
            for title, topic, genre in [
                (f"{org.name}{year}年部门预算", ("财政、金融、审计", "财政"), Genre.REPORT),
                (f"{org.name}{year - 1}年部门决算", ("财政、金融、审计", "财政"), Genre.REPORT),
                (
                    f"{org.name}{year - 1}年政府信息公开工作年度报告",
                    ("综合政务", "政务公开"),
                    Genre.REPORT,
                ),
            ]:
                published = (
                    datetime.date(year, 1, 20 + rng.randint(0, 9))
                    if "年度报告" in title
                    else _date_between(rng, datetime.date(year, 2, 1), datetime.date(year, 8, 31))
                )
                paragraphs = texts.prose(rng, 3, (2, 3))
                if "年度报告" in title and year - 1 in REPORT_YEARS:
                    # Generated from the records instead (build_annual_reports). Drawn from
                    # the random source all the same, so every other item stays as it was.
                    continue
                specs.append(
                    ItemSpec(
                        org=org.key,
                        title=title,
                        genre=genre,
                        columns=["zdgk"],
                        topic=topic,
                        audiences=["公众"],
                        published=published,
                        body=texts.html_paragraphs(paragraphs),
                        keywords=topic[1],
                        subject=topic[1],
                    )
                )
    return specs


def _not_public_specs(rng: random.Random) -> list[ItemSpec]:
    """Not public: 依申请公开 and 不予公开 entries (they never appear on public pages)."""
    specs: list[ItemSpec] = []
    for i in range(5):
        org = ORGS[1 + i % 4]
        published = _date_between(rng, START, DEMO_TODAY)
        specs.append(
            ItemSpec(
                org=org.key,
                title=f"{org.name}关于{rng.choice(texts.PLACES)}{texts.company_name(rng)}"
                f"信访事项的处理意见",
                genre=Genre.OPINION,
                columns=[],
                topic=("综合政务", "信访"),
                audiences=[],
                published=published,
                body=texts.html_paragraphs(texts.prose(rng, 2, (1, 2))),
                disclosure=InformationItem.Disclosure.ON_REQUEST,
                reason=ON_REQUEST_REASON,
            )
        )
    for i, reason in enumerate(WITHHELD_REASONS):
        org = ORGS[i]
        published = _date_between(rng, START, DEMO_TODAY)
        specs.append(
            ItemSpec(
                org=org.key,
                title=f"{org.name}{published.year}年第{i + 1}次党组（党委）会议纪要",
                genre=Genre.MINUTES,
                columns=[],
                topic=("综合政务", "文秘工作"),
                audiences=[],
                published=published,
                body=texts.html_paragraphs(texts.prose(rng, 2, (1, 2))),
                disclosure=InformationItem.Disclosure.WITHHELD,
                reason=reason,
            )
        )
    return specs


def _work_in_progress_specs(rng: random.Random) -> list[ItemSpec]:
    """Work in progress for the staff workbench."""
    specs: list[ItemSpec] = []
    for i, status in enumerate(
        [InformationItem.Status.DRAFT] * 4
        + [InformationItem.Status.IN_REVIEW] * 3
        + [InformationItem.Status.RETURNED]
    ):
        org = ORGS[i % len(ORGS)]
        subject, _, topic = rng.choice(_subjects_of(org.key) or texts.SUBJECTS)
        specs.append(
            ItemSpec(
                org=org.key,
                title=f"{org.name}关于做好{DEMO_TODAY.year + 1}年{subject}工作的通知（送审稿）",
                genre=Genre.NOTICE,
                columns=["tzgg"],
                topic=topic,
                audiences=_audiences_for(rng, subject),
                published=DEMO_TODAY,
                body=texts.html_paragraphs(texts.prose(rng, 3, (1, 2))),
                status=status,
                subject=subject,
            )
        )
    return specs


def _specs(rng: random.Random) -> list[ItemSpec]:
    """Every demo item, generated in a fixed order from one seeded random source."""
    doc_number = _DocNumbers(rng)
    specs = _rule_specs(rng)
    specs += _policy_specs(rng, doc_number)
    specs += _superseded_specs(rng, specs, doc_number)
    specs += _routine_specs(rng, doc_number)
    specs += _not_public_specs(rng)
    specs += _work_in_progress_specs(rng)
    return specs


INTERPRETATION_FORMS = ["text", "text", "graphic", "text", "video", "qa"]


def _interpretation_body(rng, form: str, policy: ItemSpec) -> tuple[str, str]:
    subject = policy.subject
    if form == "qa":
        qas = [
            (
                f"一、{book_title(policy.title)}适用于哪些对象？",
                f"适用于本市行政区域内从事{subject}相关活动的{rng.choice(texts.SCOPES)}。",
            ),
            (
                "二、如何申请？",
                "申请人可以通过杭东市政务服务网在线申报，也可以到市民中心综合窗口现场办理。",
            ),
            (
                "三、多长时间能办结？",
                f"受理部门在受理之日起{rng.choice([5, 10, 15])}个工作日内完成审核并公示结果。",
            ),
        ]
        return "".join(f"<h2>{q}</h2><p>{a}</p>" for q, a in qas), ""
    paragraphs = [
        f"一、起草背景。为贯彻落实党中央、国务院和省委、省政府关于{subject}的决策部署，"
        f"{ORG_BY_KEY[policy.org].name}在深入调研、广泛征求意见的基础上起草了该文件。",
        f"二、主要内容。文件共{rng.randint(8, 14)}条，"
        "明确了适用范围、支持方式、申报程序和监督管理等内容。",
        "三、主要亮点。" + "".join(texts.prose(rng, 1, (1, 2))),
        f"四、施行时间。文件自{policy.published:%Y年%-m月%-d日}起施行。",
    ]
    alt = ""
    if form == "graphic":
        alt = (
            f"一图读懂{subject}：图中分四部分，依次说明起草背景、主要内容、支持标准和申报流程；"
            "咨询电话见文末。"
        )
    return texts.html_paragraphs(paragraphs), alt


def _audit_items(rows: list[tuple[ItemSpec, InformationItem]], staff_users: dict) -> None:
    """The audit rows item_create / item_publish / item_set_validity would have written."""
    entries = []
    for spec, item in rows:
        editor = staff_users[f"{spec.org}_editor"]
        common = {
            "actor": editor,
            "actor_name": editor.get_full_name(),
            "target_type": item._meta.label_lower,
            "target_id": str(item.pk),
            "target_label": item.title[:300],
            "organisation_id": item.organisation_id,
        }
        entries.append(
            AuditEntry(
                action=AuditEntry.Action.CREATE,
                detail={"index_number": item.index_number, "source": "demo"},
                **common,
            )
        )
        if item.status == InformationItem.Status.PUBLISHED and item.published_date:
            entries.append(
                AuditEntry(
                    action=AuditEntry.Action.PUBLISH,
                    detail={"from": "draft", "published_date": item.published_date.isoformat()},
                    **common,
                )
            )
        if item.validity != InformationItem.Validity.VALID:
            entries.append(
                AuditEntry(
                    action=AuditEntry.Action.VALIDITY,
                    detail={
                        "from": "valid",
                        "to": item.validity,
                        "date": item.validity_date.isoformat() if item.validity_date else None,
                        "replaced_by": spec.replaced_by.pk if spec.replaced_by else None,
                    },
                    **common,
                )
            )
    AuditEntry.objects.bulk_create(entries)


def graphic_png(subject: str) -> bytes:
    """A small 一图读懂 picture: a title band and four numbered panels (Pillow, CJK font if the
    system has Noto CJK; plain panels otherwise)."""
    import io

    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (640, 400), "#ffffff")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 640, 80), fill="#a4161a")
    font = small = None
    for path in (
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    ):
        try:
            font = ImageFont.truetype(path, 30)
            small = ImageFont.truetype(path, 22)
            break
        except OSError:
            continue
    if font is not None:
        draw.text((24, 20), f"一图读懂：{subject}"[:18], fill="#ffffff", font=font)
    labels = ["起草背景", "主要内容", "支持标准", "申报流程"]
    for n, label in enumerate(labels):
        x, y = 24 + (n % 2) * 304, 104 + (n // 2) * 144
        draw.rectangle((x, y, x + 288, y + 128), fill="#f5f5f5", outline="#7a0f12", width=3)
        if small is not None:
            draw.text((x + 16, y + 16), f"{n + 1}. {label}", fill="#1a1a1a", font=small)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _qa_pairs(subject: str) -> list[tuple[str, str]]:
    return [
        (
            f"{subject}的申报时间是什么时候？",
            "每年集中申报一次，具体时间以当年申报通知为准，一般在3月至5月。",
        ),
        (
            f"申请{subject}政策需要提交哪些材料？",
            "需提交申请表、营业执照或法人登记证书复印件、相关证明材料；"
            "材料齐全的，受理部门当场受理。",
        ),
        (
            f"{subject}政策的咨询电话是多少？",
            "可拨打下方所列科室电话咨询，工作日上午8:30—12:00、下午14:00—17:30。",
        ),
    ]


@dataclass
class World:
    """What the build steps share: the random source, the people and places made so far, and
    the counts reported by `gongkai demo` (each step adds its own)."""

    seed: int
    rng: random.Random
    password: str
    orgs: dict[str, Organisation] = field(default_factory=dict)
    units: dict[tuple[str, str], InternalUnit] = field(default_factory=dict)
    superuser: User | None = None
    staff_users: dict[str, User] = field(default_factory=dict)
    items: list[tuple[ItemSpec, InformationItem]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def editor(self, org_key: str) -> User:
        return self.staff_users[f"{org_key}_editor"]


@transaction.atomic
def build_world(*, seed: int = 2026, stdout=None) -> dict[str, int]:
    """Create the demo organisations, people and content. The caller checks emptiness."""
    # Hash the password once: PBKDF2 per user would take seconds.
    world = World(seed=seed, rng=random.Random(seed), password=make_password(DEMO_PASSWORD))
    build_organisations(world)
    build_people(world)
    build_items(world)
    build_interpretations(world)
    build_qa(world)
    build_foi(world)
    # Other domains: one line each here, `build_<domain>(world)` from world_<domain>.py.
    build_match(world)
    build_interaction(world)
    build_registers(world)
    build_participation(world)

    # Last: a report is frozen when submitted, so everything it counts must exist by now.
    build_annual_reports(world)
    return build_finish(world)


def build_organisations(world: World) -> None:
    """The agencies and their 科室."""
    for order, ospec in enumerate(ORGS, start=1):
        org = Organisation.objects.create(
            code=ospec.code,
            name=ospec.name,
            short_name=ospec.short_name,
            kind=ospec.kind,
            parent=world.orgs.get(ospec.parent) if ospec.parent else None,
            address=ospec.address,
            office_hours=HOURS,
            phone=ospec.phone,
            fax=ospec.phone[:-1] + "9",
            email=f"gk_{ospec.key}@hangdong.gov.cn",
            postcode=ospec.postcode,
            leaders=ospec.leaders,
            functions=ospec.functions,
            sort_order=order * 10,
        )
        world.orgs[ospec.key] = org
        for u_order, (name, phone, duties) in enumerate(ospec.units, start=1):
            world.units[(ospec.key, name)] = InternalUnit.objects.create(
                organisation=org, name=name, phone=phone, functions=duties, sort_order=u_order
            )
    world.counts["organisations"] = len(world.orgs)
    world.counts["units"] = len(world.units)


def build_people(world: World) -> None:
    """The superuser, the staff with their roles, the members of the public."""
    world.superuser = User.objects.create(
        username=SUPERUSER[0],
        display_name=SUPERUSER[1],
        kind=User.Kind.STAFF,
        is_staff=True,
        is_superuser=True,
        password=world.password,
    )
    for username, name, org_key, role, level, below, unit_name in STAFF:
        user = User.objects.create(
            username=username,
            display_name=name,
            kind=User.Kind.STAFF,
            password=world.password,
            unit=world.units[(org_key, unit_name)],
            email=f"{username}@hangdong.gov.cn",
        )
        RoleAssignment.objects.create(
            user=user,
            organisation=world.orgs[org_key],
            role=role,
            review_level=level,
            include_descendants=below,
        )
        world.staff_users[username] = user
    for username, name, kind, org_name, phone in PUBLIC_USERS:
        User.objects.create(
            username=username,
            display_name=name,
            kind=User.Kind.PUBLIC,
            applicant_type=kind,
            organisation_name=org_name,
            phone=phone,
            password=world.password,
        )
    world.counts["staff"] = len(STAFF) + 1
    world.counts["public_users"] = len(PUBLIC_USERS)


def build_items(world: World) -> None:
    """Information items. 200-odd items through item_create/item_publish take 10-25 s (a version,
    a search-log row and several checks per save), so they are written in bulk instead,
    keeping what matters: 索引号 from index_numbers_allocate (per organisation and year, in
    the year of the 成文日期 as item_create does), sanitised bodies, an audit row per
    creation, publication and validity change, and a search change-log row per item."""
    rows = _item_rows(world)
    InformationItem.objects.bulk_create([item for _, item in rows])
    for spec, item in rows:
        spec.pk = item.pk
    for spec, item in rows:
        if spec.replaced_by is not None:
            item.replaced_by_id = spec.replaced_by.pk
            InformationItem.objects.filter(pk=item.pk).update(replaced_by_id=spec.replaced_by.pk)
    for through_rows in _item_links(rows):
        if through_rows:
            type(through_rows[0]).objects.bulk_create(through_rows)
    _audit_items(rows, world.staff_users)
    # bulk_create and the update() above send no post_save: tell the search change log.
    rows_written_send(InformationItem, [item for _, item in rows])
    world.items = rows
    world.counts["items"] = len(rows)
    world.counts["policies"] = sum(1 for s, _ in rows if s.policy_kind)


def _item_rows(world: World) -> list[tuple[ItemSpec, InformationItem]]:
    """The unsaved items, with their 索引号, in publication order."""
    rng = world.rng
    topic = _topic_finder()
    specs = sorted(_specs(rng), key=lambda s: (s.published, s.title))
    for spec in specs:
        spec.extra["written"] = spec.published - datetime.timedelta(days=rng.randint(1, 12))
    by_group: dict[tuple[str, int], list[ItemSpec]] = defaultdict(list)
    for spec in specs:
        by_group[(spec.org, spec.extra["written"].year)].append(spec)
    rows: list[tuple[ItemSpec, InformationItem]] = []
    for (org_key, year), group in by_group.items():
        numbers = catalogue_services.index_numbers_allocate(
            organisation=world.orgs[org_key], on_date=datetime.date(year, 1, 1), count=len(group)
        )
        for spec, number in zip(group, numbers, strict=True):
            body = sanitize_html(spec.body)
            published = spec.status == InformationItem.Status.PUBLISHED
            item = InformationItem(
                index_number=number,
                organisation=world.orgs[org_key],
                unit=world.units.get((org_key, spec.unit)),
                title=spec.title,
                doc_number=spec.doc_number,
                written_date=spec.extra["written"],
                published_date=spec.published if published else None,
                topic=topic(spec.topic),
                genre=spec.genre,
                keywords=spec.keywords,
                summary=spec.summary,
                body=body,
                body_text=html_to_text(body),
                disclosure=spec.disclosure,
                disclosure_reason=spec.reason,
                validity=spec.validity,
                validity_date=spec.validity_date,
                policy_kind=spec.policy_kind,
                status=spec.status,
                created_by=world.editor(org_key),
            )
            rows.append((spec, item))
    rows.sort(key=lambda r: (r[0].published, r[0].title))
    return rows


def _topic_finder() -> Callable[[tuple[str, str]], TopicCategory]:
    """主题分类 by (top, sub) name, created on first use."""
    cache: dict[tuple[str, str], TopicCategory] = {}

    def topic(path: tuple[str, str]) -> TopicCategory:
        if path not in cache:
            top, _ = TopicCategory.objects.get_or_create(parent=None, name=path[0])
            cache[path], _ = TopicCategory.objects.get_or_create(parent=top, name=path[1])
        return cache[path]

    return topic


def _item_links(rows: list[tuple[ItemSpec, InformationItem]]) -> list[list[Any]]:
    """The items' 服务对象 and 栏目 link rows, unsaved (the classifications are seeded by the
    catalogue migration; created here if missing)."""
    columns = _columns()
    audiences = {a.name: a for a in Audience.objects.all()}
    for i, name in enumerate(AUDIENCE_NAMES, start=1):
        if name not in audiences:
            audiences[name] = Audience.objects.create(name=name, sort_order=i)
    through_a = InformationItem.audiences.through
    through_c = InformationItem.columns.through
    return [
        [
            through_a(informationitem_id=item.pk, audience_id=audiences[name].pk)
            for spec, item in rows
            for name in dict.fromkeys(spec.audiences)
        ],
        [
            through_c(informationitem_id=item.pk, column_id=columns[slug].pk)
            for spec, item in rows
            for slug in dict.fromkeys(spec.columns)
        ],
    ]


def _live_policies(world: World) -> list[tuple[ItemSpec, InformationItem]]:
    return [
        (spec, item)
        for spec, item in world.items
        if spec.policy_kind
        and spec.validity == InformationItem.Validity.VALID
        and spec.status == InformationItem.Status.PUBLISHED
    ]


def _companion_policies(spec: ItemSpec, item: InformationItem, policies: list) -> list:
    return [
        other
        for other_spec, other in policies
        if other.pk != item.pk
        and other_spec.org == spec.org
        and other_spec.subject == spec.subject
        and (other.written_date or other.published_date)
        <= (item.written_date or item.published_date)
    ][:1]


def build_interpretations(world: World) -> None:
    """Interpretations (several forms), linked both ways with their policies."""
    rng = world.rng
    policies = _live_policies(world)
    interpretations = 0
    for i, (spec, item) in enumerate(policies[:24]):
        form = INTERPRETATION_FORMS[i % len(INTERPRETATION_FORMS)]
        body, alt = _interpretation_body(rng, form, spec)
        short = spec.subject
        title = {
            "text": f"{book_title(spec.title)}政策解读",
            "graphic": f"一图读懂：{short}",
            "video": f"视频解读：{short}政策要点",
            "qa": f"{short}简明问答",
        }[form]
        linked = [item]
        # A reading that explains two policies: only ever two of the same organisation on the
        # same subject, the earlier one still in force. Linking the next policy in the list
        # attached interpretations to other organisations' unrelated documents (issue 15).
        linked += _companion_policies(spec, item, policies)
        editor = world.editor(spec.org)
        interp = policy_services.interpretation_create(
            organisation=world.orgs[spec.org],
            title=title,
            form=form,
            body=body,
            image=ContentFile(graphic_png(short), name=f"yitu-{i + 1:03d}.png")
            if form == "graphic"
            else None,
            image_alt=alt,
            video_url=f"https://video.hangdong.gov.cn/jd/{spec.published.year}/{i + 1:04d}.mp4"
            if form == "video"
            else "",
            interpreter=ORG_BY_KEY[spec.org].leaders.split(" ")[0] if form == "text" else "",
            policies=linked,
            acting_user=editor,
        )
        # The demo's history was published before Gongkai: explicit and audited, not reviewed.
        policy_services.interpretation_publish(
            interpretation=interp,
            acting_user=editor,
            published_date=spec.published + datetime.timedelta(days=rng.randint(0, 3)),
            without_review=DEMO_HISTORY,
        )
        interpretations += 1
    world.counts["interpretations"] = interpretations


def build_qa(world: World) -> None:
    """政策问答: question, answer, the answering 科室 and its phone."""
    qa_count = 0
    for spec, item in _live_policies(world)[:12]:
        org_spec = ORG_BY_KEY[spec.org]
        unit_name, unit_phone, _ = org_spec.units[1 if len(org_spec.units) > 1 else 0]
        editor = world.editor(spec.org)
        for question, answer in _qa_pairs(spec.subject)[: 2 + qa_count % 2]:
            entry = policy_services.qa_create(
                organisation=world.orgs[spec.org],
                unit=world.units[(spec.org, unit_name)],
                question=question,
                answer=answer,
                policy=item,
                contact_phone=unit_phone,
                acting_user=editor,
            )
            policy_services.qa_publish(
                entry=entry,
                acting_user=editor,
                published_date=spec.published + datetime.timedelta(days=world.rng.randint(1, 30)),
                without_review=DEMO_HISTORY,
            )
            qa_count += 1
    world.counts["qa_entries"] = qa_count


def build_foi(world: World) -> None:
    from .foi_cases import build_foi_cases

    world.counts["foi_cases"] = build_foi_cases(world.orgs, world.staff_users, world.seed)


def build_annual_reports(world: World) -> None:
    from .annual_reports import publish_annual_reports

    world.counts["annual_reports"] = publish_annual_reports(world.orgs, world.staff_users)


# The order `gongkai demo` has always printed its counts in; a new domain's come after.
COUNT_ORDER = (
    "foi_cases",
    "annual_reports",
    "organisations",
    "units",
    "staff",
    "public_users",
    "items",
    "policies",
    "interpretations",
    "qa_entries",
    "interaction_messages",
)


def build_finish(world: World) -> dict[str, int]:
    """The counts, and the audit row of the whole import."""
    counts = {key: world.counts[key] for key in COUNT_ORDER if key in world.counts}
    counts.update({k: v for k, v in world.counts.items() if k not in counts})
    audit_record(
        action=AuditEntry.Action.IMPORT,
        acting_user=world.superuser,
        target_label="演示数据",
        detail={"command": "demo", **counts},
    )
    return counts


def _columns() -> dict[str, Column]:
    found = {c.slug: c for c in Column.objects.filter(slug__in=COLUMN_DEFAULTS)}
    for slug, (name, kind, parent) in COLUMN_DEFAULTS.items():
        if slug not in found:
            found[slug] = Column.objects.create(
                slug=slug, name=name, kind=kind, parent=found.get(parent) if parent else None
            )
    return found
