"""factory_boy factories for the policies app: interpretations (政策解读), Q&A entries (政策问答),
政策兑现 conditions and 政策找人 profiles."""

import datetime

import factory
from factory.django import DjangoModelFactory

from gongkai.accounts.tests.factories import OrganisationFactory
from gongkai.catalogue.models import InformationItem, PolicyKind
from gongkai.catalogue.services import index_numbers_allocate
from gongkai.policies.models import (
    Interpretation,
    MatchProfile,
    PolicyConditions,
    PolicyIndustry,
    QAEntry,
)


class InterpretationFactory(DjangoModelFactory):
    class Meta:
        model = Interpretation
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"政策解读{n}")

    @factory.post_generation
    def policies(self, create, extracted, **kwargs):
        if create and extracted:
            self.policies.set(extracted)


class QAEntryFactory(DjangoModelFactory):
    class Meta:
        model = QAEntry

    organisation = factory.SubFactory(OrganisationFactory)
    question = factory.Sequence(lambda n: f"问题{n}？")
    answer = "<p>答复。</p>"


class PolicyItemFactory(DjangoModelFactory):
    """A public, 有效 normative policy; pass ``organisation``."""

    class Meta:
        model = InformationItem

    title = factory.Sequence(lambda n: f"惠企政策第{n}号")
    published_date = datetime.date(2026, 1, 5)
    policy_kind = PolicyKind.NORMATIVE
    status = InformationItem.Status.PUBLISHED
    disclosure = InformationItem.Disclosure.PROACTIVE
    validity = InformationItem.Validity.VALID
    body = "<p>正文。</p>"
    external_id = factory.Sequence(lambda n: f"pol-{n:04d}")
    index_number = factory.LazyAttribute(
        lambda o: index_numbers_allocate(organisation=o.organisation, on_date=o.published_date)[0]
    )


class PolicyConditionsFactory(DjangoModelFactory):
    """Conditions of a policy; ``regions``/``qualifications`` lists and ``industries`` codes
    as keyword arguments keep the ``has_*`` flags and the industry rows in step."""

    class Meta:
        model = PolicyConditions
        skip_postgeneration_save = True

    item = factory.SubFactory(PolicyItemFactory)

    @factory.post_generation
    def regions(self, create, extracted, **kwargs):
        if extracted:
            self.regions.set(extracted)
            self.has_regions = True
            self.save(update_fields=["has_regions"])

    @factory.post_generation
    def qualifications(self, create, extracted, **kwargs):
        if extracted:
            self.qualifications.set(extracted)
            self.has_qualifications = True
            self.save(update_fields=["has_qualifications"])

    @factory.post_generation
    def industry_rows(self, create, extracted, **kwargs):
        if self.industries:
            self.has_industries = True
            self.save(update_fields=["has_industries"])
            PolicyIndustry.objects.bulk_create(
                [PolicyIndustry(conditions=self, code=c) for c in self.industries]
            )


class MatchProfileFactory(DjangoModelFactory):
    class Meta:
        model = MatchProfile

    name = factory.Sequence(lambda n: f"杭东科技有限公司{n}")
    industry = "C3911"
    scale = "small"
    established = datetime.date(2020, 6, 1)
