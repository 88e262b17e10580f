"""Back-office routes of review & compliance, mounted at /staff/review/."""

from django.urls import path

from . import views_review as views

urlpatterns = [
    path("", views.review_home, name="review_home"),
    path("wordlist/", views.review_wordlist, name="review_wordlist"),
    path("wordlist/starter/", views.review_wordlist_starter, name="review_wordlist_starter"),
    path("wordlist/<int:pk>/delete/", views.review_wordlist_delete, name="review_wordlist_delete"),
    path("items/<int:pk>/mask/", views.review_item_mask, name="review_item_mask"),
    path("error-reports/", views.review_error_reports, name="review_error_reports"),
    path("disclosure/", views.review_disclosure, name="review_disclosure"),
    path("disclosure/<int:pk>/", views.review_disclosure_item, name="review_disclosure_item"),
    path("article20/", views.review_article20, name="review_article20"),
    path(
        "error-reports/<int:pk>/",
        views.review_error_report_detail,
        name="review_error_report_detail",
    ),
]
