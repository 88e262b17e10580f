from django.urls import path

from . import views_search

urlpatterns = [
    path("search/", views_search.search, name="search"),
]
