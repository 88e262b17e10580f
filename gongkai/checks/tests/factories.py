"""factory_boy factories for the 错敏词 dictionary."""

import factory
from factory.django import DjangoModelFactory

from gongkai.checks.models import WordlistEntry


class WordlistEntryFactory(DjangoModelFactory):
    class Meta:
        model = WordlistEntry

    word = factory.Sequence(lambda n: f"测试词{n}")
    category = "other"
