"""Copy on the public pages of the demo world (issue 15, item 15): no English, full-width
colons after Chinese text, no stray spaces between Chinese and numbers, 〈〉 inside 《》.

The crawl renders each page through the test client and reads what a visitor reads: the text
between tags plus the attributes shown or spoken (placeholder, title, alt, aria-label, the
label of buttons), never URLs, class names or scripts.
"""

import html as html_lib
import io
import re
from html.parser import HTMLParser

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

# Words a Chinese government site writes in Latin letters: file formats and units, the RSS/Atom
# feed names, 备案 prefixes (ICP), and the letters of codes (统一社会信用代码, 索引号 and 文号
# such as "11330100002489948X/2025-00001" are matched as codes below).
ALLOWED_WORDS = {
    "Tab",
    "PDF", "OFD", "DOCX", "Word", "Excel", "PNG", "JPEG", "GIF", "RSS", "Atom",
    "KB", "MB", "GB", "ICP", "Email", "CSV",
}  # fmt: skip
CODE = re.compile(r"[0-9A-Z]*\d[0-9A-Z]*[A-Z][0-9A-Z]*|[0-9A-Z]*[A-Z][0-9A-Z]*\d[0-9A-Z]*")
# Registry numbers with a letter prefix: 留言编号 LY-2026-03-000001, 权力事项编码 QZ-0001.
PREFIXED_CODE = re.compile(r"[A-Z]{1,4}(?:-\d+)+")
LATIN_WORD = re.compile(r"[A-Za-z]+")
# Building letters in addresses (市民中心A座, B栋) and national standard numbers (GB/T 37668).
STANDARD = re.compile(r"GB(/T)? ?\d+")
BUILDING = re.compile(r"[A-Z](?=[座栋幢楼区])")
CJK = "\u3400-\u9fff\uf900-\ufaff"
HALF_COLON = re.compile(rf"[{CJK}]:")
# A clock time after a date keeps its space (2025年9月26日 09:30).
STRAY_SPACE = re.compile(rf"[{CJK}] +\d(?!\d?:\d\d)|\d +[{CJK}]")
NESTED_BOOK_TITLE = re.compile(r"《[^》]*《")

SPOKEN_ATTRIBUTES = {"placeholder", "title", "alt", "aria-label"}


class VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if value and name in SPOKEN_ATTRIBUTES:
                self.parts.append(value)
        if tag == "input" and dict(attrs).get("type") in ("submit", "button"):
            self.parts.append(dict(attrs).get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.parts.append(data.strip())


def visible_text(page: str) -> list[str]:
    parser = VisibleText()
    parser.feed(page)
    return [html_lib.unescape(p) for p in parser.parts]


def problems(text: str) -> list[str]:
    found = []
    without_urls = re.sub(r"(https?://|mailto:)\S+|[\w.+-]+@[\w-]+(\.[\w-]+)+", "", text)
    without_codes = BUILDING.sub(
        "", CODE.sub("", PREFIXED_CODE.sub("", STANDARD.sub("", without_urls)))
    )
    for word in LATIN_WORD.findall(without_codes):
        if word not in ALLOWED_WORDS:
            found.append(f"英文“{word}”")
    if HALF_COLON.search(text):
        found.append("半角冒号")
    if STRAY_SPACE.search(text):
        found.append("数字两侧多余空格")
    if "------" in text:
        found.append("Django默认的下拉框占位符")
    if NESTED_BOOK_TITLE.search(text):
        found.append("书名号内嵌套应使用〈〉")
    return found


def test_checker_catches_what_it_should():
    assert problems("来源:demo") == ["英文“demo”", "半角冒号"]
    assert problems("共 40 件") == ["数字两侧多余空格"]
    assert problems("---------") == ["Django默认的下拉框占位符"]
    assert problems("《关于印发《办法》的通知》") == ["书名号内嵌套应使用〈〉"]
    assert problems("索引号：11330100002489948X/2025-00001，杭政办〔2025〕3号，PDF，1.2 MB") == []
    assert problems("网址：https://www.gov.cn/zhengce/") == []
    assert problems("留言编号：LY-2026-03-000001，权力事项编码：QZ-0001") == []
    assert problems("留言日期 2026-11-30") == ["数字两侧多余空格"]
    assert problems("时间：2025年9月26日 09:30") == []


def public_paths() -> list[str]:
    from gongkai.accounts.models import Organisation
    from gongkai.catalogue.models import Column, InformationItem
    from gongkai.policies.models import Interpretation, QAEntry
    from gongkai.reports.models import AnnualReport

    city = Organisation.objects.get(name="杭东市人民政府")
    paths = [
        "/",
        "/policies/",
        "/policies/?kind=rule",
        "/policies/normative/",
        "/policies/repealed/",
        "/interpretations/",
        "/qa/",
        "/zfxxgk/",
        f"/zfxxgk/org/{city.code}/",
        "/zfxxgk/guide/",
        f"/zfxxgk/guide/?org={city.code}",
        "/zfxxgk/rules/",
        "/zfxxgk/annual-reports/",
        "/zfxxgk/ysqgk/",
        "/zfxxgk/ysqgk/apply/",
        f"/zfxxgk/ysqgk/?org={city.code}",
        f"/zfxxgk/ysqgk/apply/?as=natural&org={city.code}",
        "/zfxxgk/ysqgk/apply/?as=legal",
        "/zfxxgk/ysqgk/status/",
        "/zfxxgk/ysqgk/correction/",
        "/organisations/",
        f"/organisations/{city.code}/",
        "/search/?q=企业",
        "/report-error/",
        "/contact/",
        "/statement/",
        "/accessibility/",
        "/sitemap/",
        "/accounts/login/",
        "/accounts/register/",
    ]
    topic = InformationItem.objects.filter(status="published", topic__isnull=False).first()
    if topic is not None:
        paths.append(f"/zfxxgk/topic/{topic.topic_id}/")
    paths += [
        f"/columns/{slug}/"
        for slug in Column.objects.filter(is_active=True).values_list("slug", flat=True)[:12]
    ]
    for item in InformationItem.objects.filter(
        status="published", revision_of__isnull=True
    ).exclude(validity="valid"):
        paths.append(f"/items/{item.pk}/")
    for kind in ("rule", "normative", "other"):
        item = InformationItem.objects.filter(status="published", policy_kind=kind).first()
        if item is not None:
            paths.append(f"/items/{item.pk}/")
    for form in ("text", "graphic", "video", "qa"):
        interp = Interpretation.objects.filter(status="published", form=form).first()
        if interp is not None:
            paths.append(f"/interpretations/{interp.pk}/")
    qa = QAEntry.objects.filter(status="published").first()
    if qa is not None:
        paths.append(f"/qa/{qa.pk}/")
    report = AnnualReport.objects.filter(published_item__isnull=False).first()
    if report is not None:
        paths.append(f"/items/{report.published_item_id}/")
    return paths


# Public pages outside the catalogue's crawl (issue 15: every public page): 政民互动, 意见征集
# and its directories, 政策找人, the 清单/台账 pages, search with the 政策文件 and 标题 switches.
MORE_PUBLIC_PATHS = [
    "/hudong/",
    "/hudong/stats/",
    "/hudong/status/",
    "/hudong/write/",
    "/hudong/press/",
    "/hudong/concerns/",
    "/participation/consultations/",
    "/participation/decisions/",
    "/participation/evaluations/",
    "/policies/match/",
    "/zfxxgk/jyta/",
    "/zfxxgk/qingdan/",
    "/zfxxgk/ssj/",
    "/zfxxgk/zdxm/",
    "/search/?q=企业&scope=policy&field=title",
    "/accounts/password/reset/",
]


def more_public_paths() -> list[str]:
    """MORE_PUBLIC_PATHS and one page of each of their kinds of detail page in the demo world:
    a message, a 新闻发布会, a 回应关切, a consultation, a 清单 and its history, a 重大建设项目,
    a 双随机 plan, a 建议提案, a 政策评价 and a 政府开放日."""
    from gongkai.interaction import selectors as interaction
    from gongkai.participation import selectors as participation
    from gongkai.registers import kinds
    from gongkai.registers import selectors as registers

    paths = list(MORE_PUBLIC_PATHS)
    message = interaction.public_messages(organisation=None, category="", q="").first()
    if message is not None:
        paths.append(f"/hudong/m/{message.reference}/")
    for prefix, row in (
        ("/hudong/press/", interaction.public_press_conferences().first()),
        ("/hudong/concerns/", interaction.public_concern_responses().first()),
        ("/participation/consultations/", participation.public_consultations().first()),
        ("/zfxxgk/zdxm/", registers.public_projects().first()),
        ("/zfxxgk/ssj/plans/", registers.public_spot_plans().first()),
        ("/zfxxgk/jyta/", registers.public_proposals().first()),
    ):
        if row is not None:
            paths.append(f"{prefix}{row.pk}/")
    from gongkai.participation.models import OpenDayEvent, PolicyEvaluation

    for prefix, row in (
        (
            "/participation/evaluations/",
            PolicyEvaluation.objects.filter(status="published").first(),
        ),
        ("/participation/open-days/", OpenDayEvent.objects.first()),
    ):
        if row is not None:
            paths.append(f"{prefix}{row.pk}/")
    for org_id in registers.organisations_with_lists()[:1]:
        kind = kinds.ListKind.values[0]
        paths += [f"/zfxxgk/qingdan/{org_id}/{kind}/", f"/zfxxgk/qingdan/{org_id}/{kind}/history/"]
    return paths


def test_public_pages_of_the_demo_world_have_clean_copy(client):
    call_command("demo", stdout=io.StringIO())
    report = []
    for path in public_paths() + more_public_paths():
        response = client.get(path)
        assert response.status_code == 200, path
        for text in visible_text(response.content.decode()):
            found = problems(text)
            if found:
                report.append(f"{path}: {'、'.join(found)}：{text[:120]}")
    assert report == [], "\n".join(report)
