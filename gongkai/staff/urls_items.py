"""Back-office routes for government information items, mounted at /staff/items/."""

from django.urls import path

from . import views_items as views

urlpatterns = [
    path("", views.items_list, name="items_list"),
    path("new/", views.items_create, name="items_create"),
    path("lookup/", views.items_lookup, name="items_lookup"),
    path("<int:pk>/", views.items_detail, name="items_detail"),
    path("<int:pk>/edit/", views.items_edit, name="items_edit"),
    path("<int:pk>/publish/", views.items_publish, name="items_publish"),
    path("<int:pk>/withdraw/", views.items_withdraw, name="items_withdraw"),
    path("<int:pk>/validity/", views.items_validity, name="items_validity"),
    path("<int:pk>/attachments/", views.items_attachment_add, name="items_attachment_add"),
    path(
        "attachments/<int:pk>/download/",
        views.items_attachment_download,
        name="items_attachment_download",
    ),
]
