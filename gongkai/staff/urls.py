"""Back-office URLs under /staff/. Each area keeps its routes in its own module (urls_<area>.py)."""

from django.urls import include, path

app_name = "staff"
urlpatterns = [
    path("", include("gongkai.staff.urls_core")),
    path("items/", include("gongkai.staff.urls_items")),
    path("items/", include("gongkai.staff.urls_conditions")),
    path("items/", include("gongkai.staff.urls_subscriptions")),
    path("", include("gongkai.staff.urls_policies")),
    path("foi/", include("gongkai.staff.urls_foi")),
    path("review/", include("gongkai.staff.urls_review")),
    path("workflow/", include("gongkai.staff.urls_workflow")),
    path("search/", include("gongkai.staff.urls_search")),
    path("reports/", include("gongkai.staff.urls_reports")),
    path("guide/", include("gongkai.staff.urls_guide")),
    path("interaction/", include("gongkai.staff.urls_interaction")),
    path("registers/", include("gongkai.staff.urls_registers")),
    path("participation/", include("gongkai.staff.urls_participation")),
    path("manage/", include("gongkai.staff.urls_manage")),
]
