from django.db import migrations


def add_column(apps, schema_editor):
    column = apps.get_model("catalogue", "Column")
    column.objects.get_or_create(
        slug="gknb",
        defaults={
            "name": "政府信息公开年报",
            "kind": "catalogue",
            "sort_order": 60,
            "description": "政府信息公开工作年度报告（2021年格式）。",
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("catalogue", "0002_seed_classifications_and_columns"),
    ]

    operations = [migrations.RunPython(add_column, migrations.RunPython.noop)]
