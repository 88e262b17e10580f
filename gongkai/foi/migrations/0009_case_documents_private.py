import gongkai.core.storage
import gongkai.foi.models
from django.db import migrations, models


def move_to_private(apps, schema_editor):
    from gongkai.foi.private_files import move_public_case_documents

    move_public_case_documents(apps.get_model("foi", "CaseDocument"))


class Migration(migrations.Migration):
    """依申请公开 letters and notices leave the public media root (issue 19, item 1)."""

    dependencies = [
        ("foi", "0008_identity_document"),
    ]

    operations = [
        migrations.AlterField(
            model_name="casedocument",
            name="file",
            field=models.FileField(
                blank=True,
                storage=gongkai.core.storage.private_storage,
                upload_to=gongkai.foi.models.case_document_path,
                verbose_name="文件（DOCX）",
            ),
        ),
        migrations.AlterField(
            model_name="casedocument",
            name="pdf",
            field=models.FileField(
                blank=True,
                storage=gongkai.core.storage.private_storage,
                upload_to=gongkai.foi.models.case_document_path,
                verbose_name="文件（PDF）",
            ),
        ),
        migrations.RunPython(move_to_private, migrations.RunPython.noop),
    ]
