"""Django admin for catalogue configuration only; items are edited in the back office, and so
are the platform's lists (主题分类, 服务对象: 公开管理 → 平台名录, audited): here read-only."""

from typing import Any

from django.contrib import admin

from .models import Audience, Column, Page, TopicCategory
from .richtext import sanitize_html


@admin.register(Column)
class ColumnAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "slug",
        "kind",
        "parent",
        "organisation",
        "update_period_days",
        "sort_order",
        "is_active",
    )
    list_filter = ("kind", "is_active")
    search_fields = ("name", "slug")
    list_select_related = ("parent", "organisation")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Lists written only through their audited services (``catalogue.services``)."""

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(TopicCategory)
class TopicCategoryAdmin(ReadOnlyAdmin):
    list_display = ("name", "parent", "sort_order")
    list_filter = (("parent", admin.EmptyFieldListFilter),)
    search_fields = ("name", "parent__name")
    list_select_related = ("parent",)
    ordering = ("parent__sort_order", "sort_order", "id")


@admin.register(Audience)
class AudienceAdmin(ReadOnlyAdmin):
    list_display = ("name", "sort_order")
    search_fields = ("name",)


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "organisation", "updated_at")
    search_fields = ("title", "slug")
    list_select_related = ("organisation",)

    def save_model(self, request, obj, form, change):
        # Pages are shown unescaped on the portal, so they pass the same sanitiser as items.
        obj.body = sanitize_html(obj.body)
        super().save_model(request, obj, form, change)
