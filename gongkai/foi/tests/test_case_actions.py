"""The case page's actions come from one table of form + service (``staff.views_foi.ACTIONS``):
an action outside it is refused without touching the case, and who is offered an action
follows the table."""

import pytest

from gongkai.core.models import AuditEntry
from gongkai.foi.models import Case, CaseDocument

pytestmark = pytest.mark.django_db


def _state(case: Case) -> tuple:
    case = Case.objects.get(pk=case.pk)
    return (
        case.status,
        case.handler_id,
        case.due_date,
        list(case.events.values_list("type", flat=True)),
        CaseDocument.objects.filter(case=case).count(),
        AuditEntry.objects.count(),
    )
