"""Site furniture the national norms for government websites expect (issue 15, item 12):
联系我们, 网站声明, the 无障碍/适老化 statement and an HTML 网站地图 beside sitemap.xml."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gongkai.accounts.models import Organisation
from gongkai.accounts.selectors import organisation_tree
from gongkai.catalogue.models import Column


def _top_government() -> Organisation | None:
    return (
        Organisation.objects.filter(
            parent__isnull=True, is_active=True, kind=Organisation.Kind.GOVERNMENT
        )
        .order_by("sort_order", "code")
        .first()
    )


def contact(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/site/contact.html", {"government": _top_government()})


def statement(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/site/statement.html")


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/site/accessibility.html")


def site_map(request: HttpRequest) -> HttpResponse:
    """网站地图 for people; /sitemap.xml stays for search engines."""
    columns = list(
        Column.objects.filter(is_active=True, parent__isnull=True).order_by("sort_order", "id")
    )
    return render(
        request,
        "portal/site/site_map.html",
        {"columns": columns, "organisations": organisation_tree()},
    )
