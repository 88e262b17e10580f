"""factory_boy factories of the registers app (rows only: the workflow goes through services)."""

import datetime
from decimal import Decimal

import factory

from gongkai.registers.kinds import Action, ListKind
from gongkai.registers.models import Adjustment, Project, ProjectStageItem, Rectification


class AdjustmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Adjustment

    list_kind = ListKind.POWERS
    action = Action.ADD
    effective_date = datetime.date(2025, 1, 1)
    reason = "清单初次公布"
    legal_basis = "《杭东市权责清单管理办法》"
    name = factory.Sequence(lambda n: f"对未取得许可从事经营活动的处罚{n}")
    category = "处罚"
    basis = "《中华人民共和国行政许可法》第八十一条"
    implementer = "杭东市市场监督管理局"


class RectificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rectification

    source = Rectification.Source.THIRD_PARTY
    problem = factory.Sequence(lambda n: f"政策解读栏目更新不及时{n}")
    found_on = datetime.date(2025, 9, 1)
    lead_unit = "政务公开科"
    deadline = datetime.date(2025, 9, 30)


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    name = factory.Sequence(lambda n: f"杭东市快速路工程{n}期")
    owner = "杭东市交通投资集团有限公司"
    location = "西湖区文一路"
    district = "西湖区"
    industry = "交通运输"
    investment = Decimal("125000.00")
    phase = "construction"
    year = 2025
    status = "published"
    published_date = datetime.date(2025, 3, 1)


class StageItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectStageItem

    project = factory.SubFactory(ProjectFactory)
    stage = "approval_result"
    title = factory.Sequence(lambda n: f"关于项目可行性研究报告的批复{n}")
    item_date = datetime.date(2025, 2, 1)
    url = "https://www.hangdong.gov.cn/art/2025/2/1/1.html"
    status = "published"
