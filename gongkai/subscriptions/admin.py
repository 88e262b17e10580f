"""Admin of subscription mail addresses: read-only, with the action marking bounces (the same
service as ``gongkai mail_bounces``)."""

from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import MailAddress
from .services import mail_bounces_record


@admin.register(MailAddress)
class MailAddressAdmin(admin.ModelAdmin):
    list_display = ("email", "user", "confirmed_at", "bounced_at", "bounce_reason")
    list_filter = ("bounced_at",)
    search_fields = ("email",)
    list_select_related = ("user",)
    readonly_fields = ("user", "email", "confirmed_at", "bounced_at", "bounce_reason")
    actions = ["mark_bounced"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=gettext_lazy("标记为退信"))
    def mark_bounced(self, request, queryset) -> None:
        rows = [(email, _("管理员标记")) for email in queryset.values_list("email", flat=True)]
        result = mail_bounces_record(rows=rows, acting_user=request.user)
        messages.success(request, _("已标记%(n)d个邮箱为退信。") % {"n": result["marked"]})
