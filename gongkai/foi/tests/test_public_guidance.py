"""依申请公开 starts with guidance (issue 15, item 9): 须知, flow, deadlines, fees and the chosen
受理机关's 公开工作机构 before the form; a citizen's form has no 法人 fields; required fields are
marked; the 受理机关 list follows the organisation tree."""

import pytest

pytestmark = pytest.mark.django_db
