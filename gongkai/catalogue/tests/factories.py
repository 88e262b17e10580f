"""factory_boy factories for catalogue rows (items, columns, attachments, reference data).

Rows made here skip the service layer on purpose: tests use them to set up a state (a
published item of 2024, an orphan column) that the services would take several steps to reach.
Only required fields have defaults; what a test asserts, it passes.
"""

import factory
from factory.django import DjangoModelFactory

from gongkai.accounts.tests.factories import OrganisationFactory
from gongkai.catalogue.models import Attachment, Audience, Column, InformationItem, TopicCategory


class InformationItemFactory(DjangoModelFactory):
    class Meta:
        model = InformationItem
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"测试信息{n}")

    @factory.post_generation
    def audiences(self, create, extracted, **kwargs):
        if create and extracted:
            self.audiences.set(extracted)

    @factory.post_generation
    def columns(self, create, extracted, **kwargs):
        if create and extracted:
            self.columns.set(extracted)


class ColumnFactory(DjangoModelFactory):
    class Meta:
        model = Column

    name = factory.Sequence(lambda n: f"栏目{n}")
    slug = factory.Sequence(lambda n: f"t-column-{n}")
    kind = "special"


class AttachmentFactory(DjangoModelFactory):
    class Meta:
        model = Attachment

    item = factory.SubFactory(InformationItemFactory)
    original_name = factory.Sequence(lambda n: f"附件{n}.pdf")
    file_kind = "pdf"
    size = 0


class AudienceFactory(DjangoModelFactory):
    class Meta:
        model = Audience

    name = factory.Sequence(lambda n: f"服务对象{n}")


class TopicCategoryFactory(DjangoModelFactory):
    class Meta:
        model = TopicCategory

    name = factory.Sequence(lambda n: f"主题{n}")
