"""Without a Chinese font the annual report's PDF is refused with the reason, never made of
empty boxes; DOCX still works."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai.accounts.models import Role

from .test_annual_report import report_world  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

MESSAGE = "无法生成 PDF：本服务器没有安装中文字体，生成的 PDF 中文会显示为空白方框。"


def test_command_refuses_the_pdf_and_writes_nothing(report_world, no_chinese_fonts, tmp_path):  # noqa: F811
    target = tmp_path / "report.pdf"
    with pytest.raises(CommandError, match=MESSAGE + ".*fonts-noto-cjk"):
        call_command(
            "annual_report",
            "--year",
            "2025",
            "--org",
            report_world["district"].code,
            "--format",
            "pdf",
            "--output",
            str(target),
        )
    assert not target.exists()
    # DOCX needs no font on the server.
    call_command(
        "annual_report",
        "--year",
        "2025",
        "--org",
        report_world["district"].code,
        "--format",
        "docx",
        "--output",
        str(tmp_path / "report.docx"),
        stdout=io.StringIO(),
    )
    assert (tmp_path / "report.docx").read_bytes()[:2] == b"PK"


def test_staff_page_shows_the_reason_instead_of_a_pdf(
    client,
    report_world,  # noqa: F811
    make_staff,
    no_chinese_fonts,
):
    client.force_login(make_staff(Role.ADMIN, report_world["district"]))
    url = f"/staff/reports/annual/?org={report_world['district'].code}&year=2025"
    response = client.get(url + "&format=pdf")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert MESSAGE in html
    assert "三、收到和处理政府信息公开申请情况" in html  # the page itself still works
    docx = client.get(url + "&format=docx")
    assert docx["Content-Type"].startswith("application/vnd.openxmlformats")
