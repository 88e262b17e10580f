"""Read-only admin views: interpretations and Q&A are written in the back office (/staff/),
through the services that sanitise, check permissions and write the audit trail."""

from django.contrib import admin

from .models import Interpretation, QAEntry, Qualification


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Interpretation)
class InterpretationAdmin(ReadOnlyAdmin):
    list_display = ("title", "organisation", "form", "status", "published_date")
    list_filter = ("form", "status")
    search_fields = ("title", "external_id")
    list_select_related = ("organisation",)


@admin.register(QAEntry)
class QAEntryAdmin(ReadOnlyAdmin):
    list_display = ("question", "organisation", "unit", "contact_phone", "status")
    list_filter = ("status",)
    search_fields = ("question",)
    list_select_related = ("organisation", "unit")


@admin.register(Qualification)
class QualificationAdmin(ReadOnlyAdmin):
    """The 企业资质 list of 政策找人 (issue 14) is edited in the back office (公开管理 → 平台名录,
    ``services.qualification_save``, audited); here read-only."""

    list_display = ("name", "position")
    search_fields = ("name",)
