"""Seed the default 答复书 templates (one per outcome) so a fresh database can answer cases."""

from django.db import migrations


def seed(apps, schema_editor):
    from gongkai.foi.reply_defaults import DEFAULT_REMEDY, DEFAULTS

    ReplyTemplate = apps.get_model("foi", "ReplyTemplate")
    for outcome, (body, basis) in DEFAULTS.items():
        ReplyTemplate.objects.get_or_create(
            outcome=outcome,
            organisation=None,
            defaults={"body": body, "legal_basis": basis, "remedy": DEFAULT_REMEDY},
        )


def unseed(apps, schema_editor):
    apps.get_model("foi", "ReplyTemplate").objects.filter(organisation=None).delete()


class Migration(migrations.Migration):
    dependencies = [("foi", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
