"""Search listens to the content hooks of ADR 0006: a publication, withdrawal or change that
a content service announces after its commit reaches the change log — and so every server —
even when the row was written past the model signals."""

import pytest

from gongkai.catalogue.models import InformationItem
from gongkai.core.signals import announce, content_changed, content_withdrawn
from gongkai.search.models import SearchChange
from gongkai.search.selectors import run_search

pytestmark = pytest.mark.django_db


def _keys(q):
    return {h["key"] for h in run_search(user=None, q=q, page_size=50).hits}


def test_hooks_record_changes_that_no_model_signal_saw(
    org_tree, settings, tmp_path, django_capture_on_commit_callbacks
):
    item = InformationItem.objects.create(
        index_number="T-hook",
        organisation=org_tree["office"],
        title="老旧小区改造方案",
        status="published",
    )
    key = f"item:{item.pk}"
    assert _keys("老旧小区") == {key}
    logged = SearchChange.objects.filter(key=key).count()

    # A write past the model signals, then the service's hook after commit.
    InformationItem.objects.filter(pk=item.pk).update(title="城镇老旧小区改造实施方案")
    with django_capture_on_commit_callbacks(execute=True):
        announce(content_changed, item, kind="item")
    assert SearchChange.objects.filter(key=key).count() == logged + 1
    # Another server (its own index directory) replays the log and finds the new title.
    settings.GONGKAI_SEARCH_DIR = tmp_path / "replica2"
    assert _keys("实施方案") == {key}

    InformationItem.objects.filter(pk=item.pk).update(status="withdrawn")
    with django_capture_on_commit_callbacks(execute=True):
        announce(content_withdrawn, item, kind="item")
    assert _keys("实施方案") == set()
    settings.GONGKAI_SEARCH_DIR = tmp_path / "replica3"
    assert _keys("实施方案") == set()
    assert InformationItem.objects.get(pk=item.pk).title == "城镇老旧小区改造实施方案"


def test_hooks_for_content_search_does_not_index_write_nothing(
    org_tree, django_capture_on_commit_callbacks
):
    before = SearchChange.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        announce(content_changed, org_tree["office"], kind="organisation")
    assert SearchChange.objects.count() == before
