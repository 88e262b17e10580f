"""Versions come from the content services (``chain_services.content_saved``), not from a
model signal: a service edit keeps a version and announces ``content_changed`` once committed;
a bare ``save()`` that no service made keeps none (issue 11, ADR 0006)."""

import datetime

import pytest

from gongkai.accounts.models import Role
from gongkai.catalogue.services import item_create, item_set_validity, item_update
from gongkai.core.signals import content_changed
from gongkai.review import chain_services as cs

pytestmark = pytest.mark.django_db


@pytest.fixture
def changed():
    heard: list[tuple[str, int]] = []

    def receive(sender, instance, kind, **kwargs):
        heard.append((kind, instance.pk))

    content_changed.connect(receive, weak=False)
    yield heard
    content_changed.disconnect(receive)


def test_service_edits_keep_versions_and_announce_bare_saves_do_not(
    org_tree, make_staff, changed, django_capture_on_commit_callbacks
):
    finance = org_tree["finance"]
    editor = make_staff(Role.EDITOR, finance, username="cs_editor")
    with django_capture_on_commit_callbacks(execute=True):
        item = item_create(
            organisation=finance,
            data={"title": "关于做好秋季防火工作的通知", "body": "<p>请做好防火。</p>"},
            acting_user=editor,
        )
        item_update(item=item, data={"title": "关于做好秋冬季防火工作的通知"}, acting_user=editor)
    assert [(v.number, v.note) for v in cs.versions_for(item)] == [(1, "创建"), (2, "保存")]
    assert changed == [("item", item.pk), ("item", item.pk)]

    # 有效性 changes at once, through its service: announced; not part of the reviewed text,
    # so the snapshot equals version 2 and no duplicate is stored.
    with django_capture_on_commit_callbacks(execute=True):
        item_set_validity(
            item=item,
            validity="expired",
            date=datetime.date(2026, 10, 1),
            replaced_by=None,
            acting_user=editor,
        )
    assert [v.number for v in cs.versions_for(item)] == [1, 2]
    assert changed == [("item", item.pk)] * 3

    # A save past the services is no edit the chain records or announces.
    item.summary = "直接写入，不经服务"
    with django_capture_on_commit_callbacks(execute=True):
        item.save()
    assert [v.number for v in cs.versions_for(item)] == [1, 2]
    assert len(changed) == 3
    assert cs.versions_for(item)[-1].snapshot["title"] == "关于做好秋冬季防火工作的通知"
