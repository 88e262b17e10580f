# The 错敏词 dictionary moved here from the review app (issue 11); its table keeps its name.

from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('review', '0003_disclosure_review_article20'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay where they are (db_table): only Django's model state moves.
            state_operations=[
                migrations.CreateModel(
                    name='WordlistEntry',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('word', models.CharField(max_length=100, unique=True, verbose_name='词语')),
                        ('category', models.CharField(choices=[('wrong_expression', '错误表述'), ('sensitive', '敏感词'), ('typo', '错别字'), ('other', '其他')], max_length=20, verbose_name='分类')),
                        ('suggestion', models.CharField(blank=True, max_length=200, verbose_name='建议改为')),
                        ('is_blocking', models.BooleanField(default=False, help_text='命中后必须修改，或由终审人员填写理由后强制通过。错误表述和敏感词默认阻止。', verbose_name='阻止发布')),
                    ],
                    options={
                        'verbose_name': '错敏词',
                        'verbose_name_plural': '错敏词库',
                        'db_table': 'review_wordlistentry',
                        'ordering': ['category', 'word'],
                    },
                ),
    
            ],
        ),
    ]
