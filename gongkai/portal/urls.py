"""Public portal URLs. Each area keeps its routes in its own module (urls_<area>.py)."""

from django.urls import include, path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("display/large-text/", views.toggle_large_text, name="toggle_large_text"),
    path("", include("gongkai.portal.urls_catalogue")),
    path("", include("gongkai.portal.urls_policies")),
    path("", include("gongkai.portal.urls_search")),
    path("", include("gongkai.portal.urls_foi")),
    path("", include("gongkai.portal.urls_review")),
]
