from django.urls import path

from . import views_reports

urlpatterns = [
    path("annual/", views_reports.annual_report, name="reports_annual"),
    path("annual/publish/", views_reports.annual_report_publish, name="reports_annual_publish"),
    path("annual/drilldown/", views_reports.annual_report_drilldown, name="reports_drilldown"),
    path("statistics/", views_reports.statistics, name="reports_statistics"),
]
