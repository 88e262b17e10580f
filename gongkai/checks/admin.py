"""Django admin for the 错敏词 dictionary (the administrator's maintenance screen)."""

from django.contrib import admin

from gongkai.core.models import AuditEntry
from gongkai.core.services import audit_record

from .models import WordlistEntry, default_blocking


@admin.register(WordlistEntry)
class WordlistEntryAdmin(admin.ModelAdmin):
    list_display = ("word", "category", "suggestion", "is_blocking", "updated_at")
    list_filter = ("category", "is_blocking")
    search_fields = ("word", "suggestion")
    list_per_page = 100

    def save_model(self, request, obj, form, change):
        if not change and "is_blocking" not in form.changed_data:
            # A new word takes its category's default unless the administrator chose.
            obj.is_blocking = default_blocking(obj.category)
        super().save_model(request, obj, form, change)
        audit_record(
            action=AuditEntry.Action.EDIT if change else AuditEntry.Action.CREATE,
            acting_user=request.user,
            target=obj,
            detail={"category": obj.category, "suggestion": obj.suggestion},
        )
