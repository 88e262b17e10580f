from datetime import date

import pytest
from django.core.management import CommandError, call_command

from gongkai.foi.models import Case, CaseEvent, Status
from gongkai.foi.tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

HEADER = "reference,org_code,received,channel,applicant_type,outcome,closed\n"


def write(tmp_path, body: str):
    path = tmp_path / "apps.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_import_good_file(tmp_path, org_tree, capsys):
    fin = org_tree["finance"].code
    path = write(
        tmp_path,
        f"2024-001,{fin},2024-12-20,letter,natural,4.1,2025-01-10\n"
        f"2025-002,{fin},2025-03-03,online,business,,\n"
        f"2025-003,{fin},2025-03-04,in_person,legal_service,6.1,2025-03-20\n",
    )
    call_command("import_applications", str(path))
    assert "导入完成：共3条" in capsys.readouterr().out
    closed = Case.objects.get(reference="2024-001")
    assert closed.status == Status.ARCHIVED
    assert closed.outcome == "4.1"
    assert closed.closed_date == date(2025, 1, 10)
    assert closed.imported
    assert closed.id_number_enc == ""
    assert closed.phone_enc == ""
    open_case = Case.objects.get(reference="2025-002")
    assert open_case.status == Status.REGISTERED
    assert open_case.outcome == ""
    # 20 working days after Mon 2025-03-03: 3/4–3/7 (4), 3/10–14 (9), 3/17–21 (14),
    # 3/24–28 (19), 3/31 (20).
    assert open_case.due_date == date(2025, 3, 31)
    assert CaseEvent.objects.filter(type="imported").count() == 3


def test_one_bad_line_imports_nothing_and_every_bad_line_is_named(tmp_path, org_tree, capsys):
    fin = org_tree["finance"].code
    CaseFactory.create(
        reference="OLD-1",
        organisation=org_tree["finance"],
        applicant_type="natural",
        channel="online",
        received_date=date(2025, 1, 2),
    )
    path = write(
        tmp_path,
        f"A-1,{fin},2025-01-02,online,natural,1,2025-01-20\n"  # line 2: good
        f"A-1,{fin},2025-01-03,online,natural,,\n"  # 3: duplicate in file
        f"OLD-1,{fin},2025-01-03,online,natural,,\n"  # 4: duplicate in DB
        "A-4,NOPE,2025-01-03,online,natural,,\n"  # 5: unknown org
        f"A-5,{fin},2025-02-30,online,natural,,\n"  # 6: bad date
        f"A-6,{fin},2025-01-03,email,robot,,\n"  # 7: bad channel + type
        f"A-7,{fin},2025-01-03,online,natural,3.9,2025-01-04\n"  # 8: bad outcome
        f"A-8,{fin},2025-01-10,online,natural,1,2025-01-09\n"  # 9: closed before received
        f"A-9,{fin},2025-01-10,online,natural,1,\n"  # 10: outcome without closed
        f"A-10,{fin},2025-01-10,online,natural,,2025-01-12\n",  # 11: closed without outcome
    )
    with pytest.raises(CommandError, match="共9处错误"):
        call_command("import_applications", str(path))
    err = capsys.readouterr().err
    assert "第3行：申请编号“A-1”与第2行重复" in err
    assert "第4行：申请编号“OLD-1”已存在于系统中" in err
    assert "第5行：机构代码“NOPE”不存在" in err
    assert "第6行：收到申请日期“2025-02-30”不是有效日期" in err
    assert "第7行：申请方式“email”无效" in err
    assert "申请人类型“robot”无效" in err
    assert "第8行：办理结果“3.9”无效" in err
    assert "第9行：办结日期2025-01-09早于收到申请日期2025-01-10" in err
    assert "第10行：已填写办理结果，但缺少办结日期" in err
    assert "第11行：已填写办结日期，但缺少办理结果" in err
    assert not any(line.startswith("第2行") for line in err.splitlines())
    assert list(Case.objects.values_list("reference", flat=True)) == ["OLD-1"]
    assert CaseEvent.objects.count() == 0


def test_import_many_rows(tmp_path, org_tree, django_assert_max_num_queries):
    fin = org_tree["finance"].code
    rows = "".join(
        f"H-{i:05d},{fin},2025-0{1 + i % 9}-1{i % 10},letter,natural,1,2025-10-2{i % 10}\n"
        for i in range(5000)
    )
    path = write(tmp_path, rows)
    with django_assert_max_num_queries(80):
        call_command("import_applications", str(path))
    assert Case.objects.filter(imported=True).count() == 5000
