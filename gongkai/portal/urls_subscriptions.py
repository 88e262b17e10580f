"""订阅 pages (issue 14)."""

from django.urls import path

from . import views_subscriptions as views
from .feeds import SubscriptionAtomFeed

urlpatterns = [
    path("subscriptions/", views.subscription_list, name="subscription_list"),
    path("subscriptions/<int:pk>/delete/", views.subscription_remove, name="subscription_remove"),
    path("subscriptions/policy/<int:pk>/", views.subscription_policy, name="subscription_policy"),
    path(
        "subscriptions/<int:pk>/delivery/",
        views.subscription_delivery,
        name="subscription_delivery",
    ),
    path("subscriptions/search/", views.subscription_search, name="subscription_search"),
    path("subscriptions/mail/", views.mail_address_set, name="mail_address_set"),
    path(
        "subscriptions/mail/confirm/<str:token>/",
        views.mail_address_confirm_view,
        name="mail_address_confirm",
    ),
    path(
        "subscriptions/unsubscribe/<str:token>/",
        views.subscription_unsubscribe,
        name="subscription_unsubscribe",
    ),
    path("subscriptions/feed/<str:token>/", SubscriptionAtomFeed(), name="subscription_feed"),
]
