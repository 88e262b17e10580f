"""Public routes of 意见征集 and the 重大行政决策事项目录."""

from django.urls import path

from . import views_participation as views

urlpatterns = [
    path("participation/consultations/", views.consultation_list, name="consultation_list"),
    path(
        "participation/consultations/<int:pk>/",
        views.consultation_detail,
        name="consultation_detail",
    ),
    path(
        "participation/consultations/<int:pk>/feedback.<str:fmt>",
        views.feedback_file,
        name="consultation_feedback_file",
    ),
    path("participation/decisions/", views.directory, name="decision_directory"),
    path(
        "participation/decisions/export.csv",
        views.directory_export,
        name="decision_directory_export",
    ),
    path(
        "participation/decisions/export.xlsx",
        views.directory_export_xlsx,
        name="decision_directory_export_xlsx",
    ),
    path("participation/evaluations/", views.evaluation_list, name="evaluation_list"),
    path("participation/evaluations/<int:pk>/", views.evaluation_detail, name="evaluation_detail"),
    path("participation/open-days/<int:pk>/", views.open_day_detail, name="open_day_detail"),
]
