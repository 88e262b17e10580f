# Error reports, self-inspection runs and the 第十八/二十条 tables moved here from the review app
# (issue 11); their tables keep their names.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# 条例第二十条 items (一)–(十五) and their default columns (copied from review 0003, which seeded
# them first; migrations stay frozen). Idempotent: re-run after a test flush (core.seeding).
DEFAULT_CATEGORY_COLUMNS = {1: ("zcwj",)}


def seed_article20(apps, schema_editor):
    Category = apps.get_model("oversight", "Article20Category")
    Column = apps.get_model("catalogue", "Column")
    for number in range(1, 16):
        category, created = Category.objects.get_or_create(number=number)
        if created:
            slugs = DEFAULT_CATEGORY_COLUMNS.get(number, ())
            category.columns.set(Column.objects.filter(slug__in=slugs))


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('review', '0003_disclosure_review_article20'),
        ('catalogue', '0004_revisions_of_published_content'),
        ('foi', '0007_correction_requests'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay where they are (db_table): only Django's model state moves.
            state_operations=[
                migrations.CreateModel(
                    name='Article20Category',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('number', models.PositiveSmallIntegerField(choices=[(1, '（一） 行政法规、规章和规范性文件'), (2, '（二） 机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名'), (3, '（三） 国民经济和社会发展规划、专项规划、区域规划及相关政策'), (4, '（四） 国民经济和社会发展统计信息'), (5, '（五） 办理行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果'), (6, '（六） 实施行政处罚、行政强制的依据、条件、程序以及本行政机关认为具有一定社会影响的行政处罚决定'), (7, '（七） 财政预算、决算信息'), (8, '（八） 行政事业性收费项目及其依据、标准'), (9, '（九） 政府集中采购项目的目录、标准及实施情况'), (10, '（十） 重大建设项目的批准和实施情况'), (11, '（十一） 扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况'), (12, '（十二） 突发公共事件的应急预案、预警信息及应对情况'), (13, '（十三） 环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况'), (14, '（十四） 公务员招考的职位、名额、报考条件等事项以及录用结果'), (15, '（十五） 法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息')], unique=True, verbose_name='项')),
                        ('columns', models.ManyToManyField(blank=True, related_name='+', to='catalogue.column', verbose_name='承载栏目')),
                    ],
                    options={
                        'verbose_name': '第二十条主动公开事项',
                        'verbose_name_plural': '第二十条主动公开事项',
                        'db_table': 'review_article20category',
                        'ordering': ['number'],
                    },
                ),
                migrations.CreateModel(
                    name='ErrorReport',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('page_url', models.CharField(max_length=1000, verbose_name='页面地址')),
                        ('description', models.TextField(verbose_name='问题描述')),
                        ('contact', models.CharField(blank=True, max_length=200, verbose_name='联系方式')),
                        ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='提交时间')),
                        ('status', models.CharField(choices=[('new', '待处理'), ('answered', '已答复')], db_index=True, default='new', max_length=20, verbose_name='状态')),
                        ('answer', models.TextField(blank=True, verbose_name='答复')),
                        ('answered_at', models.DateTimeField(blank=True, null=True, verbose_name='答复时间')),
                        ('answered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='答复人')),
                        ('reporter', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='报告人账号')),
                    ],
                    options={
                        'verbose_name': '网站找错报告',
                        'verbose_name_plural': '网站找错报告',
                        'db_table': 'review_errorreport',
                        'ordering': ['-created_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='InspectionRun',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='检查时间')),
                        ('today', models.DateField(verbose_name='检查日期')),
                        ('findings', models.JSONField(default=list, verbose_name='问题清单')),
                        ('counts', models.JSONField(default=dict, verbose_name='问题统计')),
                        ('triggered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='发起人')),
                    ],
                    options={
                        'verbose_name': '网站自查',
                        'verbose_name_plural': '网站自查',
                        'db_table': 'review_inspectionrun',
                        'ordering': ['-created_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='DisclosureReview',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('reviewed_on', models.DateField(verbose_name='评估日期')),
                        ('outcome', models.CharField(choices=[('keep', '维持不主动公开'), ('propose', '建议转主动公开')], max_length=10, verbose_name='评估结论')),
                        ('disclosure_before', models.CharField(max_length=20, verbose_name='评估前公开属性')),
                        ('disclosure_after', models.CharField(max_length=20, verbose_name='评估后公开属性')),
                        ('reason', models.TextField(verbose_name='理由')),
                        ('reviewer_name', models.CharField(blank=True, max_length=150, verbose_name='评估人姓名')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='记录时间')),
                        ('item', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='disclosure_reviews', to='catalogue.informationitem', verbose_name='政府信息')),
                        ('proposal', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='foi.proactiveproposal', verbose_name='转主动公开建议')),
                        ('reviewer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='评估人')),
                    ],
                    options={
                        'verbose_name': '不公开信息定期评估',
                        'verbose_name_plural': '不公开信息定期评估',
                        'db_table': 'review_disclosurereview',
                        'ordering': ['-reviewed_on', '-id'],
                        'indexes': [models.Index(fields=['item', '-reviewed_on'], name='disclosure_review_item_idx')],
                    },
                ),
    
            ],
        ),
    ]
