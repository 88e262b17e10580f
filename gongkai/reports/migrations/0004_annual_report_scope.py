from django.db import migrations, models


def scope_from_flag(apps, schema_editor):
    # Until now a report either rolled up everything below the organisation or counted it alone.
    report = apps.get_model("reports", "AnnualReport")
    report.objects.filter(include_subordinates=True).update(scope="all")
    report.objects.filter(include_subordinates=False).update(scope="own")


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_report_submitted_state"),
    ]

    operations = [
        migrations.AddField(
            model_name="annualreport",
            name="scope",
            field=models.CharField(
                choices=[("level", "本级政府及其部门"), ("all", "含下级政府"), ("own", "本机关")],
                default="own",
                help_text="政府年报可只统计本级政府及其部门，也可包含下级政府及其部门。",
                max_length=10,
                verbose_name="统计范围",
            ),
        ),
        migrations.AddField(
            model_name="annualreport",
            name="published_json",
            field=models.TextField(
                blank=True, editable=False, verbose_name="发布时的报告内容（JSON）"
            ),
        ),
        migrations.RunPython(scope_from_flag, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="annualreport", name="annual_report_unique"),
        migrations.RemoveField(model_name="annualreport", name="include_subordinates"),
        migrations.AddConstraint(
            model_name="annualreport",
            constraint=models.UniqueConstraint(
                fields=("organisation", "year", "scope"), name="annual_report_unique_scope"
            ),
        ),
    ]
