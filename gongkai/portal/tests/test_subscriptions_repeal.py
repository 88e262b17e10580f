"""View tests moved from gongkai/subscriptions/tests/test_repeal.py (issue 11 item 7)."""

import datetime

from gongkai.accounts.models import Role, User
from gongkai.catalogue.services import item_set_validity
from gongkai.policies.models import Interpretation, QAEntry
from gongkai.policies.selectors import OrgTree, match_policies, profile_for
from gongkai.policies.tests.factories import (
    MatchProfileFactory,
    PolicyConditionsFactory,
    PolicyItemFactory,
)
from gongkai.subscriptions.models import InboxEntry
from gongkai.subscriptions.services import subscription_create
from gongkai.subscriptions.tests.test_repeal import text


def test_repeal_tells_subscribers_and_profiles_and_banners_interpretations(
    client, org_tree, make_staff, django_capture_on_commit_callbacks
):
    old = PolicyItemFactory(organisation=org_tree["finance"], title="旧补贴办法")
    new = PolicyItemFactory(organisation=org_tree["finance"], title="新补贴办法")
    PolicyConditionsFactory(item=old, industries=["C39"])
    fan = User.objects.create_user(username="fan", password="x-1234-abcd")
    ent = User.objects.create_user(username="ent", password="x-1234-abcd")
    other = User.objects.create_user(username="other", password="x-1234-abcd")
    subscription_create(user=fan, kind="policy", target=old, acting_user=fan)
    MatchProfileFactory(user=ent, region=org_tree["district_edu"], industry="C3911")
    MatchProfileFactory(user=other, region=org_tree["district_edu"], industry="I6513")
    interp = Interpretation.objects.create(
        organisation=org_tree["finance"], title="旧办法解读", status="published"
    )
    interp.policies.set([old])
    qa = QAEntry.objects.create(
        organisation=org_tree["finance"],
        question="旧办法怎么申请？",
        answer="见办法。",
        policy=old,
        status="published",
    )
    admin = make_staff(Role.EDITOR, org_tree["finance"])
    with django_capture_on_commit_callbacks(execute=True):
        item_set_validity(
            item=old,
            validity="repealed",
            date=datetime.date(2026, 6, 1),
            replaced_by=new,
            acting_user=admin,
        )
    told = sorted(
        InboxEntry.objects.filter(event="validity").values_list("user__username", "reason")
    )
    assert told == [("ent", "您关注的政策已废止"), ("fan", "您关注的政策已废止")]
    tree = OrgTree.load()
    profile = profile_for(tree, region=org_tree["district_edu"].code, industry="C3911")
    result = match_policies(profile, datetime.date(2026, 6, 2), tree)
    assert [m.title for m in result.matches + result.near_misses] == []
    for url in (f"/interpretations/{interp.pk}/", f"/qa/{qa.pk}/"):
        html = text(client.get(url))
        assert "所涉政策《旧补贴办法》已废止，本内容仅供查阅。" in html
        assert f'现行文件：<a href="/items/{new.pk}/">《新补贴办法》</a>' in html
