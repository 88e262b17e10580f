"""政策找人 pages (issue 14)."""

from django.urls import path

from . import views_match as views

urlpatterns = [
    path("policies/match/", views.policy_match, name="policy_match"),
    path("policies/match/profile/", views.match_profile_edit, name="match_profile_edit"),
]
