"""Public routes of review & compliance (我为政府网站找错)."""

from django.urls import path

from . import views_review as views

urlpatterns = [
    path("report-error/", views.report_error, name="review_report_error"),
    path("report-error/thanks/", views.report_error_thanks, name="review_report_error_thanks"),
]
