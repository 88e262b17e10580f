"""Public routes of the 清单 (lists of powers and services)."""

from django.urls import path

from . import views_registers as views

urlpatterns = [
    path("zfxxgk/qingdan/", views.registers_index, name="registers_index"),
    path("zfxxgk/qingdan/<int:org_id>/<slug:kind>/", views.registers_list, name="registers_list"),
    path(
        "zfxxgk/qingdan/<int:org_id>/<slug:kind>/history/",
        views.registers_history,
        name="registers_history",
    ),
]

urlpatterns += [
    path("zfxxgk/zdxm/", views.project_list, name="registers_projects"),
    path("zfxxgk/zdxm/<int:pk>/", views.project_detail, name="registers_project"),
]

urlpatterns += [
    path("zfxxgk/ssj/", views.spotcheck_index, name="registers_spotchecks"),
    path("zfxxgk/ssj/plans/<int:pk>/", views.spotcheck_plan, name="registers_spotcheck_plan"),
    path("zfxxgk/jyta/", views.proposal_list, name="registers_proposals"),
    path("zfxxgk/jyta/<int:pk>/", views.proposal_detail, name="registers_proposal"),
]
