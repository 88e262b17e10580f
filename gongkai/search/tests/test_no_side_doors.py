"""A guard against new side doors: every function of the application that writes rows past the
model signals (bulk_create, bulk_update, QuerySet.update, raw SQL) either tells the search
change log (``rows_written_send`` / ``record_rows`` / ``record_instances``) or is listed below
with the reason why what it writes is not indexed. A new bulk write fails this test until its
author decides which (issue 10, item 2)."""

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[2]  # gongkai/

RECORDERS = {"rows_written_send", "record_rows", "record_instances", "record_changes"}
BULK = {"bulk_create", "bulk_update"}
RAW = {"execute", "executemany", "_copy"}
QUERYSET_METHODS = {"filter", "exclude", "all", "select_for_update", "objects"}

# (path under gongkai/, function) → why its bulk writes never touch indexed content.
NOT_INDEXED = {
    ("core/page_cache.py", "_write_wrapper"): "an execute wrapper: passes every statement on "
    "unchanged (it only notes the table written, for the page cache); writes nothing itself",
    ("core/page_cache.py", "recording"): "an execute wrapper noting the tables a page reads; "
    "passes every statement on unchanged and writes nothing itself",
    ("catalogue/services.py", "_reserve_serials"): "索引号 serial counters",
    ("catalogue/services.py", "_revisions_discard"): "closes 修订稿, which are never indexed",
    ("catalogue/services.py", "_copy_attachments"): "attachment rows; the caller saves the item "
    "they belong to (a revision, never indexed, or the live item, whose save logs the change)",
    ("catalogue/services.py", "item_revision_apply"): "closes the 修订稿; the live item's own "
    "save() in the same transaction writes its change-log row",
    ("policies/services.py", "_revision_apply"): "closes the 修订稿; the live object's own "
    "save() in the same transaction writes its change-log row",
    ("review/chain_services.py", "review_close_revision"): "review requests",
    ("core/backup.py", "table_counts"): "reads only (row counts)",
    ("core/tasks.py", "jobs_ping"): "reads only (SELECT 1: the job consumer reaches the database)",
    ("policies/selectors.py", "_grouped_counts"): "reads only (facet counts, GROUPING SETS)",
    ("portal/selectors.py", "item_page_lists"): "reads only (the item page's lists, one SELECT "
    "compiled once per process)",
    ("core/compiled.py", "compiled_rows"): "reads only (a query compiled once per process "
    "and shape, evaluated with the request's values)",
    ("core/prepared.py", "_preparing_cursor_class"): "a cursor class: sends the statements it is "
    "given prepared; writes nothing itself (used for the compiled reads)",
    ("core/page_cache.py", "_start"): "Redis only (a page-cache generation started), no table",
    ("core/page_cache.py", "bump"): "Redis only (page-cache generations bumped), no table",
    ("checks/dictionary.py", "read_rows"): "reads only (the 错敏词 dictionary, one SELECT)",
    ("checks/cli.py", "_sqlite_connect"): "connection settings only (the settings' PRAGMAs on "
    "check_text's own read-only SQLite connection)",
    ("policies/facet_counts.py", "_apply"): "the maintained facet counts of the policy library "
    "(derived from items, never indexed; ADR 0015)",
    ("policies/facet_counts.py", "refresh"): "what each policy added to the maintained facet "
    "counts (derived from items, never indexed; ADR 0015)",
    ("core/dbstats.py", "db_optimize"): "planner statistics only (ANALYZE / PRAGMA optimize)",
    ("core/backup.py", "_snapshot"): "reads only (a read transaction)",
    ("core/backup.py", "_flush_all_tables"): "empties an empty target before a restore, which "
    "then rebuilds every index under a new database identity",
    ("demo/world.py", "_audit_items"): "audit rows",
    ("demo/bulk.py", "_sqlite_bulk_settings"): "connection settings only (PRAGMA)",
    ("demo/bulk.py", "_reset_item_sequence"): "the id sequence only (after COPY)",
    ("foi/importing.py", "_insert_rows"): "依申请公开 cases",
    ("foi/services/replies.py", "case_reply"): "依申请公开 reply letters",
    ("foi/private_files.py", "move_public_case_documents"): "the stored file names of "
    "依申请公开 letters and notices (a data migration moving them to private storage)",
    ("foi/content.py", "set_status@ReplyLetterAdapter"): "依申请公开 reply letters",
    ("registers/services.py", "assessment_default_template"): "the 考核 checklist items (staff "
    "only, never published)",
    ("registers/services.py", "assessment_open"): "the 考核自评 score rows (staff only)",
    ("interaction/content.py", "set_status@MessageReplyAdapter"): "the review state of a "
    "留言答复 (messages are not in the search index; the public list queries the database)",
    ("participation/services.py", "_decision_new"): "the stages of a 重大行政决策 entry (the "
    "directory is not in the search index; its page queries the database)",
    ("participation/services.py", "directory_publish"): "the directory's history rows "
    "(DecisionVersion, for `directory_as_of`; not indexed)",
    ("participation/services.py", "_adjustment_apply"): "closes the directory's history "
    "rows when a reviewed adjustment is published (not indexed)",
    ("subscriptions/services.py", "_saved_search_create"): "the facet values of a saved "
    "search (a reader's subscription, not content)",
    ("review/chain_services.py", "review_withdraw"): "review requests",
    ("checks/services.py", "wordlist_import"): "sensitive-word lists",
    ("checks/services.py", "wordlist_load_starter"): "sensitive-word lists",
    ("workdays/services.py", "calendar_year_import"): "the working-day calendar",
    ("policies/services.py", "policy_conditions_bulk_create"): "政策兑现 conditions (not "
    "indexed: 政策找人 matches them in SQL)",
    ("policies/services.py", "_write_conditions"): "the industry codes of 政策兑现 conditions",
    ("subscriptions/services.py", "inbox_deliver_item"): "personal-centre inbox entries",
    ("subscriptions/services.py", "inbox_deliver_interpretation"): "personal-centre inbox entries",
    ("subscriptions/services.py", "inbox_mark_read"): "personal-centre inbox entries",
    ("subscriptions/services.py", "validity_change_notify"): "personal-centre inbox entries",
    ("subscriptions/services.py", "profiles_notice_push"): "personal-centre inbox entries",
    ("subscriptions/services.py", "item_correction_announce"): "personal-centre inbox entries",
    ("subscriptions/services.py", "mail_bounces_record"): "subscription mail addresses",
    ("subscriptions/services.py", "_mail_batch"): "the mail delivery log",
    ("subscriptions/services.py", "revision_applied"): "the substantive-correction mark",
}


