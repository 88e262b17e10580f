"""Django admin for configuration (issue 2: the back office is /staff/; admin only configures)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gongkai.core.models import AuditEntry
from gongkai.core.services import audit_record
from gongkai.core.signals import roles_revoked_warnings

from .models import InternalUnit, Organisation, RoleAssignment, User
from .services import role_assign, role_assignment_check, role_revoke

admin.site.site_header = _("政务公开平台配置")
admin.site.site_title = _("政务公开平台配置")
admin.site.index_title = _("系统配置")


class InternalUnitInline(admin.TabularInline):
    model = InternalUnit
    extra = 0
    fields = ["name", "phone", "functions", "sort_order"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "parent", "sort_order", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name", "code"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    inlines = [InternalUnitInline]
    fieldsets = [
        (
            None,
            {"fields": ["code", "name", "short_name", "kind", "parent", "sort_order", "is_active"]},
        ),
        (
            _("联系方式"),
            {"fields": ["address", "office_hours", "phone", "fax", "email", "postcode"]},
        ),
        (_("机构职能"), {"fields": ["leaders", "functions"]}),
        (_("索引号"), {"fields": ["index_number_format"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # The code is the first segment of every 索引号 already issued; it never changes.
        return ["code"] if obj is not None else []


@admin.register(User)
class GongkaiUserAdmin(UserAdmin):
    list_display = ["username", "display_name", "kind", "applicant_type", "is_active", "last_login"]
    list_filter = ["kind", "applicant_type", "is_active", "is_superuser"]
    search_fields = ["username", "display_name", "email", "phone"]
    autocomplete_fields = ["unit"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (
            _("个人信息"),
            {"fields": ["kind", "display_name", "email", "phone", "unit"]},
        ),
        (_("公众账号"), {"fields": ["applicant_type", "organisation_name"]}),
        (_("权限"), {"fields": ["is_active", "is_staff", "is_superuser"]}),
        (_("重要日期"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "username",
                    "kind",
                    "display_name",
                    "usable_password",
                    "password1",
                    "password2",
                ],
            },
        ),
    ]
    readonly_fields = ["last_login", "date_joined"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_record(
            action=AuditEntry.Action.EDIT if change else AuditEntry.Action.CREATE,
            acting_user=request.user,
            target=obj,
            target_label=obj.get_full_name(),
            detail={"via": "admin", "fields": sorted(form.changed_data)},
        )


@admin.register(InternalUnit)
class InternalUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "phone", "sort_order"]
    list_select_related = ["organisation"]
    search_fields = ["name", "organisation__name"]
    list_filter = ["organisation"]


class RoleAssignmentForm(forms.ModelForm):
    class Meta:
        model = RoleAssignment
        fields = ["user", "organisation", "role", "review_level", "include_descendants"]

    def clean(self):
        data = super().clean() or {}
        if not self.errors and self.instance.pk is None:
            role_assignment_check(
                user=data["user"],
                organisation=data["organisation"],
                role=data["role"],
                review_level=data.get("review_level") or 0,
            )
        return data


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    """Grants and revocations go through the services so each one lands in the audit trail."""

    list_display = ["user", "organisation", "role", "review_level", "include_descendants"]
    list_filter = ["role", "organisation"]
    list_select_related = ["user", "organisation"]
    search_fields = ["user__username", "user__display_name", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
    form = RoleAssignmentForm

    def has_change_permission(self, request, obj=None):
        # A change would bypass the audit; revoke and grant again instead.
        return False if obj is not None else super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        try:
            saved = role_assign(
                user=obj.user,
                organisation=obj.organisation,
                role=obj.role,
                review_level=obj.review_level,
                include_descendants=obj.include_descendants,
                acting_user=request.user,
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        role_revoke(assignment=obj, acting_user=request.user)
        self._warn_review_gaps(request, [obj])

    def delete_queryset(self, request, queryset):
        revoked = list(queryset.select_related("user", "organisation"))
        for assignment in revoked:
            role_revoke(assignment=assignment, acting_user=request.user)
        self._warn_review_gaps(request, revoked)

    def _warn_review_gaps(self, request, revoked):
        # Removing the last reviewer of a level strands whatever is submitted there (issue 19
        # item 7): the review app answers with the levels left without a reviewer.
        for message in roles_revoked_warnings(RoleAssignment, revoked):
            messages.warning(request, message)
