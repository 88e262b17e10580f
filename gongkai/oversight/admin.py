"""Django admin for the public error reports (网站找错)."""

from django.contrib import admin

from .models import ErrorReport


@admin.register(ErrorReport)
class ErrorReportAdmin(admin.ModelAdmin):
    list_display = ("page_url", "created_at", "status", "answered_at")
    list_filter = ("status",)
    search_fields = ("page_url", "description")
    readonly_fields = ("created_at", "answered_at", "answered_by", "reporter")
