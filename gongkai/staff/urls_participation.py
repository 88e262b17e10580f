"""Back-office routes of 意见征集 and the 重大行政决策事项目录, mounted at /staff/participation/."""

from django.urls import path

from . import views_participation as views

urlpatterns = [
    path("consultations/", views.consultation_list, name="consultation_list"),
    path("consultations/new/", views.consultation_create, name="consultation_create"),
    path("consultations/<int:pk>/", views.consultation_detail, name="consultation_detail"),
    path(
        "consultations/<int:pk>/<slug:action>/",
        views.consultation_action,
        name="consultation_action",
    ),
    path("directories/", views.directory_list, name="directory_list"),
    path("directories/<int:pk>/", views.directory_detail, name="directory_detail"),
    path("directories/<int:pk>/adjust/", views.directory_adjust, name="directory_adjust"),
    path(
        "directories/adjustments/<int:pk>/edit/",
        views.directory_adjustment_edit,
        name="directory_adjustment_edit",
    ),
    path("directories/<int:pk>/<slug:action>/", views.directory_action, name="directory_action"),
    path("evaluations/", views.evaluation_list, name="evaluation_list"),
    path("open-days/", views.open_day_list, name="open_day_list"),
    path("open-days/<int:pk>/", views.open_day_detail, name="open_day_detail"),
    path("attendance/", views.attendance_list, name="attendance_list"),
]
