"""政民互动 on the portal (/hudong/…)."""

from django.urls import path

from . import views_interaction as views

urlpatterns = [
    path("hudong/", views.index, name="interaction_index"),
    path("hudong/write/", views.write, name="interaction_write"),
    path("hudong/done/", views.done, name="interaction_done"),
    path("hudong/status/", views.status, name="interaction_status"),
    path("hudong/stats/", views.stats, name="interaction_stats"),
    path("hudong/m/<str:reference>/", views.detail, name="interaction_detail"),
    path("hudong/press/", views.press_list, name="interaction_press"),
    path("hudong/press/<int:pk>/", views.press_detail, name="interaction_press_detail"),
    path("hudong/concerns/", views.concern_list, name="interaction_concerns"),
    path("hudong/concerns/<int:pk>/", views.concern_detail, name="interaction_concern_detail"),
]
