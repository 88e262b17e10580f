"""Issue 20 item 5 (条例第四十三条): help for applicants with reading difficulties or
visual/hearing impairments — offered on the public form, recorded on the case, shown to the
handler."""

from datetime import date

import pytest

from gongkai.foi import services
from gongkai.foi.models import Case

from .conftest import application

pytestmark = pytest.mark.django_db


def test_staff_record_an_oral_application_with_help(org_tree, handler):
    """第二十九条: an applicant who cannot write may apply orally; staff record the help."""
    case, _code = services.case_record(
        organisation=org_tree["finance"],
        data=application(assistance_needed=True, assistance_kind="writing"),
        channel="in_person",
        arrived=date(2025, 9, 26),
        acting_user=handler,
    )
    assert (case.assistance_needed, case.get_assistance_kind_display()) == (True, "代为填写申请")
    with pytest.raises(services.CaseError, match="请从列表中选择需要的帮助"):
        services.case_record(
            organisation=org_tree["finance"],
            data=application(assistance_needed=True, assistance_kind="telepathy"),
            channel="in_person",
            arrived=date(2025, 9, 26),
            acting_user=handler,
        )
    assert Case.objects.count() == 1
