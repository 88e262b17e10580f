from django.urls import path

from . import views_guide

urlpatterns = [
    path("", views_guide.guide_list, name="guide_list"),
    path("<str:code>/", views_guide.guide_edit, name="guide_edit"),
]
