from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.GongkaiLoginView.as_view(), name="login"),
    path("logout/", views.GongkaiLogoutView.as_view(), name="logout"),
    path("register/", views.register, name="register"),
    path("me/", views.me, name="me"),
]
