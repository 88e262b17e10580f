"""The platform's lists 主题分类 and 服务对象 (issue 15 item 7): edited by a platform
administrator only, through audited services; a term in use is never deleted."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.accounts.models import Role
from gongkai.accounts.tests.factories import UserFactory
from gongkai.catalogue import services
from gongkai.catalogue.models import Audience, InformationItem, TopicCategory
from gongkai.catalogue.tests.factories import AudienceFactory
from gongkai.core.models import AuditEntry
from gongkai.policies.tests.conftest import make_item
from gongkai.subscriptions.models import Subscription

pytestmark = pytest.mark.django_db


@pytest.fixture
def platform_admin(org_tree, make_staff):
    return make_staff(Role.ADMIN, org_tree["city"], username="city_admin")


@pytest.fixture
def finance_admin(org_tree, make_staff):
    return make_staff(Role.ADMIN, org_tree["finance"], username="finance_admin")


def _topic(name, parent_name=None):
    if parent_name is None:
        return TopicCategory.objects.get(name=name, parent=None)
    return TopicCategory.objects.get(name=name, parent__name=parent_name, parent__parent=None)


def _snapshot(model):
    return sorted(model.objects.values_list("id", "name", "sort_order"))


# --- 主题分类 --------------------------------------------------------------------------------


def test_a_platform_admin_adds_a_second_level_topic_last_and_audited(platform_admin):
    parent = _topic("科技、教育")
    topic = services.topic_category_save(
        data={"name": " 人工智能 "}, parent=parent, acting_user=platform_admin
    )
    # The seed has 科技, 教育, 知识产权, 其他 under 科技、教育: the new one goes fifth.
    assert [t.name for t in parent.children.order_by("sort_order", "id")] == [
        "科技",
        "教育",
        "知识产权",
        "其他",
        "人工智能",
    ]
    assert str(topic) == "科技、教育\\人工智能"
    entry = AuditEntry.objects.get(target_type="catalogue.topiccategory", target_id=str(topic.pk))
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.actor == platform_admin
    assert entry.detail == {"list": "主题分类", "values": {"name": "人工智能", "sort_order": 5}}


def test_second_level_names_repeat_across_parents_but_not_within_one(platform_admin):
    # "其他" is under almost every first-level topic already: a new first-level one may have it.
    parent = services.topic_category_save(data={"name": "数字政府"}, acting_user=platform_admin)
    assert parent.sort_order == TopicCategory.objects.filter(parent=None).count()
    services.topic_category_save(data={"name": "其他"}, parent=parent, acting_user=platform_admin)
    before = _snapshot(TopicCategory)
    with pytest.raises(ValidationError, match="已有名为“其他”的主题分类"):
        services.topic_category_save(
            data={"name": "其他"}, parent=parent, acting_user=platform_admin
        )
    with pytest.raises(ValidationError, match="已有名为“综合政务”的主题分类"):
        services.topic_category_save(data={"name": "综合政务"}, acting_user=platform_admin)
    assert _snapshot(TopicCategory) == before


def test_no_third_level_and_no_move(platform_admin):
    child = _topic("财政", "财政、金融、审计")
    before = _snapshot(TopicCategory)
    with pytest.raises(ValidationError, match="是二级分类，其下不能再添加分类") as refused:
        services.topic_category_save(
            data={"name": "预算"}, parent=child, acting_user=platform_admin
        )
    assert refused.value.messages == [
        "“财政、金融、审计\\财政”是二级分类，其下不能再添加分类（主题分类只有两级）"
    ]
    with pytest.raises(ValidationError, match="不能调整已有主题分类的上级分类"):
        services.topic_category_save(
            data={"name": "财政"},
            topic=child,
            parent=_topic("综合政务"),
            acting_user=platform_admin,
        )
    assert _snapshot(TopicCategory) == before
    assert TopicCategory.objects.get(pk=child.pk).parent == _topic("财政、金融、审计")


def test_rename_and_reorder_are_audited_with_old_and_new(platform_admin):
    topic = _topic("财政", "财政、金融、审计")
    old_order = topic.sort_order
    services.topic_category_save(
        data={"name": "财政预算", "sort_order": 99}, topic=topic, acting_user=platform_admin
    )
    topic.refresh_from_db()
    assert (topic.name, topic.sort_order) == ("财政预算", 99)
    entry = AuditEntry.objects.get(target_type="catalogue.topiccategory", action="edit")
    assert entry.detail == {
        "list": "主题分类",
        "changes": {
            "name": {"old": "财政", "new": "财政预算"},
            "sort_order": {"old": old_order, "new": 99},
        },
    }
    # Saving the same values again writes nothing.
    services.topic_category_save(data={"name": "财政预算"}, topic=topic, acting_user=platform_admin)
    assert AuditEntry.objects.filter(target_type="catalogue.topiccategory").count() == 1


def test_an_empty_name_is_refused(platform_admin):
    topic = _topic("综合政务")
    with pytest.raises(ValidationError, match="请填写主题分类名称"):
        services.topic_category_save(data={"name": "  "}, topic=topic, acting_user=platform_admin)
    assert TopicCategory.objects.get(pk=topic.pk).name == "综合政务"


def test_a_department_admin_cannot_edit_the_platform_lists(finance_admin):
    topic, audience = _topic("综合政务"), Audience.objects.get(name="企业")
    before = (_snapshot(TopicCategory), _snapshot(Audience))
    with pytest.raises(PermissionDenied, match="只有全平台的政务公开管理员可以维护主题分类"):
        services.topic_category_save(data={"name": "改名"}, topic=topic, acting_user=finance_admin)
    with pytest.raises(PermissionDenied, match="只有全平台的政务公开管理员可以维护主题分类"):
        services.topic_category_delete(topic=_topic("民族、宗教"), acting_user=finance_admin)
    with pytest.raises(PermissionDenied, match="只有全平台的政务公开管理员可以维护服务对象"):
        services.audience_save(data={"name": "学生"}, acting_user=finance_admin)
    with pytest.raises(PermissionDenied, match="只有全平台的政务公开管理员可以维护服务对象"):
        services.audience_delete(audience=audience, acting_user=finance_admin)
    assert (_snapshot(TopicCategory), _snapshot(Audience)) == before
    assert not AuditEntry.objects.exists()


def test_a_topic_in_use_is_not_deleted_and_the_message_counts_documents(org_tree, platform_admin):
    topic = _topic("财政", "财政、金融、审计")
    make_item(org_tree["finance"], "预算公开通知", topic=topic)
    make_item(org_tree["office"], "草稿", topic=topic, status="draft")
    before = _snapshot(TopicCategory)
    with pytest.raises(ValidationError, match="已被2份文件使用，不能删除") as refused:
        services.topic_category_delete(topic=topic, acting_user=platform_admin)
    assert refused.value.messages == [
        "主题分类“财政、金融、审计\\财政”已被2份文件使用，不能删除；未作任何修改。"
    ]
    assert _snapshot(TopicCategory) == before
    assert InformationItem.objects.filter(topic=topic).count() == 2
    assert not AuditEntry.objects.filter(target_type="catalogue.topiccategory").exists()


def test_a_first_level_topic_goes_only_after_its_second_level(platform_admin):
    top = _topic("民族、宗教")
    with pytest.raises(
        ValidationError, match="主题分类“民族、宗教”下有2个二级分类，不能删除；请先删除其二级分类"
    ):
        services.topic_category_delete(topic=top, acting_user=platform_admin)
    assert top.children.count() == 2
    for child in list(top.children.all()):
        services.topic_category_delete(topic=child, acting_user=platform_admin)
    services.topic_category_delete(topic=top, acting_user=platform_admin)
    assert not TopicCategory.objects.filter(name="民族、宗教").exists()
    deleted = AuditEntry.objects.filter(action="delete").order_by("id")
    assert [e.target_label for e in deleted] == [
        "民族、宗教\\民族事务",
        "民族、宗教\\宗教事务",
        "民族、宗教",
    ]


def test_a_subscribed_topic_is_not_deleted_either(platform_admin):
    topic = _topic("宗教事务", "民族、宗教")
    Subscription.objects.create(user=UserFactory.create(), kind="topic", topic=topic)
    with pytest.raises(
        ValidationError, match="正被使用（订阅1条），不能删除；未作任何修改"
    ) as refused:
        services.topic_category_delete(topic=topic, acting_user=platform_admin)
    assert refused.value.messages == [
        "主题分类“民族、宗教\\宗教事务”正被使用（订阅1条），不能删除；未作任何修改。"
    ]
    assert TopicCategory.objects.filter(pk=topic.pk).exists()
    assert Subscription.objects.filter(topic=topic).count() == 1


# --- 服务对象 --------------------------------------------------------------------------------


def test_a_platform_admin_adds_renames_and_deletes_an_audience(platform_admin):
    audience = services.audience_save(data={"name": "高校毕业生"}, acting_user=platform_admin)
    # The seed's five (公众 … 其他) come first.
    assert list(Audience.objects.values_list("name", flat=True)) == [
        "公众",
        "企业",
        "社会组织",
        "政府机关",
        "其他",
        "高校毕业生",
    ]
    services.audience_save(
        data={"name": "高校毕业生和青年"}, audience=audience, acting_user=platform_admin
    )
    assert Audience.objects.get(pk=audience.pk).name == "高校毕业生和青年"
    services.audience_delete(audience=audience, acting_user=platform_admin)
    assert not Audience.objects.filter(pk=audience.pk).exists()
    assert list(
        AuditEntry.objects.filter(target_type="catalogue.audience")
        .order_by("id")
        .values_list("action", "target_label")
    ) == [
        ("create", "高校毕业生"),
        ("edit", "高校毕业生和青年"),
        ("delete", "高校毕业生和青年"),
    ]


def test_an_audience_name_is_unique(platform_admin):
    audience = AudienceFactory.create(name="学生")
    before = _snapshot(Audience)
    with pytest.raises(ValidationError, match="已有名为“企业”的服务对象"):
        services.audience_save(data={"name": "企业"}, audience=audience, acting_user=platform_admin)
    assert _snapshot(Audience) == before


def test_an_audience_in_use_names_documents_and_subscriptions(org_tree, platform_admin):
    audience = Audience.objects.get(name="企业")
    for n in range(3):
        make_item(org_tree["finance"], f"惠企政策{n}", audiences=[audience])
    Subscription.objects.create(user=UserFactory.create(), kind="audience", audience=audience)
    with pytest.raises(
        ValidationError,
        match="服务对象“企业”已被3份文件使用（另有订阅1条），不能删除；未作任何修改。",
    ):
        services.audience_delete(audience=audience, acting_user=platform_admin)
    assert audience.items.count() == 3
    assert Subscription.objects.filter(audience=audience).count() == 1
