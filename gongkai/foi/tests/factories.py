"""factory_boy factories for 依申请公开 cases and their documents (rows, not the workflow:
tests that need a case in a given state drive ``foi.services``)."""

import factory
from factory.django import DjangoModelFactory

from gongkai.accounts.tests.factories import OrganisationFactory
from gongkai.foi.models import AdminReview, Case, CaseDocument, FeeNotice


class CaseFactory(DjangoModelFactory):
    class Meta:
        model = Case

    reference = factory.Sequence(lambda n: f"TEST-{n}")
    organisation = factory.SubFactory(OrganisationFactory)
    applicant_type = "natural"
    channel = "online"


class CaseDocumentFactory(DjangoModelFactory):
    class Meta:
        model = CaseDocument

    case = factory.SubFactory(CaseFactory)
    kind = "reply"
    title = factory.Sequence(lambda n: f"文书{n}")


class AdminReviewFactory(DjangoModelFactory):
    """A 行政复议 / 行政诉讼 against a case (reports' table 四)."""

    class Meta:
        model = AdminReview

    case = factory.SubFactory(CaseFactory)
    kind = "review"


class FeeNoticeFactory(DjangoModelFactory):
    class Meta:
        model = FeeNotice

    case = factory.SubFactory(CaseFactory)
