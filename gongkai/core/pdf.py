"""HTML to PDF with WeasyPrint, refusing when no Chinese font is installed.

Without a CJK font WeasyPrint still writes a PDF, but every Chinese character is an empty box:
a reply letter or annual report nobody can read. We ask fontconfig (the library WeasyPrint's
Pango uses to find fonts) whether any font supports Chinese before rendering, once per process.
"""

import functools
from typing import Any

from django.utils.translation import gettext as _

FONT_PACKAGE = "fonts-noto-cjk"

_CDEF = """
typedef int FcBool;
typedef struct _FcConfig FcConfig;
typedef struct _FcPattern FcPattern;
typedef struct _FcObjectSet FcObjectSet;
typedef struct { int nfont; int sfont; FcPattern **fonts; } FcFontSet;
FcConfig *FcInitLoadConfigAndFonts(void);
void FcConfigDestroy(FcConfig *config);
FcPattern *FcNameParse(const unsigned char *name);
void FcPatternDestroy(FcPattern *p);
FcObjectSet *FcObjectSetCreate(void);
FcBool FcObjectSetAdd(FcObjectSet *os, const char *object);
void FcObjectSetDestroy(FcObjectSet *os);
FcFontSet *FcFontList(FcConfig *config, FcPattern *p, FcObjectSet *os);
void FcFontSetDestroy(FcFontSet *s);
"""


class PdfFontsMissing(RuntimeError):
    """No font for Chinese text: a PDF would show empty boxes, so none is made."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "无法生成 PDF：本服务器没有安装中文字体，生成的 PDF 中文会显示为空白方框。"
                "请管理员安装 %(package)s（Debian/Ubuntu：apt-get install %(package)s，"
                "或运行 make system-deps），然后重启服务。DOCX 文件不受影响。"
            )
            % {"package": FONT_PACKAGE}
        )


def _count_chinese_fonts() -> int:
    """Fonts fontconfig lists for ``:lang=zh`` (what ``fc-list :lang=zh`` prints), loading the
    configuration the same way WeasyPrint does (so FONTCONFIG_FILE is honoured)."""
    from cffi import FFI

    ffi = FFI()
    ffi.cdef(_CDEF)
    library: Any = None
    for name in ("fontconfig-1", "fontconfig", "libfontconfig-1.dll", "libfontconfig.so.1"):
        try:
            library = ffi.dlopen(name)
            break
        except OSError:
            continue
    if library is None:
        return 0
    config = library.FcInitLoadConfigAndFonts()
    pattern = library.FcNameParse(b":lang=zh")
    objects = library.FcObjectSetCreate()
    library.FcObjectSetAdd(objects, b"family")
    fonts = library.FcFontList(config, pattern, objects)
    try:
        return int(fonts.nfont) if fonts != ffi.NULL else 0
    finally:
        if fonts != ffi.NULL:
            library.FcFontSetDestroy(fonts)
        library.FcObjectSetDestroy(objects)
        library.FcPatternDestroy(pattern)
        if config != ffi.NULL:
            library.FcConfigDestroy(config)


@functools.cache
def cjk_fonts_available() -> bool:
    """Whether a font for Chinese is installed. Cached for the process: fonts are installed
    by the operator, and a restart picks them up."""
    return _count_chinese_fonts() > 0


def require_cjk_fonts() -> None:
    if not cjk_fonts_available():
        raise PdfFontsMissing


def html_to_pdf(html: str) -> bytes:
    """The PDF of a self-contained HTML page; raises PdfFontsMissing instead of a PDF of boxes."""
    require_cjk_fonts()
    from weasyprint import HTML

    return HTML(string=html).write_pdf()
