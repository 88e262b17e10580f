"""Forms of the checks context: the text checker and the 错敏词 dictionary maintenance."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import WordCategory
from .text import MAX_TEXT_CHARS


class TextCheckForm(forms.Form):
    text = forms.CharField(
        label=_("待检查文本"),
        max_length=MAX_TEXT_CHARS,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("粘贴正文，检查错敏词、身份证号码、手机号码、银行卡号和电子邮箱。"),
    )


class WordlistUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV 文件"),
        help_text=_(
            "UTF-8 编码，第一行为表头 word,category,suggestion；分类可填错误表述、敏感词、"
            "错别字、其他。任何一行有误则全部不导入。"
        ),
    )

    MAX_BYTES = 20 * 1024 * 1024

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > self.MAX_BYTES:
            raise forms.ValidationError(_("文件不能超过 20 MB"))
        return uploaded


class WordlistEntryForm(forms.Form):
    word = forms.CharField(label=_("词语"), max_length=100)
    category = forms.ChoiceField(label=_("分类"), choices=WordCategory.choices)
    suggestion = forms.CharField(label=_("建议改为"), max_length=200, required=False)
    blocking = forms.ChoiceField(
        label=_("命中后"),
        choices=[
            ("default", _("按分类默认（错误表述、敏感词阻止发布）")),
            ("block", _("阻止发布")),
            ("warn", _("仅提示")),
        ],
        initial="default",
    )

    def is_blocking(self) -> bool | None:
        return {"block": True, "warn": False}.get(self.cleaned_data["blocking"])
