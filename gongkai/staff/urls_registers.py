"""Back-office routes of the registers (mounted at /staff/registers/)."""

from django.urls import path

from . import views_registers as views

urlpatterns = [
    path("", views.registers_home, name="registers_home"),
    path("adjustments/new/", views.adjustment_create, name="registers_adjustment_create"),
    path("adjustments/<int:pk>/", views.adjustment_detail, name="registers_adjustment"),
    path("import/", views.registers_import, name="registers_import"),
    path("rectifications/", views.rectification_list, name="registers_rectifications"),
    path(
        "rectifications/from-finding/",
        views.rectification_from_finding,
        name="registers_rectification_from_finding",
    ),
    path("rectifications/<int:pk>/", views.rectification_detail, name="registers_rectification"),
]

urlpatterns += [
    path("projects/", views.project_list, name="registers_projects"),
    path("projects/<int:pk>/", views.project_detail, name="registers_project"),
]

urlpatterns += [
    path("spotchecks/", views.spotchecks, name="registers_spotchecks"),
    path("proposals/", views.proposal_list, name="registers_proposals"),
    path("proposals/<int:pk>/", views.proposal_detail, name="registers_proposal"),
]

urlpatterns += [
    path("ledger/", views.work_ledger, name="registers_ledger"),
    path(
        "assessment/<int:org_id>/<int:year>/",
        views.assessment_page,
        name="registers_assessment",
    ),
]
