"""Back-office route of subscriptions, mounted at /staff/items/."""

from django.urls import path

from . import views_subscriptions as views

urlpatterns = [
    path("<int:pk>/correction/", views.item_correction_mark, name="item_correction_mark"),
]
