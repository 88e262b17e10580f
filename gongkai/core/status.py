"""The one status of publishable content (issue 11, ADR 0006): every kind that is drafted,
reviewed and published stores these values, and the review chain moves between them.

Pure choices (no model), so the review state machine can use them without the ORM. It replaced
five copies (``InformationItem.Status``, ``policies.PublishStatus``, ``review.ReviewState``,
``foi.LetterReviewStatus`` and the state constants of ``review/workflow.py``); the stored values
never changed. Models get it from ``core.publishable.Publishable`` (also as ``<Model>.Status``).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContentStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    IN_REVIEW = "in_review", _("审核中")
    RETURNED = "returned", _("已退回")
    APPROVED = "approved", _("已通过")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤回")
