"""依申请公开 on the portal (/zfxxgk/ysqgk/…)."""

from django.urls import path

from . import views_foi as views

urlpatterns = [
    # /zfxxgk/ysqgk/ is the guidance (须知, flow, deadlines, fees, the chosen agency's office);
    # the form is /apply/. Both names point at the guidance, which leads to the form.
    path("zfxxgk/ysqgk/", views.guide, name="foi_index"),
    path("zfxxgk/ysqgk/", views.guide, name="zfxxgk_ysqgk"),
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
