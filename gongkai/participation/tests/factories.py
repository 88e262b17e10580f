"""factory_boy factories of public participation (rows straight in the database, for set-up;
the behaviour under test always goes through the services)."""

import datetime

import factory
from factory.django import DjangoModelFactory

from gongkai.accounts.models import Organisation, User
from gongkai.core.status import ContentStatus
from gongkai.participation import models


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"1133010000249{n:05d}")
    name = factory.Sequence(lambda n: f"测试市第{n}局")
    kind = Organisation.Kind.DEPARTMENT


class PublicUserFactory(DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"public{n}")
    kind = User.Kind.PUBLIC
    display_name = "李四"


class EnterpriseUserFactory(PublicUserFactory):
    username = factory.Sequence(lambda n: f"company{n}")
    display_name = "王五"
    applicant_type = User.ApplicantType.BUSINESS
    organisation_name = "杭东市明远科技有限公司"


class ConsultationFactory(DjangoModelFactory):
    """A published consultation open from 1 December to 31 December 2026 (30 days)."""

    class Meta:
        model = models.Consultation

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"杭东市促进民营经济发展若干措施（征求意见稿）{n}")
    kind = models.ConsultationKind.MARKET_ENTITY
    draft_text = "第一条 为促进民营经济发展，制定本措施。\n第二条 本措施适用于本市行政区域。"
    explanation = "根据《优化营商环境条例》起草。"
    target_group = "辖区企业"
    opens_on = datetime.date(2026, 12, 1)
    closes_on = datetime.date(2026, 12, 31)
    status = ContentStatus.PUBLISHED
    published_date = datetime.date(2026, 12, 1)


class QuestionFactory(DjangoModelFactory):
    class Meta:
        model = models.Question

    consultation = factory.SubFactory(ConsultationFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = "您对扶持资金的申报条件有何意见？"


class CommentFactory(DjangoModelFactory):
    class Meta:
        model = models.Comment

    consultation = factory.SubFactory(ConsultationFactory)
    body = "建议降低申报门槛。"
    public_body = factory.SelfAttribute("body")
    is_public = True
    author_name = "李四"
    moderation = models.Comment.Moderation.APPROVED


class OfflineInputFactory(DjangoModelFactory):
    class Meta:
        model = models.OfflineInput

    consultation = factory.SubFactory(ConsultationFactory)
    method = models.OfflineInput.Method.SYMPOSIUM
    held_on = datetime.date(2026, 12, 10)
    place = "市政府第三会议室"
    participants = 12
    opinions = 5
    summary = "邀请12家企业座谈，提出意见5条。"


class DirectoryFactory(DjangoModelFactory):
    class Meta:
        model = models.DecisionDirectory

    organisation = factory.SubFactory(OrganisationFactory, kind=Organisation.Kind.GOVERNMENT)
    year = 2026
