import uuid

from django.db import migrations, models


def create_identity(apps, schema_editor):
    apps.get_model("search", "DatabaseIdentity").objects.get_or_create(
        pk=1, defaults={"uuid": uuid.uuid4()}
    )


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="DatabaseIdentity",
            fields=[
                (
                    "id",
                    models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False),
                ),
                ("uuid", models.UUIDField(default=uuid.uuid4, verbose_name="数据库标识")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="生成时间")),
            ],
            options={"verbose_name": "数据库标识", "verbose_name_plural": "数据库标识"},
        ),
        migrations.RunPython(create_identity, migrations.RunPython.noop),
    ]
