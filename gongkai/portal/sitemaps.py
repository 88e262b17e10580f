"""sitemap.xml sections (django.contrib.sitemaps): items, policies, interpretations, columns."""

import datetime

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from gongkai.catalogue.models import Column, InformationItem
from gongkai.catalogue.selectors import public_items
from gongkai.policies.models import Interpretation
from gongkai.policies.selectors import public_interpretations


class ItemSitemap(Sitemap):
    """Public non-policy items (policies have their own section, so nothing is listed twice)."""

    changefreq = "monthly"
    limit = 10000

    def items(self):
        return public_items().filter(policy_kind="").only("id", "published_date").order_by("id")

    def location(self, item: InformationItem) -> str:
        return reverse("portal:item_detail", args=[item.pk])

    def lastmod(self, item: InformationItem) -> datetime.date | None:
        return item.published_date

    def get_latest_lastmod(self) -> datetime.date | None:  # type: ignore[override]  # stubs say datetime; a date is what we store
        # The default walks every item in Python; one MAX() query does the same job.
        return self.items().order_by().aggregate(latest=Max("published_date"))["latest"]


class PolicySitemap(ItemSitemap):
    priority = 0.8

    def items(self):
        return public_items().exclude(policy_kind="").only("id", "published_date").order_by("id")


class InterpretationSitemap(Sitemap):
    changefreq = "monthly"
    limit = 10000

    def items(self):
        return public_interpretations().only("id", "published_date").order_by("id")

    def location(self, obj: Interpretation) -> str:
        return reverse("portal:interpretation_detail", args=[obj.pk])

    def lastmod(self, obj: Interpretation) -> datetime.date | None:
        return obj.published_date

    def get_latest_lastmod(self) -> datetime.date | None:  # type: ignore[override]  # stubs say datetime; a date is what we store
        return self.items().order_by().aggregate(latest=Max("published_date"))["latest"]


class ColumnSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return Column.objects.filter(is_active=True).only("id", "slug").order_by("id")

    def location(self, obj: Column) -> str:
        return reverse("portal:column_detail", args=[obj.slug])


class StaticSitemap(Sitemap):
    changefreq = "weekly"

    def items(self) -> list[str]:
        return [
            "portal:home",
            "portal:zfxxgk_index",
            "portal:policy_library",
            "portal:policy_normative",
            "portal:policy_repealed",
            "portal:interpretation_list",
            "portal:qa_list",
            "portal:organisation_list",
            "portal:zfxxgk_guide",
            "portal:zfxxgk_rules",
        ]

    def location(self, name: str) -> str:
        return reverse(name)


SITEMAPS = {
    "pages": StaticSitemap,
    "items": ItemSitemap,
    "policies": PolicySitemap,
    "interpretations": InterpretationSitemap,
    "columns": ColumnSitemap,
}
