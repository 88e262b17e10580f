"""``gongkai page_cache_clear``: forget every cached public page (after a deployment that
changed templates or code without a migration). Prints ``{"cleared": true}``."""

import json
from typing import Any

from django.core.management.base import BaseCommand

from gongkai.core import page_cache


class Command(BaseCommand):
    help = "清除已缓存的公开页面（部署新版本后使用）。"

    def handle(self, *args: Any, **options: Any) -> None:
        page_cache.clear_all()
        self.stdout.write(json.dumps({"cleared": True}))
