"""Corrections (issue 14): an applied 修订稿 reaches subscribers only when staff ticked
"实质性修改，通知订阅者" on it; an unmarked correction is announced to nobody."""

import pytest
from django.core import mail
from django.utils import timezone

from gongkai.accounts.models import Role, User
from gongkai.catalogue.services import item_revision_apply, item_revision_open, item_update
from gongkai.policies.tests.factories import PolicyItemFactory
from gongkai.review.testing import mark_approved
from gongkai.subscriptions.models import InboxEntry, MailAddress, SubstantiveCorrection
from gongkai.subscriptions.services import subscription_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def watched(org_tree):
    reader = User.objects.create_user(username="reader", password="pass-1234-abcd", kind="public")
    MailAddress.objects.create(user=reader, email="reader@example.cn", confirmed_at=timezone.now())
    item = PolicyItemFactory(organisation=org_tree["finance"], title="关于稳就业的通知")
    subscription_create(
        user=reader, kind="policy", target=item, acting_user=reader, delivery="immediate"
    )
    return reader, item


def _revise(item, editor, title, client=None, tick=None):
    revision = item_revision_open(item=item, acting_user=editor)
    item_update(item=revision, data={"title": title}, acting_user=editor)
    if client is not None:
        client.force_login(editor)
        page = client.get(f"/staff/items/{revision.pk}/")
        assert "实质性修改，通知订阅者" in page.content.decode()
        data = {"substantive": "1"} if tick else {}
        r = client.post(f"/staff/items/{revision.pk}/correction/", data)
        assert r.status_code == 302
    mark_approved(revision)
    return revision


def test_marked_correction_tells_subscribers(
    client, org_tree, make_staff, watched, django_capture_on_commit_callbacks
):
    reader, item = watched
    editor = make_staff(Role.EDITOR, org_tree["finance"])
    revision = _revise(item, editor, "关于稳就业的通知（修订）", client=client, tick=True)
    assert SubstantiveCorrection.objects.filter(revision=revision).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        item_revision_apply(revision=revision, acting_user=None)
    entries = list(InboxEntry.objects.filter(user=reader).values_list("event", "reason"))
    assert entries == [("corrected", "您订阅的信息有实质性修改")]
    assert [m.subject for m in mail.outbox] == ["【政务公开平台】关于稳就业的通知（修订）"]
    assert mail.outbox[0].to == ["reader@example.cn"]
    # A second marked correction is news again (one entry per applied revision).
    second = _revise(item, editor, "关于稳就业的通知（二次修订）", client=client, tick=True)
    with django_capture_on_commit_callbacks(execute=True):
        item_revision_apply(revision=second, acting_user=None)
    assert InboxEntry.objects.filter(user=reader, event="corrected").count() == 2


def test_unmarked_or_unticked_correction_tells_nobody(
    client, org_tree, make_staff, watched, django_capture_on_commit_callbacks
):
    reader, item = watched
    editor = make_staff(Role.EDITOR, org_tree["finance"])
    plain = _revise(item, editor, "关于稳就业的通知（错字更正）")
    with django_capture_on_commit_callbacks(execute=True):
        item_revision_apply(revision=plain, acting_user=None)
    # ticked, then unticked before approval
    revision = item_revision_open(item=item, acting_user=editor)
    item_update(item=revision, data={"title": "再次更正"}, acting_user=editor)
    client.force_login(editor)
    client.post(f"/staff/items/{revision.pk}/correction/", {"substantive": "1"})
    client.post(f"/staff/items/{revision.pk}/correction/", {})
    assert not SubstantiveCorrection.objects.filter(revision=revision).exists()
    mark_approved(revision)
    with django_capture_on_commit_callbacks(execute=True):
        item_revision_apply(revision=revision, acting_user=None)
    item.refresh_from_db()
    assert item.title == "再次更正"
    assert InboxEntry.objects.filter(user=reader).count() == 0
    assert mail.outbox == []


def test_only_editors_of_the_organisation_may_mark(client, org_tree, make_staff, watched):
    _reader, item = watched
    editor = make_staff(Role.EDITOR, org_tree["finance"])
    outsider = make_staff(Role.EDITOR, org_tree["office"])
    revision = item_revision_open(item=item, acting_user=editor)
    client.force_login(outsider)
    client.post(f"/staff/items/{revision.pk}/correction/", {"substantive": "1"})
    assert not SubstantiveCorrection.objects.exists()
