"""The default letters that withhold information state 复议前置 (行政复议法第二十三条第一款第（四）项,
2023 revision): their seeded remedy sentence is replaced unless an administrator edited it."""

from django.db import migrations

# Frozen copies of reply_defaults at the time of this migration.
BOTH_WAYS = (
    "如对本答复不服，可以自收到本答复书之日起60日内依法申请行政复议，"
    "或者自收到本答复书之日起6个月内依法向人民法院提起行政诉讼。"
)
REVIEW_FIRST = (
    "如对本答复不服，可以自收到本答复书之日起60日内依法申请行政复议；"
    "对行政复议决定不服的，可以依法向人民法院提起行政诉讼"
    "（《中华人民共和国行政复议法》第二十三条）。"
)
KINDS = ["2", "3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "3.7", "36.7"]


def review_first(apps, schema_editor):
    ReplyTemplate = apps.get_model("foi", "ReplyTemplate")
    ReplyTemplate.objects.filter(organisation=None, outcome__in=KINDS, remedy=BOTH_WAYS).update(
        remedy=REVIEW_FIRST
    )


def both_ways(apps, schema_editor):
    ReplyTemplate = apps.get_model("foi", "ReplyTemplate")
    ReplyTemplate.objects.filter(organisation=None, outcome__in=KINDS, remedy=REVIEW_FIRST).update(
        remedy=BOTH_WAYS
    )


class Migration(migrations.Migration):
    dependencies = [("foi", "0010_internal_targets")]

    operations = [migrations.RunPython(review_first, both_ways)]
