"""Tables of the checks context: the administrator-maintained 错敏词 dictionary."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core.models import TimeStampedModel

from .dictionary import CATEGORY_CHOICES

# The labels live beside the dictionary read (``dictionary.py``), which ``gongkai check_text``
# uses without loading any model.
_LABELS = dict(CATEGORY_CHOICES)


class WordCategory(models.TextChoices):
    """Categories of the administrator-maintained 错敏词 dictionary (issue 5, rules note §5.6)."""

    WRONG_EXPRESSION = "wrong_expression", _LABELS["wrong_expression"]
    SENSITIVE = "sensitive", _LABELS["sensitive"]
    TYPO = "typo", _LABELS["typo"]
    OTHER = "other", _LABELS["other"]


# A wrong political expression or a sensitive word is a 严重表述错误, a single-veto item of the
# national website checks (国办秘函〔2019〕19号, rules note §5.2): such hits block publication
# unless a final reviewer overrides them. Typos and other entries only warn.
BLOCKING_CATEGORIES = frozenset({WordCategory.WRONG_EXPRESSION, WordCategory.SENSITIVE})


def default_blocking(category: str) -> bool:
    return category in BLOCKING_CATEGORIES


class WordlistEntry(TimeStampedModel):
    word = models.CharField(_("词语"), max_length=100, unique=True)
    category = models.CharField(_("分类"), max_length=20, choices=WordCategory.choices)
    suggestion = models.CharField(_("建议改为"), max_length=200, blank=True)
    is_blocking = models.BooleanField(
        _("阻止发布"),
        default=False,
        help_text=_("命中后必须修改，或由终审人员填写理由后强制通过。错误表述和敏感词默认阻止。"),
    )

    class Meta:
        db_table = "review_wordlistentry"  # moved from the review app; the table kept its name
        verbose_name = _("错敏词")
        verbose_name_plural = _("错敏词库")
        ordering = ["category", "word"]

    def __str__(self) -> str:
        return self.word
