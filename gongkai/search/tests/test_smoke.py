import datetime

from gongkai.catalogue.models import InformationItem
from gongkai.search.engine import SearchParams, Visibility, get_engine


def test_smoke(org_tree):
    a = InformationItem.objects.create(
        index_number="x-1",
        organisation=org_tree["office"],
        title="关于印发2020年政务公开工作要点的通知",
        doc_number="皖政办〔2020〕6号",
        body_text="政务公开工作要点全文",
        status="published",
        published_date=datetime.date(2020, 5, 1),
        policy_kind="normative",
    )
    InformationItem.objects.create(
        index_number="x-2",
        organisation=org_tree["finance"],
        title="财政预算公开",
        body_text="预算 公开",
        status="draft",
        published_date=datetime.date(2021, 5, 1),
    )
    engine = get_engine()
    res = engine.search(SearchParams(q="政务公开"), Visibility.public())
    print(res)
    assert [h.key for h in res.hits] == [f"item:{a.pk}"]
    res = engine.search(SearchParams(q="皖政办[2020]6号"), Visibility.public())
    print(res)
    assert res.exact_doc_number == f"item:{a.pk}"
    res = engine.search(SearchParams(q="預算"), Visibility(org_ids=None, staff=True))
    print(res)
    assert res.total == 1
