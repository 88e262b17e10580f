"""订阅 pages (issue 14)."""

from django.urls import path

from . import views_subscriptions as views
from .feeds import SubscriptionAtomFeed

urlpatterns = [
    path("subscriptions/", views.subscription_list, name="subscription_list"),
    path("subscriptions/<int:pk>/delete/", views.subscription_remove, name="subscription_remove"),
    path("subscriptions/policy/<int:pk>/", views.subscription_policy, name="subscription_policy"),
    path("subscriptions/feed/<str:token>/", SubscriptionAtomFeed(), name="subscription_feed"),
]
