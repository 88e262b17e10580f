"""Back-office route for a policy's 政策兑现 information, mounted at /staff/items/."""

from django.urls import path

from . import views_conditions as views

urlpatterns = [
    path("<int:pk>/conditions/", views.item_conditions, name="item_conditions"),
    path(
        "<int:pk>/conditions/notice/",
        views.item_conditions_notice,
        name="item_conditions_notice",
    ),
]
