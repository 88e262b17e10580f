"""gongkai audit_prune --days N — delete audit rows older than N days (N ≥ 180)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gongkai.oversight.ledger import MIN_RETENTION_DAYS, audit_prune


class Command(BaseCommand):
    help = "清理超过保留期限的审计记录（至少保留 180 天）"

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            required=True,
            help=_("保留天数，不少于 %(min)d") % {"min": MIN_RETENTION_DAYS},
        )

    def handle(self, *args, **options):
        try:
            count = audit_prune(days=options["days"])
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from error
        self.stdout.write(_("已删除 %(n)d 条审计记录") % {"n": count})
