"""factory_boy factories for accounts: organisations, internal units, users and their roles.

Every field a test asserts on is passed explicitly by that test; the defaults here only fill
what the test does not care about (unique codes and usernames from a sequence).
"""

import factory
from factory.django import DjangoModelFactory

from gongkai.accounts.models import InternalUnit, Organisation, Role, RoleAssignment, User

TEST_PASSWORD = "pass-1234-abcd"


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    # 18-character 统一社会信用代码-shaped codes, unique per test run.
    code = factory.Sequence(lambda n: f"1133019900{n:08d}")
    name = factory.Sequence(lambda n: f"测试机构{n}")
    kind = Organisation.Kind.DEPARTMENT


class InternalUnitFactory(DjangoModelFactory):
    class Meta:
        model = InternalUnit

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"科室{n}")


class UserFactory(DjangoModelFactory):
    """A public account (the default kind); ``StaffFactory`` for staff."""

    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    password = TEST_PASSWORD
    kind = User.Kind.PUBLIC

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # create_user, as the fixtures always did: the password is stored hashed.
        return model_class.objects.create_user(*args, **kwargs)


class StaffFactory(UserFactory):
    kind = User.Kind.STAFF


class RoleAssignmentFactory(DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(StaffFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.EDITOR
