"""依申请公开 back office under /staff/foi/."""

from django.urls import path

from . import views_foi as views
from . import views_foi_corrections as corrections
from . import views_foi_identity

urlpatterns = [
    path("", views.case_list, name="foi_cases"),
    path("record/", views.case_record, name="foi_record"),
    path("proactive/", views.proactive_queue, name="foi_proactive"),
    path("proactive/<int:pk>/decide/", views.proactive_decide, name="foi_proactive_decide"),
    path("templates/", views.template_list, name="foi_templates"),
    path("templates/<int:org_pk>/<str:outcome>/", views.template_edit, name="foi_template_edit"),
    path("corrections/", corrections.correction_list, name="foi_corrections"),
    path("corrections/record/", corrections.correction_record, name="foi_correction_record"),
    path("corrections/<int:pk>/", corrections.correction_detail, name="foi_correction"),
    path("<int:pk>/", views.case_detail, name="foi_case"),
    path("<int:pk>/personal/", views.case_personal, name="foi_personal"),
    path(
        "<int:pk>/identity/<int:doc_pk>/",
        views_foi_identity.case_identity_document,
        name="foi_identity_document",
    ),
    path("<int:pk>/action/<str:action>/", views.case_action, name="foi_action"),
    path(
        "<int:pk>/documents/<int:doc_pk>.<str:fmt>",
        views.case_document,
        name="foi_document",
    ),
]
