"""Public catalogue routes: items, 政府信息公开专栏, 机构职能目录, columns, feeds, sitemap."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from gongkai.catalogue import views as catalogue_views
from gongkai.core.http_cache import without_last_modified

from . import views_catalogue as views
from .feeds import ColumnAtomFeed, ColumnRssFeed
from .sitemaps import SITEMAPS

urlpatterns = [
    path("items/<int:pk>/", views.item_detail, name="item_detail"),
    # The catalogue's download view; it serves public items' attachments to everyone.
    path(
        "attachments/<int:pk>/download/",
        catalogue_views.attachment_download,
        name="attachment_download",
    ),
    path("zfxxgk/", views.zfxxgk_index, name="zfxxgk_index"),
    path("zfxxgk/org/<str:code>/", views.zfxxgk_org, name="zfxxgk_org"),
    path("zfxxgk/topic/<int:pk>/", views.zfxxgk_topic, name="zfxxgk_topic"),
    path("zfxxgk/guide/", views.zfxxgk_guide, name="zfxxgk_guide"),
    path("zfxxgk/rules/", views.zfxxgk_rules, name="zfxxgk_rules"),
    path("zfxxgk/annual-reports/", views.zfxxgk_annual_reports, name="zfxxgk_annual_reports"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/<str:code>/", views.organisation_detail, name="organisation_detail"),
    path("columns/<slug:slug>/", views.column_detail, name="column_detail"),
    # Feeds and sitemaps: ETag only (gongkai.core.http_cache.without_last_modified).
    path(
        "columns/<slug:slug>/rss.xml",
        without_last_modified(ColumnRssFeed()),
        name="column_rss",
    ),
    path(
        "columns/<slug:slug>/atom.xml",
        without_last_modified(ColumnAtomFeed()),
        name="column_atom",
    ),
    path(
        "sitemap.xml",
        without_last_modified(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "portal:sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        without_last_modified(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
]
