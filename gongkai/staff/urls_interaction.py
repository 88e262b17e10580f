"""政民互动 back office under /staff/interaction/."""

from django.urls import path

from . import views_interaction as views

urlpatterns = [
    path("", views.queue, name="interaction_queue"),
    path("integrations/", views.integrations, name="interaction_integrations"),
    path("press/", views.press, name="interaction_press"),
    path("press/<int:pk>/edit/", views.press_edit, name="interaction_press_edit"),
    path("opinion/", views.opinion, name="interaction_opinion"),
    path("concerns/", views.concerns, name="interaction_concerns"),
    path("concerns/<int:pk>/edit/", views.concern_edit, name="interaction_concern_edit"),
    path("<int:pk>/", views.detail, name="interaction_message"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/",
        views.attachment,
        name="interaction_attachment",
    ),
    path("<int:pk>/<str:action>/", views.act, name="interaction_act"),
]
