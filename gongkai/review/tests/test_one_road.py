"""A guard against side doors to publication: a kind's publish or withdraw service (``*_publish``,
``*_withdraw``) is called only by its review adapter (``<app>/content.py``), which the chain calls
from ``content_publish`` / ``review_withdraw``; pages call the chain. So every publication and
withdrawal moves the review request and writes the audit row, the search change log and the
content hooks exactly once. The demo's history is the one other caller, and only with an audited
``without_review``; anything else fails here until its author routes it through the chain or
lists it below with the reason."""

import ast
import re
from pathlib import Path

APP = Path(__file__).resolve().parents[2]  # gongkai/

SERVICE = re.compile(r"^[a-z_]+_(publish|withdraw)$")
# The road itself: the chain's steps, which any page or task may call.
ROAD = {"content_publish", "review_withdraw", "publish_approved", "withdraw_published"}
# The adapter methods the chain calls (``ContentAdapter.publish`` / ``withdraw``,
# ``RevisableAdapter.publish_live``).
ADAPTER_METHODS = {"publish", "publish_live", "withdraw"}

# (path under gongkai/, called name) → why this call is not a side door.
ALLOWED = {
    ("staff/views_interaction.py", "message_publish"): "a 留言's publication "
    "(Message.publication, which the person agreed to), not a content status: its reply went "
    "through the chain (MessageReplyAdapter, publishes=False) before staff may publish it",
}


def _calls(tree: ast.AST):
    """(enclosing class, enclosing function, call) of every call in a module."""

    def walk(node, cls, func):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                yield from walk(child, child.name, func)
                continue
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                yield from walk(child, cls, child.name)
                continue
            if isinstance(child, ast.Call):
                yield cls, func, child
            yield from walk(child, cls, func)

    yield from walk(tree, None, None)


def _name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _verdict(rel: str, cls: str | None, func: str | None, call: ast.Call) -> str:
    """Why a call in ``rel`` is fine, or "side door"; "" when it calls no publish/withdraw."""
    name = _name(call)
    if not SERVICE.match(name):
        return ""
    if name in ROAD:
        return "road"
    parts = rel.split("/")
    if parts[-1] == "content.py" and cls is not None and func in ADAPTER_METHODS:
        return "adapter"
    if parts[0] == "demo" and any(k.arg == "without_review" for k in call.keywords):
        return "demo history"
    if (rel, name) in ALLOWED:
        return "allowed"
    return "side door"


def side_doors() -> tuple[list[tuple[str, str]], set[tuple[str, str]]]:
    """(calls of a kind's service from elsewhere, the ALLOWED entries still found)."""
    found: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for path in sorted(APP.rglob("*.py")):
        rel = path.relative_to(APP).as_posix()
        parts = rel.split("/")
        if "tests" in parts or "migrations" in parts or rel.endswith("testing.py"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for cls, func, call in _calls(tree):
            verdict = _verdict(rel, cls, func, call)
            if verdict == "allowed":
                seen.add((rel, _name(call)))
            elif verdict == "side door":
                found.append((rel, _name(call)))
    return found, seen


def test_kinds_publish_and_withdraw_only_through_the_chain():
    found, seen = side_doors()
    assert found == []
    # An entry whose call is gone is stale: keep the list exact.
    assert sorted(set(ALLOWED) - seen) == []


def test_the_guard_sees_a_side_door():
    # The scanner itself, on the side door this guard was written after (an item page calling
    # item_withdraw) and on the calls that are fine.
    source = (
        "def page(request, item):\n"
        "    services.item_withdraw(item=item, reason='x', acting_user=request.user)\n"
        "    review_withdraw(content=item, reason='x', acting_user=request.user)\n"
        "    item.save()\n"
        "class ItemAdapter:\n"
        "    def withdraw(self, obj, reason, acting_user):\n"
        "        item_withdraw(item=obj, reason=reason, acting_user=acting_user)\n"
        "def history(user):\n"
        "    record_publish(obj=1, acting_user=user)\n"
        "    record_publish(obj=1, acting_user=user, without_review='历史数据')\n"
    )
    tree = ast.parse(source)

    def verdicts(rel):
        return [(func, _name(c), _verdict(rel, cls, func, c)) for cls, func, c in _calls(tree)]

    assert verdicts("staff/views_items.py") == [
        ("page", "item_withdraw", "side door"),
        ("page", "review_withdraw", "road"),
        ("page", "save", ""),
        ("withdraw", "item_withdraw", "side door"),  # an adapter lives in content.py only
        ("history", "record_publish", "side door"),
        ("history", "record_publish", "side door"),
    ]
    assert [v for _f, _n, v in verdicts("catalogue/content.py")][3] == "adapter"
    assert [v for _f, _n, v in verdicts("demo/world_registers.py")][4:] == [
        "side door",
        "demo history",
    ]
