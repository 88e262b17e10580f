"""政民互动 back office under /staff/interaction/."""

from django.urls import URLPattern, path

from gongkai.interaction.content import CONCERN, PRESS

from . import views_interaction as views


def _reviewed(kind: str, prefix: str, name: str, edit_name: str) -> list[URLPattern]:
    """The list (with its new-draft form) and edit pages of one reviewed kind."""
    return [
        path(f"{prefix}/", views.reviewed_list, {"kind": kind}, name=name),
        path(f"{prefix}/<int:pk>/edit/", views.reviewed_edit, {"kind": kind}, name=edit_name),
    ]


urlpatterns = [
    path("", views.queue, name="interaction_queue"),
    path("integrations/", views.integrations, name="interaction_integrations"),
    # 新闻发布会 and 回应关切: one view set over the reviewed kinds (their registry entries).
    *_reviewed(PRESS, "press", "interaction_press", "interaction_press_edit"),
    path("opinion/", views.opinion, name="interaction_opinion"),
    *_reviewed(CONCERN, "concerns", "interaction_concerns", "interaction_concern_edit"),
    path("<int:pk>/", views.detail, name="interaction_message"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/",
        views.attachment,
        name="interaction_attachment",
    ),
    path("<int:pk>/<str:action>/", views.act, name="interaction_act"),
]
