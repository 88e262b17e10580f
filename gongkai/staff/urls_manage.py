"""公开管理 (the 政务公开管理员's administration), mounted at /staff/manage/."""

from django.urls import path

from . import views_manage as views
from . import views_manage_staff as staff_views
from .urls_manage_lists import urlpatterns as lists_urlpatterns

urlpatterns = [
    path("", views.manage_home, name="manage_home"),
    path("organisations/new/", views.manage_organisation_new, name="manage_organisation_new"),
    path("org/<str:code>/", views.manage_organisation, name="manage_organisation"),
    path(
        "org/<str:code>/status/",
        views.manage_organisation_status,
        name="manage_organisation_status",
    ),
    path("org/<str:code>/units/<int:pk>/", views.manage_unit, name="manage_unit"),
    path("columns/", views.manage_columns, name="manage_columns"),
    path("columns/<int:pk>/", views.manage_column, name="manage_column"),
    path("pages/<slug:slug>/", views.manage_page, name="manage_page"),
    path("calendar/", views.manage_calendar, name="manage_calendar"),
    path("calendar/<int:year>/", views.manage_calendar, name="manage_calendar_year"),
    path("roles/", views.manage_roles, name="manage_roles"),
    path("roles/<int:pk>/revoke/", views.manage_role_revoke, name="manage_role_revoke"),
    path("staff/", staff_views.manage_staff, name="manage_staff"),
    path("staff/new/", staff_views.manage_staff_new, name="manage_staff_new"),
    path("staff/<int:pk>/", staff_views.manage_staff_user, name="manage_staff_user"),
    path("staff/<int:pk>/active/", staff_views.manage_staff_active, name="manage_staff_active"),
    path(
        "staff/<int:pk>/password/", staff_views.manage_staff_password, name="manage_staff_password"
    ),
]

# 平台名录 and 留言答复时限 live in their own module.
urlpatterns += lists_urlpatterns
