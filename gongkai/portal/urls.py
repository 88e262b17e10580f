"""Public portal URLs. Each area keeps its routes in its own module (urls_<area>.py)."""

from django.urls import include, path

from . import views, views_site

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("display/large-text/", views.toggle_large_text, name="toggle_large_text"),
    path("contact/", views_site.contact, name="contact"),
    path("statement/", views_site.statement, name="statement"),
    path("accessibility/", views_site.accessibility, name="accessibility"),
    path("sitemap/", views_site.site_map, name="site_map"),
    path("", include("gongkai.portal.urls_catalogue")),
    path("", include("gongkai.portal.urls_match")),
    path("", include("gongkai.portal.urls_subscriptions")),
    path("", include("gongkai.portal.urls_policies")),
    path("", include("gongkai.portal.urls_search")),
    path("", include("gongkai.portal.urls_foi")),
    path("", include("gongkai.portal.urls_review")),
    path("", include("gongkai.portal.urls_interaction")),
    path("", include("gongkai.portal.urls_registers")),
    path("", include("gongkai.portal.urls_participation")),
]
