"""Admin for configuration (reply-letter templates) and for inspecting cases read-only.

Cases are handled in the back office (/staff/foi/), where every step goes through the services
and is audited; the admin therefore shows them read-only.
"""

from django.contrib import admin

from .models import AdminReview, Case, CaseEvent, ProactiveProposal, ReplyTemplate


@admin.register(ReplyTemplate)
class ReplyTemplateAdmin(admin.ModelAdmin):
    list_display = ("outcome", "organisation", "updated_at")
    list_filter = ("organisation",)
    ordering = ("outcome",)


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
