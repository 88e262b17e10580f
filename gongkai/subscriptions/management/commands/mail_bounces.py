"""``gongkai mail_bounces FILE``: mark subscription addresses that bounced.

FILE has one address per line, or ``address,reason`` (CSV). Prints only JSON:
``{"marked": n, "unknown": [addresses with no subscription mailbox]}``. A malformed line
stops the command with its line number and nothing is marked."""

import csv
import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from gongkai.subscriptions.services import mail_bounces_record


class Command(BaseCommand):
    help = "标记退信的订阅邮箱（每行一个地址，或“地址,原因”）"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(
                _("无法读取文件%(path)s：%(error)s") % {"path": path, "error": error}
            ) from None
        rows: list[tuple[str, str]] = []
        for number, fields in enumerate(csv.reader(text.splitlines()), start=1):
            if not fields or not "".join(fields).strip():
                continue
            email = fields[0].strip()
            try:
                validate_email(email)
            except ValidationError:
                raise CommandError(
                    _("第%(n)d行：“%(value)s”不是有效的电子邮箱地址")
                    % {"n": number, "value": email}
                ) from None
            rows.append((email, ",".join(fields[1:]).strip()))
        result = mail_bounces_record(rows=rows, acting_user=None)
        self.stdout.write(json.dumps(result, ensure_ascii=False))
