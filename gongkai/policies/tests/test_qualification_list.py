"""The 企业资质 list of 政策找人 (issue 15 item 7): a platform administrator edits it in 公开管理
through audited services; a qualification a policy or a profile uses is never deleted."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.accounts.models import Role
from gongkai.accounts.tests.factories import UserFactory
from gongkai.core.models import AuditEntry
from gongkai.policies import services
from gongkai.policies.models import Qualification
from gongkai.policies.tests.factories import (
    MatchProfileFactory,
    PolicyConditionsFactory,
    PolicyItemFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def platform_admin(org_tree, make_staff):
    return make_staff(Role.ADMIN, org_tree["city"], username="city_admin")


def _names():
    return list(Qualification.objects.values_list("name", "position"))


def test_a_platform_admin_adds_and_renames_a_qualification(platform_admin):
    seeded = Qualification.objects.count()
    qualification = services.qualification_save(
        data={"name": "瞪羚企业"}, acting_user=platform_admin
    )
    assert qualification.position == max(p for _n, p in _names()[:-1]) + 1
    assert Qualification.objects.count() == seeded + 1
    services.qualification_save(
        data={"name": "瞪羚企业（省级）", "position": 0},
        qualification=qualification,
        acting_user=platform_admin,
    )
    assert _names()[0] == ("瞪羚企业（省级）", 0)
    entry = AuditEntry.objects.get(target_type="policies.qualification", action="edit")
    assert entry.detail["changes"]["name"] == {"old": "瞪羚企业", "new": "瞪羚企业（省级）"}


def test_a_duplicate_name_or_a_department_admin_is_refused(org_tree, make_staff, platform_admin):
    before = _names()
    with pytest.raises(ValidationError, match="已有名为“高新技术企业”的企业资质"):
        services.qualification_save(data={"name": "高新技术企业"}, acting_user=platform_admin)
    finance_admin = make_staff(Role.ADMIN, org_tree["finance"])
    with pytest.raises(PermissionDenied, match="只有全平台的政务公开管理员可以维护企业资质"):
        services.qualification_save(data={"name": "新资质"}, acting_user=finance_admin)
    assert _names() == before
    assert not AuditEntry.objects.exists()


def test_a_qualification_in_use_is_not_deleted(org_tree, platform_admin):
    high_tech = Qualification.objects.get(name="高新技术企业")
    PolicyConditionsFactory.create(
        item=PolicyItemFactory.create(organisation=org_tree["finance"]),
        qualifications=[high_tech],
    )
    profile = MatchProfileFactory.create(user=UserFactory.create(), region=org_tree["finance"])
    profile.qualifications.set([high_tech])
    with pytest.raises(ValidationError, match="已被1份文件使用") as refused:
        services.qualification_delete(qualification=high_tech, acting_user=platform_admin)
    assert refused.value.messages == [
        "企业资质“高新技术企业”已被1份文件使用（另有政策找人档案1条），不能删除；未作任何修改。"
    ]
    assert Qualification.objects.filter(pk=high_tech.pk).exists()
    unused = services.qualification_save(data={"name": "临时资质"}, acting_user=platform_admin)
    services.qualification_delete(qualification=unused, acting_user=platform_admin)
    assert not Qualification.objects.filter(name="临时资质").exists()
    assert AuditEntry.objects.filter(action="delete", target_label="临时资质").count() == 1
