"""Shared helpers of the 意见征集 page tests (gongkai/portal/tests, gongkai/staff/tests)."""

import datetime

from django.utils import timezone

from gongkai.participation import rules, services

from .factories import CommentFactory, ConsultationFactory, OfflineInputFactory


def today():
    return rules.china_date(timezone.now())


def open_consultation(**kw):
    t = today()
    return ConsultationFactory(
        opens_on=t - datetime.timedelta(days=5), closes_on=t + datetime.timedelta(days=25), **kw
    )


def closed_consultation(**kw):
    t = today()
    return ConsultationFactory(
        opens_on=t - datetime.timedelta(days=40), closes_on=t - datetime.timedelta(days=2), **kw
    )


def _with_published_feedback(org, editor):
    c = closed_consultation(organisation=org)
    comments = CommentFactory.create_batch(2, consultation=c)
    offline = OfflineInputFactory(consultation=c, opinions=3)
    services.group_save(
        consultation=c,
        title="降低门槛",
        disposition="adopted",
        reason="",
        comments=comments[:1],
        offline_inputs=[offline],
        acting_user=editor,
    )
    services.group_save(
        consultation=c,
        title="取消备案",
        disposition="not_adopted",
        reason="备案为法定程序",
        comments=comments[1:],
        acting_user=editor,
    )
    feedback = services.feedback_prepare(consultation=c, summary="感谢参与。", acting_user=editor)
    services.feedback_publish(feedback=feedback, acting_user=None, without_review="测试")
    return c
