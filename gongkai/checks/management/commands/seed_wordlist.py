"""gongkai seed_wordlist — add the shipped starter 错敏词 dictionary's missing words."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from gongkai.checks.services import wordlist_load_starter


class Command(BaseCommand):
    help = "载入平台内置的错敏词库（只添加词库中还没有的词语，已有词语不改动）"

    def handle(self, *args, **options):
        result = wordlist_load_starter()
        self.stdout.write(
            _("内置错敏词库：新增 %(created)d 条，已有 %(unchanged)d 条未改动。")
            % {"created": result.created, "unchanged": result.unchanged}
        )
