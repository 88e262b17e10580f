"""`gongkai jobs_check`: the queued test job and its answer (the live consumer is exercised by
the deployment smoke test, scripts/smoke.py)."""

import json
import os
from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_jobs_check_runs_the_ping_job_and_reports_who_ran_it(settings):
    out = StringIO()
    call_command("jobs_check", "--json", stdout=out)
    answer = json.loads(out.getvalue())
    # The test queue runs jobs immediately, so the answer comes from this very process.
    assert answer["pid"] == os.getpid()
    assert answer["same_process"] is True
    assert answer["database"] == str(settings.DATABASES["default"]["NAME"])
    assert len(answer["token"]) == 16

    out = StringIO()
    call_command("jobs_check", stdout=out)
    assert out.getvalue().strip() == "测试任务已在本进程内执行（队列为立即执行模式）"
