"""factory_boy factories of the interaction app's models (tests only)."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import factory

from gongkai.accounts.models import Organisation
from gongkai.interaction import deadlines
from gongkai.interaction.models import Integration, Message, OpinionItem, PressConference

CHINA = ZoneInfo("Asia/Shanghai")


def china_time(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=CHINA)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"INTORG{n:04d}")
    name = factory.Sequence(lambda n: f"测试局{n}")
    kind = "department"


class MessageFactory(factory.django.DjangoModelFactory):
    """A registered message; pass ``received_date`` (and optionally ``replied_date``)."""

    class Meta:
        model = Message

    reference = factory.Sequence(lambda n: f"LY-T-{n:06d}")
    organisation = factory.SubFactory(OrganisationFactory)
    channel = "website"
    category = "consult"
    received_date = date(2025, 9, 26)
    received_at = factory.LazyAttribute(lambda o: china_time(o.received_date))
    title = factory.Sequence(lambda n: f"关于办事流程的咨询{n}")
    content = "请问办理该事项需要哪些材料？"
    three_months_date = factory.LazyAttribute(
        lambda o: deadlines.three_months_after(o.received_date)
    )


class IntegrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Integration

    name = "12345热线平台"
    organisation = factory.SubFactory(OrganisationFactory)
    channel = "hotline_12345"
    token_prefix = factory.Sequence(lambda n: f"pfx{n:04d}")
    token_hash = factory.Sequence(lambda n: f"hash{n:08d}")
    webhook_url = "https://12345.example.gov.cn/hooks/gongkai"


class PressConferenceFactory(factory.django.DjangoModelFactory):
    """A 新闻发布会 record in the state a test sets (a draft by default); the behaviour under
    test goes through ``press`` and the review chain."""

    class Meta:
        model = PressConference
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    held_on = date(2025, 9, 26)
    topic = factory.Sequence(lambda n: f"新闻发布会第{n}场")
    speakers = "市财政局局长 王明"


class OpinionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpinionItem

    organisation = factory.SubFactory(OrganisationFactory)
    source = "市民热线"
    summary = "群众关注老旧小区改造资金何时拨付"
    collected_on = date(2025, 9, 20)
    level = "general"
