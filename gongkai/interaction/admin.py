"""Admin for inspecting messages, integrations, webhook deliveries and the 留言答复时限 (set in
公开管理) read-only.

Messages are handled in the back office (/staff/interaction/) and integrations issued there,
where every step goes through the services and is audited.
"""

from typing import Any

from django.contrib import admin

from .models import (
    DeadlineRule,
    Integration,
    Message,
    MessageEvent,
    OpinionItem,
    PressConference,
    PressConferencePlan,
    WebhookDelivery,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(ReadOnlyAdmin):
    """Set by each organisation's 政务公开管理员 in 公开管理 (``services.deadline_rule_set``,
    audited); here read-only."""

    list_display = (
        "organisation",
        "channel",
        "reply_workdays",
        "resolution_workdays",
        "first_contact_hours",
    )
    list_filter = ("channel", "organisation")


class MessageEventInline(admin.TabularInline):
    model = MessageEvent
    extra = 0
    can_delete = False
    fields = ("date", "type", "actor_name", "note")
    readonly_fields = fields

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ("reference", "organisation", "channel", "category", "status", "due_date")
    list_filter = ("status", "channel", "category", "organisation")
    search_fields = ("reference", "title", "work_order_id")
    exclude = ("name_enc", "phone_enc", "email_enc", "query_code_hash")
    inlines = [MessageEventInline]


@admin.register(Integration)
class IntegrationAdmin(ReadOnlyAdmin):
    list_display = ("name", "organisation", "channel", "token_prefix", "is_active")
    exclude = ("token_hash", "secret_enc")


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = ("integration", "message", "event", "state", "attempts", "last_status")
    list_filter = ("state", "event", "integration")


@admin.register(PressConferencePlan)
class PressConferencePlanAdmin(ReadOnlyAdmin):
    list_display = ("organisation", "year", "planned_count")
    list_filter = ("year", "organisation")


@admin.register(PressConference)
class PressConferenceAdmin(ReadOnlyAdmin):
    list_display = ("held_on", "organisation", "topic", "speakers")
    list_filter = ("organisation",)


@admin.register(OpinionItem)
class OpinionItemAdmin(ReadOnlyAdmin):
    list_display = ("collected_on", "organisation", "source", "level", "responded_on")
    list_filter = ("level", "organisation")
