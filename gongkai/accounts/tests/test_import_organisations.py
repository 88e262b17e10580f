from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai.accounts.models import Organisation
from gongkai.core.models import AuditEntry

HEADER = "code,name,parent_code,kind\n"


def run(path: Path, *args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_organisations", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(path: Path) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match=r"^导入失败：共\d+处错误，未导入任何机构。$") as exc:
        call_command("import_organisations", str(path), stdout=out, stderr=err)
    return str(exc.value), err.getvalue()


def write(tmp_path: Path, text: str, *, bom: bool = False, name: str = "orgs.csv") -> Path:
    path = tmp_path / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


@pytest.mark.django_db
def test_parent_declared_later_in_the_file_is_linked(tmp_path):
    path = write(
        tmp_path,
        HEADER
        + "D01,杭东市教育局,G01,department\n"
        + "D02,杭东市教育局办公室,D01,other\n"
        + "G01,杭东市人民政府,,government\n",
        bom=True,
    )
    out, err = run(path)
    assert err == ""
    assert "导入完成：新增3个，更新0个，未变化0个。" in out
    tree = {
        o.code: (o.name, o.kind, o.parent.code if o.parent else None)
        for o in Organisation.objects.all()
    }
    assert tree == {
        "G01": ("杭东市人民政府", "government", None),
        "D01": ("杭东市教育局", "department", "G01"),
        "D02": ("杭东市教育局办公室", "other", "D01"),
    }
    entry = AuditEntry.objects.get(action=AuditEntry.Action.IMPORT)
    assert entry.detail["created"] == ["D01", "D02", "G01"]
    assert entry.detail["updated"] == []
    assert entry.target_label == "机构导入 orgs.csv"


@pytest.mark.django_db
def test_one_bad_row_imports_nothing_and_names_every_bad_line(tmp_path):
    path = write(
        tmp_path,
        HEADER
        + "G01,杭东市人民政府,,government\n"  # line 2: fine
        + "D01,,G01,department\n"  # line 3: empty name
        + "D02,财政局,G01,bureau\n"  # line 4: bad kind
        + "D03,审计局,X99,department\n"  # line 5: unknown parent
        + "G01,重复的政府,,government\n"  # line 6: duplicate of line 2
        + f"{'A' * 33},过长代码,,other\n"  # line 7: code too long
        + "D04,统计局,G01\n",  # line 8: missing a column
    )
    message, err = run_failing(path)
    assert message == "导入失败：共6处错误，未导入任何机构。"
    assert err.splitlines() == [
        "第3行：机构名称（name）不能为空",
        "第4行：机构类型（kind）“bureau”无效，应为 government、department 或 other",
        "第5行：上级机构代码“X99”既不在系统中，也不在本文件中",
        "第6行：机构代码“G01”与第2行重复",
        "第7行：机构代码“AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA”过长（33个字符，最多32个）",
        "第8行：应有4列，实际3列",
    ]
    assert Organisation.objects.count() == 0
    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db
def test_cycle_in_file_is_reported_on_each_line_of_the_loop(tmp_path):
    path = write(
        tmp_path,
        HEADER
        + "A,甲,C,department\n"
        + "B,乙,A,department\n"
        + "C,丙,B,department\n"
        + "R,根,,government\n"
        + "S,自指,S,other\n",
    )
    message, err = run_failing(path)
    assert err.splitlines() == [
        "第2行：上级关系形成循环：A → C → B → A",
        "第3行：上级关系形成循环：A → C → B → A",
        "第4行：上级关系形成循环：A → C → B → A",
        "第6行：上级机构代码不能是本机构自己（S）",
    ]
    assert message == "导入失败：共4处错误，未导入任何机构。"
    assert Organisation.objects.count() == 0


@pytest.mark.django_db
def test_cycle_through_an_existing_organisation_is_detected(tmp_path, org_tree):
    # The district (existing) sits under the city; moving the city under the district's
    # education bureau would close a loop city → edu → district → city.
    city, edu = org_tree["city"].code, org_tree["district_edu"].code
    district = org_tree["district"].code
    path = write(tmp_path, HEADER + f"{city},杭东市人民政府,{edu},government\n")
    _message, err = run_failing(path)
    assert err.splitlines() == [f"第2行：上级关系形成循环：{city} → {edu} → {district} → {city}"]
    city_row = Organisation.objects.get(code=city)
    assert city_row.parent_id is None


@pytest.mark.django_db
def test_existing_codes_are_updated_and_reported(tmp_path, org_tree):
    finance = org_tree["finance"]
    office = org_tree["office"]
    path = write(
        tmp_path,
        HEADER
        + f"{finance.code},杭东市财政局（市国资委）,{org_tree['district'].code},department\n"
        + f"{office.code},杭东市人民政府办公厅,{org_tree['city'].code},department\n"
        + "LOCAL-001,杭东市大数据中心,113301000024900002,other\n",
    )
    out, _err = run(path)
    assert out.splitlines() == [
        f"更新：{finance.code}",
        "导入完成：新增1个，更新1个，未变化1个。",
    ]
    finance.refresh_from_db()
    assert (finance.name, finance.parent_id) == (
        "杭东市财政局（市国资委）",
        org_tree["district"].pk,
    )
    assert Organisation.objects.get(code="LOCAL-001").parent_id == finance.pk
    entry = AuditEntry.objects.get(action=AuditEntry.Action.IMPORT)
    assert entry.detail["updated"] == [finance.code]
    assert entry.detail["unchanged"] == 1


@pytest.mark.django_db
def test_dry_run_validates_without_writing(tmp_path):
    path = write(tmp_path, HEADER + "G01,杭东市人民政府,,government\n")
    out, _err = run(path, "--dry-run")
    assert out.strip() == "校验通过（未写入）：新增1个，更新0个，未变化0个。"
    assert Organisation.objects.count() == 0
    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db
def test_bad_header_and_bad_encoding_are_reported_on_their_line(tmp_path):
    path = write(tmp_path, "code,name,parent,kind\nG01,市政府,,government\n")
    _message, err = run_failing(path)
    assert err.strip() == (
        "第1行：表头应为 code,name,parent_code,kind：缺少列 parent_code；无法识别的列 parent"
    )
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes(HEADER.encode() + "G01,市政府,,government\n".encode("gbk"))
    _message, err = run_failing(gbk)
    assert err.strip().startswith("第2行：文件不是UTF-8编码")
    assert Organisation.objects.count() == 0


@pytest.mark.django_db
def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="找不到文件"):
        call_command("import_organisations", str(tmp_path / "none.csv"))
