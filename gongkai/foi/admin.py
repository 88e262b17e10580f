"""Admin for configuration (reply-letter templates) and for inspecting cases read-only.

Cases are handled in the back office (/staff/foi/), where every step goes through the services
and is audited; the admin therefore shows them read-only.
"""

from typing import Any

from django.contrib import admin

from . import services
from .models import AdminReview, Case, CaseEvent, InternalTarget, ProactiveProposal, ReplyTemplate


@admin.register(ReplyTemplate)
class ReplyTemplateAdmin(admin.ModelAdmin):
    list_display = ("outcome", "organisation", "updated_at")
    list_filter = ("organisation",)
    ordering = ("outcome",)


@admin.register(InternalTarget)
class InternalTargetAdmin(admin.ModelAdmin):
    """内部目标: saved and removed through the service, which recomputes the open cases."""

    list_display = ("organisation", "normal_days", "difficult_days", "updated_at")

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        saved = services.internal_target_set(
            organisation=obj.organisation,
            normal_days=obj.normal_days,
            difficult_days=obj.difficult_days,
            acting_user=request.user,
        )
        obj.pk = saved.pk if saved is not None else None

    def delete_model(self, request: Any, obj: Any) -> None:
        services.internal_target_set(
            organisation=obj.organisation, normal_days=None, acting_user=request.user
        )


@admin.register(AdminReview)
class AdminReviewAdmin(admin.ModelAdmin):
    list_display = ("case", "kind", "result", "filed_date", "decided_date")
    list_filter = ("kind", "result")
    raw_id_fields = ("case",)


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    can_delete = False
    fields = ("date", "type", "actor_name", "note")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ("reference", "organisation", "applicant_type", "status", "outcome", "due_date")
    list_filter = ("status", "applicant_type", "channel", "organisation")
    search_fields = ("reference",)
    # Encrypted columns stay out of the admin: full personal data is shown only through the
    # audited staff action.
    exclude = ("id_number_enc", "id_number_index", "phone_enc", "address_enc", "query_code_hash")
    inlines = [CaseEventInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ProactiveProposal)
class ProactiveProposalAdmin(admin.ModelAdmin):
    list_display = ("case", "item", "state", "created_at")
    list_filter = ("state",)
    raw_id_fields = ("case", "item")
