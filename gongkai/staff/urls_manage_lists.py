"""公开管理 → 平台名录 and 留言答复时限 (``views_manage_lists``), under /staff/manage/."""

from django.urls import path

from . import views_manage_lists as views

urlpatterns = [
    path("lists/", views.manage_lists, name="manage_lists"),
    path("lists/<slug:kind>/", views.manage_list, name="manage_list"),
    path("lists/<slug:kind>/<int:pk>/", views.manage_list_term, name="manage_list_term"),
    path(
        "lists/<slug:kind>/<int:pk>/delete/",
        views.manage_list_term_delete,
        name="manage_list_term_delete",
    ),
    path("org/<str:code>/deadlines/", views.manage_deadlines, name="manage_deadlines"),
]
