"""factory_boy factories for oversight: error reports (我为政府网站找错) and inspection runs."""

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from gongkai.oversight.models import ErrorReport, InspectionRun


class ErrorReportFactory(DjangoModelFactory):
    class Meta:
        model = ErrorReport

    page_url = "/"
    description = factory.Sequence(lambda n: f"问题描述{n}")


class InspectionRunFactory(DjangoModelFactory):
    class Meta:
        model = InspectionRun

    today = factory.LazyFunction(timezone.localdate)
