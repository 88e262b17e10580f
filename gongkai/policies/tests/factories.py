"""factory_boy factories for policy interpretations (政策解读) and Q&A entries (政策问答)."""

import factory
from factory.django import DjangoModelFactory

from gongkai.accounts.tests.factories import OrganisationFactory
from gongkai.policies.models import Interpretation, QAEntry


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
