from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.static import serve

from gongkai.core import views as core_views

handler403 = "gongkai.core.views.permission_denied"
handler500 = "gongkai.core.views.server_error"

urlpatterns: list = [
    path("favicon.ico", core_views.favicon, name="favicon"),
    # One login form for everyone: the admin's own would skip the rate limits, the captcha and
    # the second factor of accounts:login.
    path("admin/login/", RedirectView.as_view(url="/accounts/login/", query_string=True)),
    path("admin/", admin.site.urls),
    path("accounts/", include("gongkai.accounts.urls")),
    path("staff/", include("gongkai.staff.urls")),
    path("api/v1/", include("gongkai.api.urls")),
    path("", include("gongkai.portal.urls")),
]

if settings.DEBUG:
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]
