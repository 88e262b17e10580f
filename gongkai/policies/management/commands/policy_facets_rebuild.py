"""``gongkai policy_facets_rebuild``: recount the policy library's maintained facet counts from
the documents (after a 主题分类 moved under another parent or a column changed its kind, which
the counts do not follow; docs/adr/0015). Prints ``{"public_policies": N, "seconds": S}``."""

import json
import time
from typing import Any

from django.core.management.base import BaseCommand

from gongkai.policies import facet_counts


class Command(BaseCommand):
    help = "重新统计政策文件库的分面计数。"

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        n = facet_counts.rebuild()
        self.stdout.write(
            json.dumps({"public_policies": n, "seconds": round(time.monotonic() - started, 3)})
        )
