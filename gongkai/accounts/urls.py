from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.GongkaiLoginView.as_view(), name="login"),
    path("logout/", views.GongkaiLogoutView.as_view(), name="logout"),
    path("register/", views.register, name="register"),
    path("register/verify/", views.register_verify, name="register_verify"),
    path("me/", views.me, name="me"),
    path("password/", views.GongkaiPasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/", views.GongkaiPasswordChangeDoneView.as_view(), name="password_change_done"
    ),
    path("password/reset/", views.GongkaiPasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        views.GongkaiPasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        views.GongkaiPasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        views.GongkaiPasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("otp/", views.otp_verify, name="otp_verify"),
    path("otp/enrol/", views.otp_enrol, name="otp_enrol"),
]
