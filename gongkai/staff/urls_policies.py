"""Back-office routes for interpretations and Q&A (mounted at /staff/)."""

from django.urls import path

from . import views_policies as views

urlpatterns = [
    path("interpretations/", views.interpretation_list, name="policies_interpretation_list"),
    path(
        "interpretations/new/",
        views.interpretation_create,
        name="policies_interpretation_create",
    ),
    path(
        "interpretations/<int:pk>/",
        views.interpretation_edit,
        name="policies_interpretation_edit",
    ),
    path(
        "interpretations/<int:pk>/publish/",
        views.interpretation_publish,
        name="policies_interpretation_publish",
    ),
    path("qa/", views.qa_list, name="policies_qa_list"),
    path("qa/new/", views.qa_create, name="policies_qa_create"),
    path("qa/<int:pk>/", views.qa_edit, name="policies_qa_edit"),
    path("qa/<int:pk>/publish/", views.qa_publish, name="policies_qa_publish"),
]
