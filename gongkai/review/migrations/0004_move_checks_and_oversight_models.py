# The 错敏词 dictionary moved to `checks`, error reports, inspection runs and the 第十八/二十条
# tables to `oversight` (issue 11): only the model state leaves this app, the tables stay.

from django.db import migrations

MOVED = {
    "wordlistentry": "checks",
    "errorreport": "oversight",
    "inspectionrun": "oversight",
    "disclosurereview": "oversight",
    "article20category": "oversight",
}


def relabel_content_types(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    for model, app_label in MOVED.items():
        if not content_type.objects.filter(app_label=app_label, model=model).exists():
            content_type.objects.filter(app_label="review", model=model).update(app_label=app_label)


def unrelabel_content_types(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    for model, app_label in MOVED.items():
        if not content_type.objects.filter(app_label="review", model=model).exists():
            content_type.objects.filter(app_label=app_label, model=model).update(app_label="review")


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('oversight', '0001_initial'),
        ('checks', '0001_initial'),
        ('review', '0003_disclosure_review_article20'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay where they are (db_table): only Django's model state moves.
            state_operations=[
                migrations.RemoveField(
                    model_name='article20category',
                    name='columns',
                ),
                migrations.RemoveIndex(
                    model_name='disclosurereview',
                    name='disclosure_review_item_idx',
                ),
                migrations.RemoveField(
                    model_name='errorreport',
                    name='answered_by',
                ),
                migrations.RemoveField(
                    model_name='errorreport',
                    name='reporter',
                ),
                migrations.RemoveField(
                    model_name='inspectionrun',
                    name='triggered_by',
                ),
                migrations.DeleteModel(
                    name='WordlistEntry',
                ),
                migrations.DeleteModel(
                    name='Article20Category',
                ),
                migrations.RemoveField(
                    model_name='disclosurereview',
                    name='item',
                ),
                migrations.RemoveField(
                    model_name='disclosurereview',
                    name='proposal',
                ),
                migrations.RemoveField(
                    model_name='disclosurereview',
                    name='reviewer',
                ),
                migrations.DeleteModel(
                    name='ErrorReport',
                ),
                migrations.DeleteModel(
                    name='InspectionRun',
                ),
                migrations.DeleteModel(
                    name='DisclosureReview',
                ),
    
            ],
        ),
        # Existing content-type rows follow their models, so nothing pointing at them by id breaks.
        migrations.RunPython(relabel_content_types, unrelabel_content_types),
    ]
