"""The 错敏词 dictionary: atomic CSV import, exact error lines, the cached checker."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from gongkai.checks.models import WordlistEntry
from gongkai.checks.selectors import current_checker
from gongkai.checks.tests.factories import WordlistEntryFactory
from gongkai.checks.wordlist import WordlistFileError, parse_wordlist
from gongkai.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def write(tmp_path: Path, text: str, *, bom: bool = False, name: str = "words.csv") -> Path:
    path = tmp_path / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def entries() -> list[tuple[str, str, str, bool]]:
    return list(
        WordlistEntry.objects.order_by("word").values_list(
            "word", "category", "suggestion", "is_blocking"
        )
    )


def test_import_with_bom_labels_and_codes(tmp_path):
    path = write(
        tmp_path,
        "word,category,suggestion\n"
        "中华人民共合国,错别字,中华人民共和国\n"
        "十八大以来,错误表述,党的十八大以来\n"
        "\n"
        '"某某,敏感",sensitive,\n'
        "其他词,other,\n",
        bom=True,
    )
    out = io.StringIO()
    call_command("import_wordlist", str(path), stdout=out)
    assert out.getvalue() == "导入完成：新增 4 条，更新 0 条，未变 0 条。\n"
    assert entries() == [
        ("中华人民共合国", "typo", "中华人民共和国", False),
        ("其他词", "other", "", False),
        ("十八大以来", "wrong_expression", "党的十八大以来", True),
        ("某某,敏感", "sensitive", "", True),
    ]
    audit = AuditEntry.objects.get(action="import")
    assert audit.detail == {
        "kind": "wordlist",
        "source": "words.csv",
        "created": 4,
        "updated": 0,
        "unchanged": 0,
    }


def test_reimport_updates_existing_words(tmp_path):
    call_command(
        "import_wordlist",
        str(write(tmp_path, "word,category,suggestion\n甲,错别字,乙\n丙,其他,\n丁,其他,\n")),
        stdout=io.StringIO(),
    )
    # An administrator marks 丁 as blocking; a re-import with the same category keeps it.
    WordlistEntry.objects.filter(word="丁").update(is_blocking=True)
    out = io.StringIO()
    call_command(
        "import_wordlist",
        str(
            write(
                tmp_path,
                "suggestion,word,category\n乙乙,甲,错别字\n,丙,敏感词\n,丁,其他\n,戊,typo\n",
                name="again.csv",
            )
        ),
        stdout=out,
    )
    assert out.getvalue() == "导入完成：新增 1 条，更新 2 条，未变 1 条。\n"
    assert entries() == [
        ("丁", "other", "", True),
        ("丙", "sensitive", "", True),
        ("戊", "typo", "", False),
        ("甲", "typo", "乙乙", False),
    ]


def test_bad_lines_import_nothing_and_are_all_named(tmp_path):
    WordlistEntryFactory.create(word="原有", category="other")
    before = entries()
    path = write(
        tmp_path,
        "word,category,suggestion\n"
        "好词,错别字,好\n"  # line 2: fine
        ",错别字,空\n"  # line 3: empty word
        "词甲,不存在的分类,\n"  # line 4: unknown category
        "好词,其他,\n"  # line 5: duplicate of line 2
        '"多行\n词",其他,\n'  # lines 6-7: a quoted field spanning two lines is fine
        "词乙,,\n"  # line 8: empty category
        "词丙,其他,a,b\n",  # line 9: too many columns
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="导入失败：5 处错误，未导入任何词语。") as exc:
        call_command("import_wordlist", str(path), stdout=io.StringIO(), stderr=err)
    assert str(exc.value) == "导入失败：5 处错误，未导入任何词语。"
    assert err.getvalue().splitlines() == [
        "第3行：词语为空。",
        "第4行：未知分类“不存在的分类”（可用：错误表述、敏感词、错别字、其他）。",
        "第5行：词语“好词”与第2行重复。",
        "第8行：分类为空（可用：错误表述、敏感词、错别字、其他）。",
        "第9行：有4列，多于表头的3列（含逗号的词语请加双引号）。",
    ]
    assert entries() == before
    assert not AuditEntry.objects.filter(action="import").exists()


def test_header_is_required(tmp_path):
    with pytest.raises(
        WordlistFileError,
        match=(
            "第1行：表头必须恰好包含 word、category、suggestion 三列（现为：中华,错别字,中华）。"
        ),
    ) as exc:
        parse_wordlist("中华,错别字,中华\n")
    assert exc.value.errors == [
        "第1行：表头必须恰好包含 word、category、suggestion 三列（现为：中华,错别字,中华）。"
    ]
    with pytest.raises(
        WordlistFileError, match="文件为空：第1行必须是表头 word,category,suggestion。"
    ) as exc:
        parse_wordlist("")
    assert exc.value.errors == ["文件为空：第1行必须是表头 word,category,suggestion。"]


def test_not_utf8_is_refused_with_line(tmp_path):
    path = tmp_path / "gbk.csv"
    path.write_bytes("word,category,suggestion\n中华,其他,\n".encode("gbk"))
    err = io.StringIO()
    with pytest.raises(CommandError, match="导入失败：1 处错误，未导入任何词语。"):
        call_command("import_wordlist", str(path), stdout=io.StringIO(), stderr=err)
    assert err.getvalue() == "第2行：文件不是 UTF-8 编码，请另存为 UTF-8 后重新导入。\n"
    assert WordlistEntry.objects.count() == 0


def test_large_import_uses_bulk_queries(tmp_path, django_assert_max_num_queries):
    lines = ["word,category,suggestion"] + [f"词{i:05d},其他," for i in range(20000)]
    rows = parse_wordlist("\n".join(lines) + "\n")
    from gongkai.checks.services import wordlist_import

    # 20,000 rows in batches of 2,000 plus the existing-words read, the audit row and savepoints.
    with django_assert_max_num_queries(20):
        result = wordlist_import(rows=rows, source="big.csv")
    assert (result.created, result.updated, result.unchanged) == (20000, 0, 0)
    assert WordlistEntry.objects.count() == 20000


# ------------------------------------------------------------ cached checker


def test_current_checker_follows_the_wordlist():
    first = current_checker()
    assert first.check("中华人民共合国") == []
    assert current_checker() is first  # nothing changed: same compiled automaton
    entry = WordlistEntryFactory.create(
        word="中华人民共合国", category="typo", suggestion="中华人民共和国"
    )
    second = current_checker()
    assert second is not first
    [hit] = second.check("中华人民共合国")
    assert (hit.category, hit.suggestion, hit.blocking) == ("错别字", "中华人民共和国", False)
    entry.suggestion = "新建议"
    entry.save()
    assert current_checker().check("中华人民共合国")[0].suggestion == "新建议"
    entry.delete()
    assert current_checker().check("中华人民共合国") == []


# ------------------------------------------------------------ check_text command


def test_check_text_prints_only_json(tmp_path):
    WordlistEntryFactory.create(
        word="十八大以来", category="wrong_expression", suggestion="党的十八大以来"
    )
    path = tmp_path / "in.txt"
    path.write_bytes("自十八大以来\r\n电话13812341234".encode())
    out = io.StringIO()
    call_command("check_text", str(path), stdout=out)
    assert json.loads(out.getvalue()) == {
        "findings": [
            {
                "kind": "word",
                "start": 1,
                "end": 6,
                "match": "十八大以来",
                "category": "错误表述",
                "suggestion": "党的十八大以来",
            },
            {
                "kind": "mobile",
                "start": 10,  # \r\n counts as two characters: line endings are kept
                "end": 21,
                "match": "13812341234",
                "category": "手机号码",
                "suggestion": "138****1234",
            },
        ]
    }
    assert "十八大以来" in out.getvalue()  # ensure_ascii=False


def test_check_text_reads_stdin():
    out = io.StringIO()
    call_command("check_text", "-", stdin=io.StringIO("没有问题"), stdout=out)
    assert out.getvalue() == '{"findings": []}\n'


def test_check_text_refuses_non_utf8(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes("中文".encode("gbk"))
    out = io.StringIO()
    with pytest.raises(CommandError, match="输入不是 UTF-8 文本（第1字节）。") as exc:
        call_command("check_text", str(path), stdout=out)
    assert str(exc.value) == "输入不是 UTF-8 文本（第1字节）。"
    assert out.getvalue() == ""


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="the subprocess builds its own SQLite database",
)
def test_check_text_subprocess_stdout_is_exactly_json(tmp_path):
    """A fresh process, a freshly migrated empty database: stdout is the JSON and nothing else."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "gongkai.config.settings.dev",
        "GONGKAI_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
        "PYTHONWARNINGS": "default",
    }
    env.pop("GONGKAI_DEBUG", None)
    manage = str(Path(settings.BASE_DIR) / "manage.py")
    subprocess.run(
        [sys.executable, manage, "migrate", "--noinput"],
        env=env,
        check=True,
        capture_output=True,
        cwd=tmp_path,
    )
    done = subprocess.run(
        [sys.executable, manage, "check_text", "-"],
        env=env,
        input="甲11010519491231002X".encode(),
        capture_output=True,
        check=True,
        cwd=tmp_path,
    )
    assert done.stdout.decode("utf-8") == (
        '{"findings": [{"kind": "id_card", "start": 1, "end": 19, '
        '"match": "11010519491231002X", "category": "身份证号码", '
        '"suggestion": "11*************02X"}]}\n'
    )
