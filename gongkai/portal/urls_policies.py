"""Public routes of the policy library, interpretations and the Q&A knowledge base."""

from django.urls import path

from . import views_policies as views

urlpatterns = [
    path("policies/", views.policy_library, name="policy_library"),
    path("policies/normative/", views.policy_normative, name="policy_normative"),
    path("policies/repealed/", views.policy_repealed, name="policy_repealed"),
    path("interpretations/", views.interpretation_list, name="interpretation_list"),
    path("interpretations/<int:pk>/", views.interpretation_detail, name="interpretation_detail"),
    path("qa/", views.qa_list, name="qa_list"),
    path("qa/<int:pk>/", views.qa_detail, name="qa_detail"),
]
