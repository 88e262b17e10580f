"""依申请公开 on the portal (/zfxxgk/ysqgk/…)."""

from django.urls import path

from . import views_foi as views

urlpatterns = [
    # /zfxxgk/ysqgk/ is the form itself (the 公开指南 links here); /apply/ is its stable alias.
    path("zfxxgk/ysqgk/", views.apply, name="foi_index"),
    # Same page under the name the 政府信息公开 index links to, so the catalogue's placeholder
    # route (urls_catalogue.py "zfxxgk_ysqgk", listed before this module) can simply be removed.
    path("zfxxgk/ysqgk/", views.apply, name="zfxxgk_ysqgk"),
    path("zfxxgk/ysqgk/apply/", views.apply, name="foi_apply"),
    path("zfxxgk/ysqgk/done/", views.done, name="foi_done"),
    path("zfxxgk/ysqgk/status/", views.status, name="foi_status"),
    path(
        "zfxxgk/ysqgk/status/<str:reference>/letter.<str:fmt>",
        views.status_letter,
        name="foi_status_letter",
    ),
    path("zfxxgk/ysqgk/correction/", views.correction, name="foi_correction"),
    path("zfxxgk/ysqgk/my/<int:pk>/", views.my_case, name="foi_my_case"),
    path("zfxxgk/ysqgk/my/<int:pk>/letter.<str:fmt>", views.my_case_letter, name="foi_my_letter"),
]
