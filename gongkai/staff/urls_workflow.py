"""Back-office routes of the review chain (先审后发), mounted at /staff/workflow/."""

from django.urls import path

from . import views_workflow as views

urlpatterns = [
    path("", views.workflow_queue, name="workflow_queue"),
    path("chains/", views.workflow_chains, name="workflow_chains"),
    path("audit/", views.workflow_audit, name="workflow_audit"),
    path("inspection/", views.workflow_inspection, name="workflow_inspection"),
    path(
        "reply_letter/<int:pk>/letter.<str:fmt>",
        views.workflow_letter_file,
        name="workflow_letter_file",
    ),
    path("<slug:kind>/<int:pk>/", views.workflow_content, name="workflow_content"),
    path("<slug:kind>/<int:pk>/submit/", views.workflow_submit, name="workflow_submit"),
    path("<slug:kind>/<int:pk>/mask/", views.workflow_mask, name="workflow_mask"),
    path("<slug:kind>/<int:pk>/decide/", views.workflow_decide, name="workflow_decide"),
    path("<slug:kind>/<int:pk>/withdraw/", views.workflow_withdraw, name="workflow_withdraw"),
]
