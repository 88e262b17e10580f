"""Never leaking, always in step: visibility rules and the index following every change."""

import datetime

import pytest
from django.core.management import call_command

from gongkai.accounts.models import Role
from gongkai.catalogue.models import InformationItem
from gongkai.catalogue.services import item_create, item_publish, item_withdraw
from gongkai.catalogue.testing import revise_approved
from gongkai.catalogue.tests.factories import AudienceFactory, InformationItemFactory
from gongkai.review.testing import mark_approved
from gongkai.search.engine import get_engine
from gongkai.search.models import SearchChange
from gongkai.search.selectors import run_search

from . import corpus


def keys(q, user=None, staff=False, **kw):
    return {
        h["key"] for h in run_search(user=user, q=q, staff_scope=staff, page_size=50, **kw).hits
    }


@pytest.fixture
def docs(org_tree):
    return corpus.build(org_tree)


def test_public_portal_hides_drafts_even_from_staff(docs, make_staff, org_tree):
    editor = make_staff(Role.EDITOR, org_tree["finance"])
    assert keys("预算绩效管理改革", user=editor, staff=False) == set()


def test_staff_editor_sees_own_org_drafts_only(docs, make_staff, org_tree):
    editor = make_staff(Role.EDITOR, org_tree["finance"])
    found = keys("草稿", user=editor, staff=True)
    assert found == {corpus.key_of(docs["draft_fin"]), corpus.key_of(docs["q_draft"])}
    assert corpus.key_of(docs["onrequest_doc"]) in keys("内部审计工作底稿", user=editor, staff=True)
    # The district education bureau's draft stays invisible to the finance editor.
    assert keys("校外培训机构监管", user=editor, staff=True) == set()
    # A reviewer of the education bureau sees that one and not the finance draft.
    reviewer = make_staff(Role.REVIEWER, org_tree["district_edu"])
    assert keys("草稿", user=reviewer, staff=True) == {corpus.key_of(docs["draft_edu"])}
    # An FOI handler has no drafting role: public documents only.
    handler = make_staff(Role.FOI_HANDLER, org_tree["finance"])
    assert keys("草稿", user=handler, staff=True) == set()


@pytest.mark.django_db(transaction=True)
def test_index_follows_publish_edit_withdraw_disclosure_delete(org_tree, make_staff):
    editor = make_staff(Role.EDITOR, org_tree["office"])
    engine = get_engine()
    engine.catch_up()  # build the (empty) index first, so what follows goes through the log
    item = item_create(
        organisation=org_tree["office"],
        data={"title": "杭东市窨井盖安全管理办法", "body": "<p>窨井盖巡查每月一次</p>"},
        acting_user=editor,
    )
    applied_before = engine.read_state()["applied"]
    assert applied_before >= 1  # applied right after commit, by this process
    assert keys("窨井盖") == set()  # a draft
    mark_approved(item)
    item_publish(item=item, acting_user=editor, on=datetime.date(2024, 5, 6))
    assert keys("窨井盖") == {f"item:{item.pk}"}
    # A correction reaches the index when its 修订稿 is approved and applied (ADR 0005).
    revise_approved(item, {"title": "杭东市检查井盖安全管理办法"}, editor)
    assert keys("检查井盖") == {f"item:{item.pk}"}
    revise_approved(
        item, {"disclosure": "on_request", "disclosure_reason": "涉及过程性信息"}, editor
    )
    assert keys("检查井盖") == set()
    assert keys("检查井盖", user=editor, staff=True) == {f"item:{item.pk}"}
    revise_approved(item, {"disclosure": "proactive"}, editor)
    assert keys("检查井盖") == {f"item:{item.pk}"}
    item_withdraw(item=item, reason="内容有误", acting_user=editor)
    assert keys("检查井盖") == set()
    pk = item.pk
    InformationItem.objects.filter(pk=pk).delete()  # queryset delete still sends post_delete
    assert keys("检查井盖", user=editor, staff=True) == set()
    assert SearchChange.objects.filter(key=f"item:{pk}", op="delete").count() == 1


def test_m2m_change_reindexes(org_tree):

    item = InformationItemFactory.create(
        index_number="T-m2m",
        organisation=org_tree["office"],
        title="人才公寓申请指南",
        status="published",
        published_date=datetime.date(2024, 1, 2),
    )
    audience = AudienceFactory.create(name="人才")
    assert run_search(user=None, q="人才公寓", filters={"audience": [audience.pk]}).total == 0
    audience.items.add(item)  # from the far side
    assert run_search(user=None, q="人才公寓", filters={"audience": [audience.pk]}).total == 1
    item.audiences.clear()
    assert run_search(user=None, q="人才公寓", filters={"audience": [audience.pk]}).total == 0


def test_reindex_rebuilds_from_the_database(docs, search_dir):
    engine = get_engine()
    total = engine.doc_count()
    public = engine.doc_count(public_only=True)
    assert (total, public) == (
        len(corpus.DOCS) + len(corpus.INTERPRETATIONS) + len(corpus.QAS),
        total - 5,
    )
    old_gen = engine.read_current()
    # Rows written without signals (bulk loads) are only found after a rebuild.
    InformationItem.objects.bulk_create(
        [
            InformationItem(
                index_number="T-bulk",
                organisation=docs["fee"].organisation,
                title="批量导入的海绵城市建设规划",
                status="published",
            )
        ]
    )
    assert keys("海绵城市") == set()
    call_command("reindex", verbosity=0)
    assert engine.read_current() != old_gen
    assert len(keys("海绵城市")) == 1
    assert engine.doc_count() == total + 1
    assert sorted(p.name for p in search_dir.iterdir() if p.is_dir()) == sorted(
        [old_gen, engine.read_current()]
    )
    call_command("search_catchup", verbosity=0)


def test_catchup_command_repairs_a_replica_that_missed_changes(org_tree, settings, tmp_path):
    item = InformationItemFactory.create(
        index_number="T-c",
        organisation=org_tree["office"],
        title="城市更新条例",
        status="published",
    )
    # A second replica (another server) with its own directory finds it by replaying the log.
    settings.GONGKAI_SEARCH_DIR = tmp_path / "replica2"
    assert keys("城市更新") == {f"item:{item.pk}"}
    item.title = "城市有机更新条例"
    item.save()
    call_command("search_catchup", verbosity=0)
    assert get_engine().read_state()["applied"] == SearchChange.objects.latest("id").id
    assert keys("有机更新") == {f"item:{item.pk}"}


def test_record_instances_covers_queryset_updates(org_tree):
    from gongkai.search.signals import record_instances

    item = InformationItemFactory.create(
        index_number="T-u",
        organisation=org_tree["office"],
        title="地下管网普查报告",
        status="published",
    )
    assert keys("地下管网") == {f"item:{item.pk}"}
    InformationItem.objects.filter(pk=item.pk).update(status="in_review")  # no signal
    assert keys("地下管网") == {f"item:{item.pk}"}  # stale until recorded
    record_instances(item)
    assert keys("地下管网") == set()
