from django.contrib import admin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The trail is append-only: admins may search and read it, never add, edit or delete."""

    list_display = [
        "created_at",
        "actor_name",
        "action",
        "target_type",
        "target_label",
        "ip_address",
    ]
    list_filter = ["action", "target_type"]
    search_fields = ["actor_name", "target_label", "target_id"]
    date_hierarchy = "created_at"
    list_select_related = ["organisation"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
