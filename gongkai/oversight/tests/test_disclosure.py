"""条例第十八条 (periodic review of items marked 依申请公开/不予公开) and 第二十条 (the kinds of
information to disclose proactively, checked per column by 网站自查)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gongkai.accounts.models import Organisation, Role
from gongkai.catalogue.models import Column, InformationItem
from gongkai.catalogue.services import item_create, item_publish, item_update
from gongkai.catalogue.tests.factories import ColumnFactory
from gongkai.core.models import AuditEntry
from gongkai.foi.models import ProactiveProposal
from gongkai.foi.services import CaseError, proactive_proposal_decide
from gongkai.oversight import disclosure as dr
from gongkai.oversight import inspection as ins
from gongkai.oversight import services
from gongkai.oversight.models import Article20Category, DisclosureReview
from gongkai.oversight.selectors import (
    DisclosureReviewsDue,
    disclosure_review_rows,
    disclosure_reviews_due,
)
from gongkai.review.testing import mark_approved

D = datetime.date
TODAY = D(2026, 7, 1)


# ------------------------------------------------------------------------ pure rules


def test_due_date_is_a_year_after_the_last_review_or_the_marking():
    # Never reviewed: counted from the day the item was recorded.
    assert dr.review_due_date(marked_on=D(2025, 3, 15), last_reviewed=None, months=12) == D(
        2026, 3, 15
    )
    # The last review restarts the year.
    assert dr.review_due_date(
        marked_on=D(2020, 1, 1), last_reviewed=D(2026, 5, 20), months=12
    ) == D(2027, 5, 20)
    # 29 February: the due date is the last day of February of the next year.
    assert dr.review_due_date(marked_on=D(2024, 2, 29), last_reviewed=None, months=12) == D(
        2025, 2, 28
    )
    assert dr.review_due_date(marked_on=D(2025, 8, 31), last_reviewed=None, months=6) == D(
        2026, 2, 28
    )


def test_review_states_around_the_due_date():
    due = D(2026, 7, 31)
    assert dr.review_state(due, D(2026, 6, 30)) == "current"  # 31 days before
    assert dr.review_state(due, D(2026, 7, 1)) == "soon"  # 30 days before
    assert dr.review_state(due, D(2026, 7, 31)) == "due"
    assert dr.review_state(due, D(2026, 8, 1)) == "overdue"


def test_article_20_lists_the_fifteen_items_verbatim():
    assert [(n, item) for n, item, _t in dr.ARTICLE_20_CATEGORIES][:3] == [
        (1, "（一）"),
        (2, "（二）"),
        (3, "（三）"),
    ]
    assert len(dr.ARTICLE_20_CATEGORIES) == 15
    assert dr.category_label(1) == "第二十条第（一）项 行政法规、规章和规范性文件"
    assert dr.category_label(6) == (
        "第二十条第（六）项 实施行政处罚、行政强制的依据、条件、程序以及"
        "本行政机关认为具有一定社会影响的行政处罚决定"
    )
    assert dr.category_label(14) == (
        "第二十条第（十四）项 公务员招考的职位、名额、报考条件等事项以及录用结果"
    )
    assert dr.category_label(15) == (
        "第二十条第（十五）项 法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息"
    )
    assert sorted(dr.CHECKED_CATEGORIES) == list(range(1, 15))


def test_category_findings_per_organisation():
    col = dr.CategoryColumnFacts
    facts = [
        dr.OrganisationCategoryFacts(7, "市财政局", 2, []),
        dr.OrganisationCategoryFacts(
            7, "市财政局", 7, [col(1, "财政预决算", "catalogue", None, 0, None)]
        ),
        # 政策文件 keeps 180 days: 2026-01-02 is 180 days before TODAY (fresh) …
        dr.OrganisationCategoryFacts(
            7, "市财政局", 1, [col(2, "政策文件", "policy", None, 3, D(2026, 1, 2))]
        ),
        # … one stale column and one fresh one: fresh enough.
        dr.OrganisationCategoryFacts(
            7,
            "市财政局",
            8,
            [
                col(3, "收费目录", "catalogue", 30, 1, D(2026, 1, 1)),
                col(4, "通知公告", "notice", None, 1, D(2026, 6, 1)),
            ],
        ),
        # Every column past its period: the newest date is reported.
        dr.OrganisationCategoryFacts(
            7,
            "市财政局",
            9,
            [
                col(5, "政府采购", "catalogue", 90, 2, D(2026, 3, 1)),
                col(6, "采购公告", "notice", None, 1, D(2025, 12, 31)),
            ],
        ),
        # No period at all (a 目录 node): published once is enough.
        dr.OrganisationCategoryFacts(
            7, "市财政局", 4, [col(7, "统计信息", "catalogue", None, 1, D(2019, 1, 1))]
        ),
        # (十五) is the catch-all: never required.
        dr.OrganisationCategoryFacts(7, "市财政局", 15, []),
    ]
    found = dr.category_findings(facts, TODAY, ins.DEFAULT_PERIOD_DAYS)
    assert [(f.rule, f.organisation_id, f.category, f.message) for f in found] == [
        (
            "article20_no_column",
            7,
            2,
            "市财政局没有承载“第二十条第（二）项 机关职能、机构设置、办公地址、办公时间、联系方式、"
            "负责人姓名”的栏目",
        ),
        (
            "article20_not_published",
            7,
            7,
            "市财政局在栏目“财政预决算”中没有已发布的“第二十条第（七）项 财政预算、决算信息”信息",
        ),
        (
            "article20_not_published",
            7,
            9,
            "市财政局的“第二十条第（九）项 政府集中采购项目的目录、标准及实施情况”最近一次发布为 "
            "2026-03-01，栏目“政府采购”、“采购公告”均已超过更新周期",
        ),
    ]


# ------------------------------------------------------------------------ 第十八条 services


def _aware(day: datetime.date) -> datetime.datetime:
    return datetime.datetime(
        day.year, day.month, day.day, 10, tzinfo=timezone.get_current_timezone()
    )


@pytest.fixture
def withheld(org_tree, make_staff):
    finance = org_tree["finance"]
    editor = make_staff(Role.EDITOR, finance)
    item = item_create(
        organisation=finance,
        data={
            "title": "财政专项资金分配方案（讨论稿）",
            "disclosure": "withheld",
            "disclosure_reason": "过程性信息（条例第十六条第二款）",
        },
        acting_user=editor,
    )
    InformationItem.objects.filter(pk=item.pk).update(created_at=_aware(D(2025, 6, 1)))
    item.refresh_from_db()
    return item, editor


def test_keep_records_the_review_and_a_new_reason(withheld):
    item, editor = withheld
    assert [r.due for r in disclosure_review_rows(editor, today=TODAY)] == [D(2026, 6, 1)]
    assert disclosure_reviews_due(editor, today=TODAY) == DisclosureReviewsDue(1, 1)

    review = services.disclosure_review_keep(
        item=item,
        disclosure="on_request",
        reason="涉及第三方商业秘密，需征求第三方意见（条例第十五条）",
        acting_user=editor,
        today=TODAY,
    )

    item.refresh_from_db()
    assert item.disclosure == "on_request"
    assert item.disclosure_reason == "涉及第三方商业秘密，需征求第三方意见（条例第十五条）"
    stored = DisclosureReview.objects.get()
    assert stored == review
    assert (
        stored.reviewed_on,
        stored.outcome,
        stored.disclosure_before,
        stored.disclosure_after,
    ) == (
        TODAY,
        "keep",
        "withheld",
        "on_request",
    )
    assert stored.reviewer_name == editor.get_full_name()
    entries = AuditEntry.objects.filter(action="create", target_type="oversight.disclosurereview")
    assert [e.detail["outcome"] for e in entries] == ["keep"]
    assert entries[0].detail["reviewed_on"] == "2026-07-01"
    edit = AuditEntry.objects.filter(action="edit", target_type="catalogue.informationitem").get()
    assert edit.detail["changed"] == ["disclosure", "disclosure_reason"]
    # Reviewed today: next due a year later, so the queue is empty until 30 days before.
    assert disclosure_review_rows(editor, today=TODAY) == []
    assert disclosure_reviews_due(editor, today=D(2027, 6, 1)) == DisclosureReviewsDue(1, 0)
    assert disclosure_reviews_due(editor, today=D(2027, 7, 2)) == DisclosureReviewsDue(1, 1)


@pytest.mark.parametrize(
    ("disclosure", "reason", "message"),
    [
        ("withheld", "  ", "请填写维持不主动公开的理由"),
        ("proactive", "已可公开", "请选择维持“依申请公开”或“不予公开”"),
    ],
)
def test_keep_refuses_bad_input_and_changes_nothing(withheld, disclosure, reason, message):
    item, editor = withheld
    audits = AuditEntry.objects.count()
    with pytest.raises(ValidationError, match=message):
        services.disclosure_review_keep(
            item=item, disclosure=disclosure, reason=reason, acting_user=editor, today=TODAY
        )
    item.refresh_from_db()
    assert (item.disclosure, item.disclosure_reason) == (
        "withheld",
        "过程性信息（条例第十六条第二款）",
    )
    assert DisclosureReview.objects.count() == 0
    assert AuditEntry.objects.count() == audits


def test_review_needs_an_editor_of_the_organisation(withheld, org_tree, make_staff):
    item, _editor = withheld
    outsider = make_staff(Role.EDITOR, org_tree["office"])
    with pytest.raises(PermissionDenied, match="您没有在“杭东市财政局”执行此操作的权限"):
        services.disclosure_review_keep(
            item=item, disclosure="withheld", reason="仍属过程性信息", acting_user=outsider
        )
    with pytest.raises(PermissionDenied, match="您没有评估该机关政府信息的权限"):
        services.disclosure_review_propose(item=item, reason="已定稿", acting_user=outsider)
    assert DisclosureReview.objects.count() == 0
    assert ProactiveProposal.objects.count() == 0
    assert disclosure_review_rows(outsider, today=TODAY) == []


def test_a_changed_disclosure_restarts_the_clock(org_tree, make_staff):
    finance = org_tree["finance"]
    editor = make_staff(Role.EDITOR, finance)
    item = item_create(organisation=finance, data={"title": "项目批复"}, acting_user=editor)
    item_update(
        item=item,
        data={"disclosure": "on_request", "disclosure_reason": "涉及个人信息"},
        acting_user=editor,
    )
    item_update(item=item, data={"disclosure_reason": "涉及个人隐私"}, acting_user=editor)
    InformationItem.objects.filter(pk=item.pk).update(created_at=_aware(D(2024, 1, 10)))
    edits = AuditEntry.objects.filter(action="edit", target_id=str(item.pk)).order_by("id")
    assert [e.detail["changed"] for e in edits] == [
        ["disclosure", "disclosure_reason"],
        ["disclosure_reason"],
    ]
    edits.filter(pk=edits[0].pk).update(created_at=_aware(D(2026, 3, 2)))
    # The reason-only edit does not move the clock; the 公开属性 change does.
    edits.filter(pk=edits[1].pk).update(created_at=_aware(D(2026, 5, 5)))
    [row] = disclosure_review_rows(editor, today=D(2027, 2, 28))
    assert (row.due, row.state, row.last_reviewed) == (D(2027, 3, 2), "soon", None)


def test_proactive_and_withdrawn_items_are_not_reviewed(org_tree, make_staff):
    finance = org_tree["finance"]
    editor = make_staff(Role.EDITOR, finance)
    public = item_create(organisation=finance, data={"title": "公开文件"}, acting_user=editor)
    with pytest.raises(ValidationError, match="“公开文件”已是主动公开信息，无需评估"):
        services.disclosure_review_propose(item=public, reason="无", acting_user=editor)
    gone = item_create(
        organisation=finance,
        data={"title": "撤回文件", "disclosure": "on_request", "disclosure_reason": "依申请"},
        acting_user=editor,
    )
    InformationItem.objects.filter(pk=gone.pk).update(status="withdrawn")
    gone.refresh_from_db()
    with pytest.raises(ValidationError, match="“撤回文件”已撤回，无需评估"):
        services.disclosure_review_keep(
            item=gone, disclosure="on_request", reason="依申请", acting_user=editor
        )
    assert disclosure_review_rows(editor, today=D(2030, 1, 1), include_current=True) == []


def test_propose_joins_the_proactive_queue_and_the_admin_decides(withheld, org_tree, make_staff):
    item, editor = withheld
    review = services.disclosure_review_propose(
        item=item,
        reason="方案已正式印发，讨论稿不再属于过程性信息",
        acting_user=editor,
        today=TODAY,
    )
    proposal = ProactiveProposal.objects.get()
    assert (proposal.item_id, proposal.case_id, proposal.state, proposal.proposed_by) == (
        item.pk,
        None,
        "pending",
        editor,
    )
    assert review.proposal == proposal
    assert review.outcome == "propose"
    # The item is untouched: 主动公开 only through an edit and the review chain.
    item.refresh_from_db()
    assert (item.disclosure, item.status) == ("withheld", "draft")
    row = disclosure_review_rows(editor, today=TODAY, include_current=True)[0]
    assert (row.last_reviewed, row.due, row.state, row.pending_proposal) == (
        TODAY,
        D(2027, 7, 1),
        "current",
        True,
    )

    with pytest.raises(CaseError, match="已有待处理的转主动公开建议"):
        services.disclosure_review_propose(item=item, reason="再次建议", acting_user=editor)
    assert ProactiveProposal.objects.count() == 1
    assert DisclosureReview.objects.count() == 1

    with pytest.raises(PermissionDenied, match="转主动公开须由本机关管理员决定"):
        proactive_proposal_decide(proposal=proposal, accept=True, acting_user=editor)
    admin = make_staff(Role.ADMIN, org_tree["finance"])
    proactive_proposal_decide(proposal=proposal, accept=True, note="同意", acting_user=admin)
    proposal.refresh_from_db()
    assert (proposal.state, proposal.decided_by, proposal.decision_note) == (
        "accepted",
        admin,
        "同意",
    )
    item.refresh_from_db()
    assert item.disclosure == "withheld"
    entry = AuditEntry.objects.filter(action="approve", target_type="foi.proactiveproposal").get()
    assert entry.detail == {"item": item.index_number, "note": "同意"}


# ------------------------------------------------------------------------ staff pages


# ------------------------------------------------------------------------ 第二十条 mapping


def test_migration_seeds_the_default_mapping(db):
    assert list(Article20Category.objects.values_list("number", flat=True)) == list(range(1, 16))
    assert [c.slug for c in Article20Category.objects.get(number=1).columns.all()] == ["zcwj"]
    assert Article20Category.objects.filter(number__gt=1, columns__isnull=False).count() == 0


def test_inspection_checks_article_20_per_organisation(org_tree, make_staff):
    finance, office = org_tree["finance"], org_tree["office"]
    Organisation.objects.exclude(pk=finance.pk).update(is_active=False)
    editor = make_staff(Role.EDITOR, finance)
    about = ColumnFactory.create(name="机构信息", slug="t-jgxx", kind="catalogue")
    budget = ColumnFactory.create(
        name="财政预决算",
        slug="t-czyjs",
        kind="catalogue",
        organisation=finance,
        update_period_days=365,
    )
    plans = ColumnFactory.create(
        name="规划计划", slug="t-ghjh", kind="catalogue", organisation=office
    )
    services.article20_columns_set(number=2, columns=[about], acting_user=None)
    services.article20_columns_set(number=3, columns=[plans], acting_user=None)
    services.article20_columns_set(number=7, columns=[budget], acting_user=None)

    def published(title, columns, on, **extra):
        item = item_create(
            organisation=finance,
            data={"title": title, "columns": columns, **extra},
            acting_user=editor,
        )
        mark_approved(item)
        item_publish(item=item, acting_user=None, on=on)

    published("市财政局机构职能", [about], D(2026, 1, 5))
    published("2024年部门预算", [budget], D(2025, 1, 10))
    # Published but not proactive: it does not carry the kind.
    published(
        "规范性文件（内部）",
        [Column.objects.get(slug="zcwj")],
        D(2026, 6, 1),
        disclosure="on_request",
        disclosure_reason="依申请公开",
    )

    run = ins.inspection_run(today=TODAY)
    article20 = [
        (f["rule"], f["target_id"], f["message"])
        for f in run.findings
        if f["rule"].startswith("article20")
    ]
    assert article20[:2] == [
        (
            "article20_not_published",
            finance.pk,
            "杭东市财政局在栏目“政策文件”中没有已发布的“第二十条第（一）项 "
            "行政法规、规章和规范性文件”信息",
        ),
        (
            "article20_no_column",
            finance.pk,
            "杭东市财政局没有承载“第二十条第（三）项 "
            "国民经济和社会发展规划、专项规划、区域规划及相关政策”的栏目",
        ),
    ]
    assert (
        "article20_not_published",
        finance.pk,
        "杭东市财政局的“第二十条第（七）项 财政预算、决算信息”最近一次发布为 2025-01-10，"
        "栏目“财政预决算”均已超过更新周期",
    ) in article20
    # (一) and (七) not published; (二) fine; the 11 others have no column; (十五) not checked.
    assert run.counts["article20_not_published"] == 2
    assert run.counts["article20_no_column"] == 11
    assert {f[1] for f in article20} == {finance.pk}
    no_column = [f for f in run.findings if f["rule"] == "article20_no_column"]
    assert no_column[0]["url"] == "/staff/review/article20/"
    assert no_column[0]["target_label"] == "杭东市财政局"


def test_keep_works_on_a_published_withheld_item_without_a_revision(withheld):
    # A published 不予公开 item is on no public page: keeping it withheld with a new reason is
    # immediate (like 有效性), while an ordinary edit of published content needs a 修订稿.
    item, editor = withheld
    mark_approved(item)
    item_publish(item=item, acting_user=None, on=D(2026, 1, 5))
    with pytest.raises(ValidationError, match="已发布，不能直接修改"):
        item_update(item=item, data={"title": "改标题"}, acting_user=editor)
    services.disclosure_review_keep(
        item=item,
        disclosure="on_request",
        reason="需征求第三方意见",
        acting_user=editor,
        today=TODAY,
    )
    item.refresh_from_db()
    assert (item.status, item.disclosure, item.disclosure_reason) == (
        "published",
        "on_request",
        "需征求第三方意见",
    )
    assert InformationItem.objects.filter(revision_of=item).count() == 0
