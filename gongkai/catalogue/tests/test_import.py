import io
import json

import pytest
from django.core.management import CommandError, call_command

from gongkai.catalogue.models import IndexSequence, InformationItem
from gongkai.catalogue.tests.factories import InformationItemFactory, TopicCategoryFactory
from gongkai.core.models import AuditEntry

FINANCE = "113301000024900002"
OFFICE = "113301000024900001"


def write(tmp_path, rows) -> str:
    path = tmp_path / "docs.jsonl"
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def run(path):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_documents", path, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def good(**extra):
    row = {
        "title": "关于印发某办法的通知",
        "body": "正文。",
        "org": FINANCE,
        "published": "2024-03-01",
    }
    row.update(extra)
    return row


def test_imports_all_fields(org_tree, tmp_path):
    path = write(
        tmp_path,
        [
            good(
                external_id="old-001",
                title="杭东市财政专项资金管理办法",
                body="第一条 为加强管理，制定本办法。\n第二条 本办法自2024年4月1日起施行。",
                doc_number="杭财预〔2024〕3号",
                written="2024-02-26",
                topic="财政",
                genre="通知",
                audience=["企业", "公众"],
                keywords=["专项资金", "绩效"],
                summary="规范财政专项资金的设立、分配和使用。",
                validity="有效",
                is_normative=True,
            ),
            "",
            good(
                title="第二份",
                body="<p>已有<b>HTML</b><script>x()</script></p>",
                org=OFFICE,
                topic="卫生、体育\\医药管理",
                genre="notice",
                audience="公众、企业",
                keywords="甲 乙",
                validity="repealed",
                is_normative=False,
            ),
            good(title="第三份", topic="其他"),
        ],
    )
    out, err = run(path)
    assert out == "已导入3条政府信息\n"
    assert err == ""
    first = InformationItem.objects.get(external_id="old-001")
    assert first.index_number == f"{FINANCE}/2024-00001"
    assert (first.status, first.disclosure, first.validity, first.policy_kind) == (
        "published",
        "proactive",
        "valid",
        "normative",
    )
    assert str(first.published_date) == "2024-03-01"
    assert str(first.written_date) == "2024-02-26"
    assert first.body == (
        "<p>第一条 为加强管理，制定本办法。</p><p>第二条 本办法自2024年4月1日起施行。</p>"
    )
    assert first.body_text == "第一条 为加强管理，制定本办法。\n第二条 本办法自2024年4月1日起施行。"
    assert str(first.topic) == "财政、金融、审计\\财政"
    assert (first.genre, first.doc_number, first.keywords) == (
        "notice",
        "杭财预〔2024〕3号",
        "专项资金，绩效",
    )
    assert sorted(first.audiences.values_list("name", flat=True)) == ["企业", "公众"]
    second = InformationItem.objects.get(title="第二份")
    assert second.index_number == f"{OFFICE}/2024-00001"
    assert second.body == "<p>已有<b>HTML</b></p>"
    assert str(second.topic) == "卫生、体育\\医药管理"
    assert (second.validity, second.policy_kind, second.external_id) == ("repealed", "", None)
    third = InformationItem.objects.get(title="第三份")
    assert third.index_number == f"{FINANCE}/2024-00002"
    assert (third.topic.name, third.topic.parent_id) == ("其他", None)
    entry = AuditEntry.objects.get(action="import")
    assert entry.detail["count"] == 3
    assert entry.detail["source"] == "docs.jsonl"


