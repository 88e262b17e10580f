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
    "KB", "MB", "GB", "ICP", "Email",
}  # fmt: skip
CODE = re.compile(r"[0-9A-Z]*\d[0-9A-Z]*[A-Z][0-9A-Z]*|[0-9A-Z]*[A-Z][0-9A-Z]*\d[0-9A-Z]*")
LATIN_WORD = re.compile(r"[A-Za-z]+")
# Building letters in addresses (市民中心A座, B栋) and national standard numbers (GB/T 37668).
STANDARD = re.compile(r"GB(/T)? ?\d+")
BUILDING = re.compile(r"[A-Z](?=[座栋幢楼区])")
CJK = "\u3400-\u9fff\uf900-\ufaff"
HALF_COLON = re.compile(rf"[{CJK}]:")
STRAY_SPACE = re.compile(rf"[{CJK}] +\d|\d +[{CJK}]")
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
    without_codes = BUILDING.sub("", CODE.sub("", STANDARD.sub("", without_urls)))
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


def test_public_pages_of_the_demo_world_have_clean_copy(client):
    call_command("demo", stdout=io.StringIO())
    report = []
    for path in public_paths():
        response = client.get(path)
        assert response.status_code == 200, path
        for text in visible_text(response.content.decode()):
            found = problems(text)
            if found:
                report.append(f"{path}: {'、'.join(found)}：{text[:120]}")
    assert report == [], "\n".join(report)
