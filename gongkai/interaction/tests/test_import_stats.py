"""The contracts `gongkai import_messages` and `gongkai interaction_stats` (issue #12)."""

import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from gongkai.interaction.models import Message, MessageEvent, Status
from gongkai.interaction.selectors import interaction_stats

pytestmark = pytest.mark.django_db

HEADER = "reference,org_code,channel,category,received,title,content,replied,reply\n"


def write(tmp_path, body: str):
    path = tmp_path / "messages.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def stats(capsys, *args: str) -> dict:
    capsys.readouterr()
    call_command("interaction_stats", *args)
    return json.loads(capsys.readouterr().out)


def test_import_good_file(tmp_path, org_tree, capsys):
    fin = org_tree["finance"].code
    path = write(
        tmp_path,
        f"A-1,{fin},hotline_12345,consult,2025-09-26 23:30,咨询社保,怎么办理？,"
        f"2025-09-30 09:00,已电话答复\n"
        f"A-2,{fin},website,complaint,2025-09-27 08:00,投诉噪音,夜间施工,,\n"
        f"A-3,{fin},letter,help,2025-09-27 08:00,电话答复,内容,2025-09-28 09:00,\n",
    )
    call_command("import_messages", str(path))
    assert "导入完成：共3条" in capsys.readouterr().out
    assert Message.objects.get(reference="A-3").replied_date == date(2025, 9, 28)
    a1 = Message.objects.get(reference="A-1")
    # 23:30 China time is still 26 September (UTC would say the 26th 15:30 too).
    assert a1.received_date == date(2025, 9, 26)
    assert a1.due_date == date(2025, 9, 30)
    assert a1.replied_date == date(2025, 9, 30)
    assert a1.status == Status.CLOSED
    assert a1.imported
    assert a1.name_enc == ""
    a2 = Message.objects.get(reference="A-2")
    assert a2.status == Status.REGISTERED
    assert a2.due_date == date(2025, 10, 10)
    assert a2.replied_at is None
    assert MessageEvent.objects.filter(type="imported").count() == 3


def test_bad_lines_import_nothing_and_each_is_named(tmp_path, org_tree, capsys):
    fin = org_tree["finance"].code
    path = write(
        tmp_path,
        f"B-1,{fin},website,consult,2025-09-26 10:00,好的,内容,,\n"
        f"B-2,{fin},fax,consult,2025-09-26 10:00,渠道错,内容,,\n"
        f"B-3,{fin},website,praise,2025-09-26 10:00,类别错,内容,,\n"
        f"B-4,{fin},website,consult,2025-09-26 10:00,早答,内容,2025-09-25 10:00,答复\n"
        f"B-5,NOPE,website,consult,2025-09-26 10:00,机构错,内容,,\n"
        f"B-6,{fin},website,consult,2025/09/26,格式错,内容,,\n"
        f"B-7,{fin},website,consult,2025-09-26 10:00,无时间的答复,内容,,答复\n",
    )
    with pytest.raises(CommandError, match="共6处错误"):
        call_command("import_messages", str(path))
    err = capsys.readouterr().err
    assert "第2行" not in err
    assert "第3行：渠道“fax”无效" in err
    assert "第4行：类别“praise”无效" in err
    assert "第5行：答复时间2025-09-25 10:00早于收到时间2025-09-26 10:00" in err
    assert "第6行：机构代码“NOPE”不存在" in err
    assert "第7行：收到时间“2025/09/26”不是有效时间" in err
    assert "第8行：已填写答复内容（reply），但缺少答复时间（replied）" in err
    assert Message.objects.count() == 0
    assert MessageEvent.objects.count() == 0