def _is_queryset_update(call: ast.Call) -> bool:
    func = call.func
    if not (isinstance(func, ast.Attribute) and func.attr == "update"):
        return False
    receiver = func.value
    if isinstance(receiver, ast.Call) and isinstance(receiver.func, ast.Attribute):
        return receiver.func.attr in QUERYSET_METHODS
    return isinstance(receiver, ast.Attribute) and receiver.attr == "objects"


def _called_names(node: ast.AST) -> set[str]:
    names = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call):
            func = sub.func
            if isinstance(func, ast.Attribute):
                names.add(func.attr)
            elif isinstance(func, ast.Name):
                names.add(func.id)
    return names


def _writes_past_signals(node: ast.AST) -> bool:
    for sub in ast.walk(node):
        if not isinstance(sub, ast.Call):
            continue
        func = sub.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name in BULK or name in RAW or _is_queryset_update(sub):
            return True
    return False


def _functions(tree: ast.AST):
    """(name, node) of every top-level function and method; a method is "name@Class"."""
    for node in getattr(tree, "body", []):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node.name, node
        elif isinstance(node, ast.ClassDef):
            for sub in node.body:
                if isinstance(sub, ast.FunctionDef | ast.AsyncFunctionDef):
                    yield f"{sub.name}@{node.name}", sub


def side_doors() -> list[tuple[str, str]]:
    found = []
    for path in sorted(APP.rglob("*.py")):
        rel = path.relative_to(APP).as_posix()
        parts = rel.split("/")
        if "tests" in parts or "migrations" in parts or parts[0] == "search":
            continue
        if rel.endswith(("testing.py", "browser_testing.py")):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for name, node in _functions(tree):
            if not _writes_past_signals(node) or RECORDERS & _called_names(node):
                continue
            found.append((rel, name))
    return found


def test_every_bulk_write_tells_the_search_change_log():
    found = side_doors()
    assert [door for door in found if door not in NOT_INDEXED] == []
    # An entry whose function no longer writes in bulk is stale: keep the list exact.
    assert sorted(set(NOT_INDEXED) - set(found)) == []


def test_the_guard_sees_a_side_door():
    # The scanner itself: a queryset update without a recorder is reported, one with it is not.
    source = (
        "def sneaky(pk):\n    InformationItem.objects.filter(pk=pk).update(title='x')\n"
        "def honest(pk):\n    InformationItem.objects.filter(pk=pk).update(title='x')\n"
        "    rows_written_send(InformationItem, [pk])\n"
        "def harmless(d):\n    d.update(a=1)\n"
    )
    tree = ast.parse(source)
    flagged = [
        name
        for name, node in _functions(tree)
        if _writes_past_signals(node) and not RECORDERS & _called_names(node)
    ]
    assert flagged == ["sneaky"]
