"""Form fields shared by every app."""

from __future__ import annotations

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from .params import MAX_DATE, MIN_DATE


class BoundedDateField(forms.DateField):
    """A date between 1900-01-01 and 2100-12-31, with the bounds said in Chinese: later
    arithmetic (the next day, the start of the day in Asia/Shanghai) never leaves
    ``datetime``'s range."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}))
        super().__init__(**kwargs)
        self.validators.append(MinValueValidator(MIN_DATE, message=_("日期不能早于 1900-01-01")))
        self.validators.append(MaxValueValidator(MAX_DATE, message=_("日期不能晚于 2100-12-31")))
