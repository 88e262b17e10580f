"""The 正文 rich-text editor of the staff forms (ADR 0013) and the .docx import of a body.

The editor is django-prose-editor (ProseMirror/Tiptap), its assets shipped in the wheel and
served by us with the other static files (no CDN). It only offers what ``richtext.sanitize_html``
keeps — headings from 二级 down (the page title is the h1), lists, tables, links, images —, so
what an editor sees is what is stored; the server never trusts it and sanitises every body
with nh3 in the services, as for any other input.

A Word document becomes a body through mammoth (semantic HTML: headings, lists, tables, links,
bold/italic), then the same sanitiser. Images are refused with a message: mammoth would inline
them as ``data:`` URLs, which the sanitiser drops, so the body would silently lose them.
"""

import io
import zipfile
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django_prose_editor.widgets import ProseEditorWidget

from .richtext import sanitize_html

# What the toolbar offers; every tag it can produce is in richtext.ALLOWED_TAGS.
EDITOR_EXTENSIONS: dict[str, Any] = {
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "Image": True,
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    # The HTML source view, for the rare hand correction; its output is sanitised like the rest.
    "HTML": True,
    # Ours (static/gongkai/editor-wordpaste.js): Word/WPS clipboard HTML → plain structure.
    "WordPaste": True,
}


class BodyEditorWidget(ProseEditorWidget):
    """The 正文 textarea, upgraded to the editor when JavaScript runs (a plain textarea of
    HTML without it: the form still works and the server still sanitises)."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(
            attrs={"rows": 14, "class": "body-editor", **(attrs or {})},
            config={"extensions": EDITOR_EXTENSIONS},
            preset="configurable",
        )


# ---------------------------------------------------------------------------------------------
# .docx → body
# ---------------------------------------------------------------------------------------------

MAX_DOCX_BYTES = 20 * 1024 * 1024

# Word's built-in heading styles start at 二级: the page's title is the document's h1.
DOCX_STYLE_MAP = """
p[style-name='Title'] => h2:fresh
p[style-name='Heading 1'] => h2:fresh
p[style-name='Heading 2'] => h3:fresh
p[style-name='Heading 3'] => h4:fresh
p[style-name='Heading 4'] => h4:fresh
p[style-name='标题 1'] => h2:fresh
p[style-name='标题 2'] => h3:fresh
p[style-name='标题 3'] => h4:fresh
"""


class DocxImportError(ValueError):
    """A Chinese message saying why the document cannot become the body."""


@dataclass(frozen=True)
class DocxBody:
    html: str
    warnings: list[str]


def _refuse_images(content: bytes, name: str) -> None:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        images = [n for n in archive.namelist() if n.startswith("word/media/")]
    if images:
        raise DocxImportError(
            _(
                "“%(name)s”中有%(n)d张图片，图片不能随正文导入。请在Word中删除图片后重新导入，"
                "再把图片作为附件上传，用编辑器的“插入附件”放回正文。"
            )
            % {"name": name, "n": len(images)}
        )


def docx_to_body(content: bytes, *, name: str) -> DocxBody:
    """The sanitised HTML of a .docx file's text, or ``DocxImportError`` in Chinese."""
    import mammoth

    if len(content) > MAX_DOCX_BYTES:
        raise DocxImportError(_("“%(name)s”超过20MB，无法导入。") % {"name": name})
    if not zipfile.is_zipfile(io.BytesIO(content)):
        raise DocxImportError(
            _("“%(name)s”不是Word文档（.docx）。旧版.doc文件请先在Word或WPS中另存为.docx。")
            % {"name": name}
        )
    try:
        _refuse_images(content, name)
        result = mammoth.convert_to_html(io.BytesIO(content), style_map=DOCX_STYLE_MAP)
    except DocxImportError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise DocxImportError(
            _("“%(name)s”已损坏或不是Word文档（.docx），无法读取。") % {"name": name}
        ) from exc
    html = sanitize_html(result.value)
    if not html:
        raise DocxImportError(_("“%(name)s”中没有可导入的文字。") % {"name": name})
    # mammoth's notes name Word styles it did not map (e.g. a custom 正文 style): harmless,
    # the text is kept as paragraphs; they are reported in English, so only counted.
    notes = [m for m in result.messages if getattr(m, "type", "") == "warning"]
    warnings = (
        [_("有%(n)d处Word样式按普通段落导入，请检查标题和列表。") % {"n": len(notes)}]
        if notes
        else []
    )
    return DocxBody(html=html, warnings=warnings)
