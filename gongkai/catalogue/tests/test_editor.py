# ruff: noqa: E501
"""The 正文 editor's output against the sanitiser, and .docx import (issue 15 item 1)."""

import io
import zipfile

import pytest
from docx import Document
from docx.shared import Inches

from gongkai.catalogue.editor import EDITOR_EXTENSIONS, DocxImportError, docx_to_body
from gongkai.catalogue.richtext import ALLOWED_TAGS, sanitize_html
from gongkai.catalogue.tests.test_attachments import png_bytes
from gongkai.catalogue.tests.word_sample import WORD_HTML

# What the editor (Tiptap 3 through django-prose-editor 0.28) writes for a heading, lists, a
# table with a header row, a link, an image and inline marks — copied from the browser test.
EDITOR_OUTPUT = (
    "<h2>第一章　总则</h2>"
    "<p><strong>第一条</strong>　为<em>稳定就业</em>，<u>制定</u>本办法。H<sub>2</sub>O x<sup>2</sup>"
    "<s>旧</s></p>"
    '<ul><li><p>适用于本市小微企业</p></li></ul><ol start="3" type="1" data-type="decimal" '
    'style="list-style-type: decimal;"><li><p>依法纳税</p></li></ol>'
    '<div class="tableWrapper"><table style="min-width: 50px;"><colgroup>'
    '<col style="min-width: 25px;"><col style="min-width: 25px;"></colgroup><tbody>'
    '<tr><th colspan="1" rowspan="1"><p>企业规模</p></th><th colspan="1" rowspan="1"><p>补贴标准</p></th></tr>'
    '<tr><td colspan="1" rowspan="1"><p>小型</p></td><td colspan="2" rowspan="1"><p>每人500元</p></td></tr>'
    "</tbody></table></div>"
    '<p><a target="_blank" rel="noopener noreferrer nofollow" href="https://www.hangdong.gov.cn/zc/1.html">'
    '原文</a>　<a href="https://www.hangdong.gov.cn/zfxxgk/attachments/7/download/">'
    "附件1：申报表.xlsx</a></p>"
    '<p><img src="/zfxxgk/attachments/8/download/" alt="申报流程图" data-file="8"></p>'
    "<blockquote><p>引用</p></blockquote><hr>"
)


def test_editor_output_survives_the_sanitiser_with_its_structure():
    clean = sanitize_html(EDITOR_OUTPUT)
    assert clean == (
        "<h2>第一章　总则</h2>"
        "<p><strong>第一条</strong>　为<em>稳定就业</em>，<u>制定</u>本办法。H<sub>2</sub>O "
        "x<sup>2</sup><s>旧</s></p>"
        '<ul><li><p>适用于本市小微企业</p></li></ul><ol start="3"><li><p>依法纳税</p></li></ol>'
        "<div><table><colgroup><col><col></colgroup><tbody>"
        '<tr><th colspan="1" rowspan="1"><p>企业规模</p></th><th colspan="1" rowspan="1">'
        "<p>补贴标准</p></th></tr>"
        '<tr><td colspan="1" rowspan="1"><p>小型</p></td><td colspan="2" rowspan="1">'
        "<p>每人500元</p></td></tr></tbody></table></div>"
        '<p><a href="https://www.hangdong.gov.cn/zc/1.html" rel="noopener noreferrer">原文</a>　'
        '<a href="https://www.hangdong.gov.cn/zfxxgk/attachments/7/download/" '
        'rel="noopener noreferrer">附件1：申报表.xlsx</a></p>'
        '<p><img src="/zfxxgk/attachments/8/download/" alt="申报流程图"></p>'
        "<blockquote><p>引用</p></blockquote><hr>"
    )
    # Sanitising is idempotent: a saved body saved again does not change.
    assert sanitize_html(clean) == clean


def test_every_tag_the_toolbar_can_make_is_allowed():
    from django_prose_editor.config import allowlist_from_extensions

    produced = allowlist_from_extensions(EDITOR_EXTENSIONS)["tags"]
    assert produced - ALLOWED_TAGS == set()


def test_word_clipboard_html_without_javascript_is_reduced_by_the_sanitiser():
    """Pasted raw into the textarea (no JavaScript): styles, classes, <o:p> and comments go."""
    clean = sanitize_html(WORD_HTML)
    for trace in ("mso", "Mso", "o:p", "style", "class", "<!--", "font-family"):
        assert trace not in clean
    assert "<h1><span>第二章　申报条件</span></h1>" in clean
    assert "<b><span>咨询电话</span></b>" in clean


def _docx(build) -> bytes:
    document = Document()
    build(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_docx_becomes_headings_lists_tables_and_links():
    def build(doc):
        doc.add_heading("杭东市小微企业稳岗补贴实施办法", level=0)
        doc.add_heading("第一章　总则", level=1)
        doc.add_paragraph("第一条　为稳定就业，制定本办法。")
        doc.add_heading("一、申报条件", level=2)
        doc.add_paragraph("在本市登记注册", style="List Number")
        doc.add_paragraph("依法纳税", style="List Number")
        doc.add_paragraph("不含个体工商户", style="List Bullet")
        table = doc.add_table(rows=2, cols=2)
        table.cell(0, 0).text = "企业规模"
        table.cell(0, 1).text = "补贴标准"
        table.cell(1, 0).text = "小型"
        table.cell(1, 1).text = "每人500元"
        run = doc.add_paragraph().add_run("咨询电话")
        run.bold = True

    result = docx_to_body(_docx(build), name="稳岗补贴.docx")
    assert result.html == (
        "<h2>杭东市小微企业稳岗补贴实施办法</h2>"
        "<h2>第一章　总则</h2><p>第一条　为稳定就业，制定本办法。</p>"
        "<h3>一、申报条件</h3>"
        "<ol><li>在本市登记注册</li><li>依法纳税</li></ol><ul><li>不含个体工商户</li></ul>"
        "<table><tbody><tr><td><p>企业规模</p></td><td><p>补贴标准</p></td></tr>"
        "<tr><td><p>小型</p></td><td><p>每人500元</p></td></tr></tbody></table>"
        "<p><strong>咨询电话</strong></p>"
    )
    assert result.warnings == []


def test_docx_with_an_image_is_refused_in_chinese(tmp_path):
    image = tmp_path / "chart.png"
    image.write_bytes(png_bytes())

    def build(doc):
        doc.add_paragraph("申报流程见下图。")
        doc.add_picture(str(image), width=Inches(1))

    with pytest.raises(DocxImportError, match=r"“流程.docx”中有1张图片，图片不能随正文导入"):
        docx_to_body(_docx(build), name="流程.docx")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xd0\xcf\x11\xe0 old word", r"“旧.docx”不是Word文档（.docx）。旧版.doc文件请先"),
        (b"", r"“旧.docx”不是Word文档"),
    ],
)
def test_docx_that_is_not_a_docx_is_refused(content, message):
    with pytest.raises(DocxImportError, match=message):
        docx_to_body(content, name="旧.docx")


def test_zip_that_is_not_a_word_document_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "not word")
    with pytest.raises(DocxImportError, match=r"“a.docx”已损坏或不是Word文档"):
        docx_to_body(out.getvalue(), name="a.docx")


def test_docx_without_text_is_refused():
    with pytest.raises(DocxImportError, match=r"“空.docx”中没有可导入的文字"):
        docx_to_body(_docx(lambda doc: None), name="空.docx")