def test_every_bad_line_reported_and_nothing_imported(org_tree, tmp_path):
    InformationItemFactory.create(
        organisation=org_tree["finance"],
        index_number="X/2020-00001",
        title="已有",
        external_id="dup-db",
    )
    rows = [
        good(external_id="a1"),  # 1 fine
        "{not json",  # 2
        {"title": "缺正文", "org": FINANCE, "published": "2024-03-01"},  # 3
        good(org="999999999"),  # 4
        good(published="2024-13-01"),  # 5
        good(published="2024/03/01"),  # 6
        good(written="2024-03-02"),  # 7
        good(external_id="a1"),  # 8
        good(external_id="dup-db"),  # 9
        good(topic="不存在的分类"),  # 10
        good(topic="其他\\不存在"),  # 11
        good(genre="通讯"),  # 12
        good(validity="过期"),  # 13
        good(is_normative="yes"),  # 14
        good(audience=["市民"]),  # 15
        "[1, 2]",  # 16
        good(title=123, published="2024-02-30"),  # 17
        good(topic="医药管理"),  # 18 fine (unique level-2 name)
    ]
    path = write(tmp_path, rows)
    out = io.StringIO()
    err = io.StringIO()
    with pytest.raises(CommandError, match="导入失败：16行有错误，未导入任何数据") as info:
        call_command("import_documents", path, stdout=out, stderr=err)
    assert str(info.value) == "导入失败：16行有错误，未导入任何数据"
    assert err.getvalue().splitlines() == [
        "第2行：不是有效的JSON",
        "第3行：缺少必填字段“body”",
        "第4行：机构代码“999999999”不存在",
        "第5行：字段“published”的日期“2024-13-01”无效，应为YYYY-MM-DD格式",
        "第6行：字段“published”的日期“2024/03/01”无效，应为YYYY-MM-DD格式",
        "第7行：成文日期2024-03-02晚于发布日期2024-03-01",
        "第8行：external_id“a1”与第1行重复",
        "第9行：external_id“dup-db”已存在于系统中",
        "第10行：主题分类“不存在的分类”不存在",
        "第11行：主题分类“其他\\不存在”不存在",
        "第12行：体裁分类“通讯”不存在",
        "第13行：有效性“过期”无效，应为有效、失效、废止或已修改",
        "第14行：字段“is_normative”必须是true或false",
        "第15行：服务对象“市民”不存在",
        "第16行：不是有效的JSON对象",
        "第17行：字段“title”必须是字符串",
    ]
    assert out.getvalue() == ""
    assert list(InformationItem.objects.values_list("title", flat=True)) == ["已有"]
    assert IndexSequence.objects.count() == 0
    assert not AuditEntry.objects.filter(action="import").exists()


def test_ambiguous_level_two_topic_is_reported(org_tree, tmp_path):
    path = write(tmp_path, [good(topic="水利")])
    # 水利 is a level-2 name under only one class, so it imports;
    run(path)
    assert str(InformationItem.objects.get().topic) == "农业、林业、水利\\水利"
    # while a bare level-2 name used by several classes needs the full path.
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(good(topic="税务"), ensure_ascii=False) + "\n", encoding="utf-8")
    run(str(bad))
    from gongkai.catalogue.models import TopicCategory

    TopicCategoryFactory.create(parent=TopicCategory.objects.get(name="综合政务"), name="税务")
    bad.write_text(json.dumps(good(topic="税务"), ensure_ascii=False) + "\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="导入失败：1行有错误，未导入任何数据"):
        call_command("import_documents", str(bad), stdout=io.StringIO(), stderr=err)
    assert err.getvalue() == ("第1行：主题分类“税务”对应多个一级分类，请写成“一级分类\\二级分类”\n")


def test_missing_file_reported(db, tmp_path):
    with pytest.raises(CommandError, match=r"none\.jsonl”不存在") as info:
        call_command("import_documents", str(tmp_path / "none.jsonl"))
    assert str(info.value) == f"文件“{tmp_path / 'none.jsonl'}”不存在"


def test_thousands_of_lines_with_bounded_queries(org_tree, tmp_path, django_assert_max_num_queries):
    rows = [
        good(
            external_id=f"e{n}",
            title=f"文件{n}",
            org=FINANCE if n % 2 else OFFICE,
            published=f"{2023 + n % 2}-0{1 + n % 9}-15",
            audience=["企业"],
        )
        for n in range(3000)
    ]
    path = write(tmp_path, rows)
    with django_assert_max_num_queries(80):
        out, _ = run(path)
    assert out == "已导入3000条政府信息\n"
    assert InformationItem.objects.count() == 3000
    assert InformationItem.audiences.through.objects.count() == 3000
    numbers = set(InformationItem.objects.values_list("index_number", flat=True))
    assert len(numbers) == 3000
    assert f"{FINANCE}/2024-01500" in numbers
    assert f"{FINANCE}/2024-01501" not in numbers
    assert f"{OFFICE}/2023-01500" in numbers
    assert (
        IndexSequence.objects.get(organisation=org_tree["finance"], year=2024).last_serial == 1500
    )
