"""Search facet labels (主题分类, 服务对象 …) are read once a minute per process — but a rename
in 公开管理 shows on the next search: the table's write bumps its generation in the shared
cache (core.page_cache), which the label cache compares."""

import pytest
from django.db import connection

from gongkai.accounts.models import Role
from gongkai.catalogue.models import Audience
from gongkai.catalogue.services import audience_save
from gongkai.search import selectors

pytestmark = pytest.mark.django_db


def test_a_renamed_audience_is_labelled_anew_within_the_minute(
    org_tree, make_staff, django_capture_on_commit_callbacks
):
    admin = make_staff(Role.ADMIN, org_tree["city"])
    audience = Audience.objects.get(name="企业")
    table = Audience._meta.db_table
    names = selectors._names(
        Audience, [audience.pk], selectors.page_cache.generations([table])[table]
    )
    assert names[audience.pk] == "企业"
    with django_capture_on_commit_callbacks(execute=True):
        connection._gk_page_cache_pending = None  # a new transaction, as in production
        audience_save(data={"name": "市场主体"}, audience=audience, acting_user=admin)
    generation = selectors.page_cache.generations([table])[table]
    assert selectors._names(Audience, [audience.pk], generation)[audience.pk] == "市场主体"
