"""PDF output refuses, with a Chinese message, when fontconfig knows no Chinese font."""

import os
import subprocess
import sys
from pathlib import Path

from gongkai.core.testing import EMPTY_FONTCONFIG

MESSAGE = (
    "无法生成 PDF：本服务器没有安装中文字体，生成的 PDF 中文会显示为空白方框。"
    "请管理员安装 fonts-noto-cjk（Debian/Ubuntu：apt-get install fonts-noto-cjk，"
    "或运行 make system-deps），然后重启服务。DOCX 文件不受影响。"
)

SCRIPT = """
import datetime, django
django.setup()
from gongkai.core.pdf import PdfFontsMissing, cjk_fonts_available, html_to_pdf
from gongkai.foi import documents
letter = documents.Letter(
    title="政府信息公开申请答复书", addressee="张三", paragraphs=["现予以公开。"],
    organisation="杭东市财政局", issued=datetime.date(2025, 10, 20),
)
for render in (lambda: html_to_pdf("<p>中文</p>"), lambda: documents.render_pdf(letter)):
    try:
        render()
    except PdfFontsMissing as error:
        print(error)
    else:
        print("PDF")
print(cjk_fonts_available(), cjk_fonts_available.cache_info().misses)
"""


def run(env_extra: dict[str, str]) -> list[str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "gongkai.config.settings.test",
        **env_extra,
    }
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[3],
        timeout=120,
    )
    return result.stdout.splitlines()


def test_without_a_chinese_font_pdfs_are_refused_in_chinese(tmp_path):
    config = tmp_path / "fonts.conf"
    config.write_text(EMPTY_FONTCONFIG.format(cache=tmp_path / "cache"), encoding="utf-8")
    # One fontconfig look-up for the whole process (the check is cached).
    assert run({"FONTCONFIG_FILE": str(config)}) == [MESSAGE, MESSAGE, "False 1"]


def test_with_the_system_fonts_pdfs_are_made():
    assert run({}) == ["PDF", "PDF", "True 1"]
