"""Admin for the working-day calendar: each November the administrator enters next year's
国务院办公厅 notice (a year row) and its holidays and 调休 working days. Saves and deletes go
through the services so every change is validated and audited."""

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from . import services
from .models import CalendarDay, CalendarYear


class CalendarDayForm(forms.ModelForm):
    class Meta:
        model = CalendarDay
        fields = ["date", "kind", "name"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        day, kind = cleaned.get("date"), cleaned.get("kind")
        if day and kind:
            try:
                services.validate_calendar_day(day, kind, cleaned.get("name") or "")
            except ValidationError as exc:
                raise forms.ValidationError(exc.messages) from exc
        return cleaned


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "source", "updated_at"]
    search_fields = ["year", "notice"]
    fields = ["year", "source", "notice", "updated_at"]
    readonly_fields = ["updated_at"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # The year is the identity of the row; change it by deleting and re-adding.
        return ["year", "updated_at"] if obj is not None else ["updated_at"]

    def save_model(self, request: HttpRequest, obj: CalendarYear, form: Any, change: bool) -> None:
        saved = services.calendar_year_set(
            year=obj.year, source=obj.source, notice=obj.notice, acting_user=request.user
        )
        obj.pk = saved.pk
        obj.updated_at = saved.updated_at

    def delete_model(self, request: HttpRequest, obj: CalendarYear) -> None:
        services.calendar_year_delete(year=obj.year, acting_user=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[CalendarYear]) -> None:
        for obj in list(queryset):
            services.calendar_year_delete(year=obj.year, acting_user=request.user)


class YearFilter(admin.SimpleListFilter):
    title = _("年份")
    parameter_name = "year"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        years = CalendarYear.objects.order_by("-year").values_list("year", flat=True)
        return [(str(y), f"{y}年") for y in years]

    def queryset(self, request: HttpRequest, queryset: QuerySet[CalendarDay]) -> Any:
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(date__year=int(value))
        return queryset


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    form = CalendarDayForm
    list_display = ["date", "kind", "name", "updated_at"]
    list_filter = [YearFilter, "kind"]
    search_fields = ["name"]
    date_hierarchy = "date"
    ordering = ["-date"]

    def save_model(self, request: HttpRequest, obj: CalendarDay, form: Any, change: bool) -> None:
        if change and "date" in form.changed_data:
            original = CalendarDay.objects.get(pk=obj.pk)
            services.calendar_day_delete(day=original.date, acting_user=request.user)
        saved = services.calendar_day_set(
            day=obj.date, kind=obj.kind, name=obj.name, acting_user=request.user
        )
        obj.pk = saved.pk
        obj.updated_at = saved.updated_at

    def delete_model(self, request: HttpRequest, obj: CalendarDay) -> None:
        services.calendar_day_delete(day=obj.date, acting_user=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[CalendarDay]) -> None:
        for obj in list(queryset):
            services.calendar_day_delete(day=obj.date, acting_user=request.user)
