import pytest

from gongkai.core.imports import ImportRejected, LineError, read_csv_records

COLUMNS = ("code", "name")


def test_quoted_fields_blank_lines_and_crlf_keep_true_line_numbers():
    data = (
        "\ufeffname,code\r\n"
        '"杭东市财政局，国资委",A1\r\n'
        "\r\n"
        '"多行\r\n名称",A2\r\n'
        "A3\r\n"
        "只有名称,A4\r\n"
    ).encode()
    records, errors = read_csv_records(data, columns=COLUMNS)
    assert records == [
        (2, {"name": "杭东市财政局，国资委", "code": "A1"}),
        (4, {"name": "多行\r\n名称", "code": "A2"}),
        (7, {"name": "只有名称", "code": "A4"}),
    ]
    assert [str(e) for e in errors] == ["第6行：应有2列，实际1列"]


def test_empty_file_and_duplicate_columns_are_rejected():
    with pytest.raises(ImportRejected, match="第1行：文件为空，缺少表头") as exc:
        read_csv_records(b"", columns=COLUMNS)
    assert exc.value.errors == [LineError(1, "文件为空，缺少表头")]
    with pytest.raises(ImportRejected, match="第1行：表头应为 code,name：重复的列 code") as exc:
        read_csv_records(b"code,name,code\n", columns=COLUMNS)
    assert [str(e) for e in exc.value.errors] == ["第1行：表头应为 code,name：重复的列 code"]