def test_stats_contract(tmp_path, org_tree, capsys):
    fin = org_tree["finance"].code
    path = write(
        tmp_path,
        # Due 9/30; replied 9/30: on time.
        f"S-1,{fin},hotline_12345,consult,2025-09-26 10:00,t,c,2025-09-30 18:00,r\n"
        # Due 10/10; replied 10/11: late.
        f"S-2,{fin},website,complaint,2025-09-27 10:00,t,c,2025-10-11 09:00,r\n"
        # Due 10/9 (jsjb first reply); open at 10/31 → overdue.
        f"S-3,{fin},jsjb,help,2025-09-30 10:00,t,c,,\n"
        # Replied after `to` → open by `to`; due 10/27 (10/20 + 5), before 10/31 → overdue.
        f"S-4,{fin},wechat,consult,2025-10-20 10:00,t,c,2025-11-05 10:00,r\n"
        # Received 10/31 (Fri): due 11/7, not before `to` → open, not overdue.
        f"S-5,{fin},website,suggestion,2025-10-31 10:00,t,c,,\n"
        # Outside the window.
        f"S-6,{fin},website,consult,2025-11-01 10:00,t,c,,\n",
    )
    call_command("import_messages", str(path))
    out = stats(
        capsys, "--org", fin, "--from", "2025-09-01", "--to", "2025-10-31", "--format", "json"
    )
    assert set(out) == {
        "received",
        "replied",
        "replied_on_time",
        "open",
        "open_overdue",
        "by_channel",
        "by_category",
        "unanswered_over_3_months",
    }
    assert {
        k: out[k] for k in ("received", "replied", "replied_on_time", "open", "open_overdue")
    } == {
        "received": 5,
        "replied": 2,
        "replied_on_time": 1,
        "open": 3,
        "open_overdue": 2,
    }
    assert out["by_channel"]["hotline_12345"] == {
        "received": 1,
        "replied": 1,
        "replied_on_time": 1,
        "open": 0,
        "open_overdue": 0,
    }
    assert out["by_channel"]["jsjb"]["open_overdue"] == 1
    assert out["by_channel"]["weibo"]["received"] == 0
    assert out["by_category"]["consult"] == {
        "received": 2,
        "replied": 1,
        "replied_on_time": 1,
        "open": 1,
        "open_overdue": 1,
    }
    assert out["unanswered_over_3_months"] == []


def test_three_months_boundary_on_31_january(tmp_path, org_tree, capsys):
    fin = org_tree["finance"].code
    path = write(
        tmp_path,
        f"T-1,{fin},website,consult,2026-01-31 10:00,t,c,2026-04-30 17:00,r\n"
        f"T-2,{fin},website,consult,2026-01-31 10:00,t,c,2026-05-01 09:00,r\n"
        f"T-3,{fin},website,consult,2026-01-31 10:00,t,c,,\n"
        f"T-4,{fin},website,complaint,2026-01-31 10:00,t,c,,\n",
    )
    call_command("import_messages", str(path))
    base = ["--org", fin, "--from", "2026-01-01", "--format", "json"]
    assert stats(capsys, *base, "--to", "2026-04-30")["unanswered_over_3_months"] == []
    # On 1 May T-2's reply is after `to`, T-3 has none: both over; T-4 is not a 咨询.
    assert stats(capsys, *base, "--to", "2026-05-01")["unanswered_over_3_months"] == [
        "T-2",
        "T-3",
    ]
    assert stats(capsys, *base, "--to", "2026-06-30")["unanswered_over_3_months"] == [
        "T-2",
        "T-3",
    ]


def test_an_organisation_counts_its_own_messages_unless_asked_for_all(tmp_path, org_tree, capsys):
    fin = org_tree["finance"].code
    edu = org_tree["district_edu"].code
    path = write(
        tmp_path,
        f"O-1,{fin},website,consult,2025-09-26 10:00,t,c,,\n"
        f"O-2,{edu},website,consult,2025-09-26 10:00,t,c,,\n"
        f"O-3,{org_tree['city'].code},website,consult,2025-09-26 10:00,t,c,,\n",
    )
    call_command("import_messages", str(path))
    window = ["--from", "2025-09-01", "--to", "2025-09-30"]
    assert stats(capsys, "--org", org_tree["city"].code, *window)["received"] == 1
    assert stats(capsys, "--org", org_tree["city"].code, "--scope", "all", *window)["received"] == 3
    assert stats(capsys, "--org", fin, *window)["received"] == 1
    district = org_tree["district"]
    assert interaction_stats(district, date(2025, 9, 1), date(2025, 9, 30))["received"] == 0
    assert interaction_stats(district, date(2025, 9, 1), date(2025, 9, 30), "all")["received"] == 1


def test_stats_errors_are_chinese(org_tree):
    with pytest.raises(CommandError, match="找不到机构代码"):
        call_command(
            "interaction_stats", "--org", "X", "--from", "2025-01-01", "--to", "2025-02-01"
        )
    with pytest.raises(CommandError, match="不是有效日期"):
        call_command(
            "interaction_stats",
            "--org",
            org_tree["city"].code,
            "--from",
            "2025-13-01",
            "--to",
            "2025-02-01",
        )
