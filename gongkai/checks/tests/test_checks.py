"""Pure checkers: every kind with positive and negative examples, offsets and masking."""

import datetime

import pytest

from gongkai.checks.text import (
    Finding,
    TextChecker,
    WordMatcher,
    check_text,
    id_check_char,
    is_valid_id_number,
    luhn_ok,
    mask,
    mask_value,
    privacy_findings,
)

TODAY = datetime.date(2026, 11, 23)


def kinds(text: str) -> list[tuple[str, int, int, str]]:
    return [(f.kind, f.start, f.end, f.match) for f in check_text(text, today=TODAY)]


# ---------------------------------------------------------------- 居民身份证号码


def test_id_check_digit_hand_worked():
    # GB 11643 example: weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2 over 11010519491231002
    # give 1*7+1*9+0+1*5+0+5*4+1*2+9*1+4*6+9*3+1*7+2*9+3*10+1*5+0+0+2*2 = 167;
    # 167 mod 11 = 2 -> "X".
    assert id_check_char("11010519491231002") == "X"
    assert is_valid_id_number("11010519491231002X", today=TODAY)
    assert is_valid_id_number("11010519491231002x", today=TODAY)


def test_valid_id_found_lowercase_x_too():
    assert kinds("身份证号11010519491231002X。") == [("id_card", 4, 22, "11010519491231002X")]
    assert kinds("身份证号11010519491231002x。") == [("id_card", 4, 22, "11010519491231002x")]


def test_id_with_wrong_check_digit_is_a_suspected_id():
    # 11010519491231002 has check character X (hand-worked above): ending in 1 is a typo of an
    # ID that still identifies a person, so it is reported as its own kind and masked the same.
    assert not is_valid_id_number("110105194912310021", today=TODAY)
    assert kinds("身份证号110105194912310021。") == [
        ("id_card_invalid", 4, 22, "110105194912310021")
    ]
    (finding,) = check_text("110105194912310021", today=TODAY)
    assert finding.blocking is True
    assert finding.category == "疑似身份证号码（校验位不符）"
    assert finding.suggestion == "11*************021"


def test_id_shaped_value_passing_luhn_is_never_a_bank_card():
    # 11010519491231002 has ID check character X (hand-worked above); with a final 8 the 18
    # digits pass Luhn, which used to make this mistyped ID a "bank card".
    value = "110105194912310028"
    assert luhn_ok(value)
    assert not is_valid_id_number(value, today=TODAY)
    assert kinds(f"账号{value}") == [("id_card_invalid", 2, 20, value)]


def test_seventeen_digits_and_x_never_a_card():
    # Not ID-shaped (no real birth date: month 13), passes Luhn without the X: still no card.
    digits = "11010519491331004"
    check = next(d for d in "0123456789" if luhn_ok(digits[:16] + d))
    value = digits[:16] + check
    assert luhn_ok(value)
    assert len(value) == 17
    assert kinds(f"编号{value}X") == []
    assert kinds(f"编号{value}x号") == []


def test_x_followed_by_a_digit_or_x_is_never_dropped_to_leave_a_card():
    # Issue 18: the X after 17 digits belongs to the number even when a digit or another X
    # follows; the 17 digits (which pass Luhn) were reported as a bank card.
    digits = "11010519491231423"
    assert luhn_ok(digits)
    assert kinds(f"卡号{digits}X5") == []
    assert kinds(f"卡号{digits}XX号") == []
    assert kinds(f"卡号{digits}x2023年") == []
    # Followed by anything else it is an ID shape (born 1949-12-31) whose check character is
    # 1, not X: a suspected ID, X included, never 17 digits.
    assert id_check_char(digits) == "1"
    assert kinds(f"卡号{digits}X。") == [("id_card_invalid", 2, 20, f"{digits}X")]
    assert kinds(f"{digits}Xabc") == [("id_card_invalid", 0, 18, f"{digits}X")]


def test_id_ending_424x_keeps_its_x():
    value = "11010519491231424X"
    assert is_valid_id_number(value, today=TODAY)
    assert kinds(f"身份证{value}，") == [("id_card", 3, 21, value)]
    assert kinds(f"身份证{value}1") == []  # inside a longer run: nothing, not a card


def test_suspected_id_is_masked_like_an_id():
    text = "号码110105194912310021和13812345678"
    findings = check_text(text, today=TODAY)
    assert [(f.kind, f.start, f.end) for f in findings] == [
        ("id_card_invalid", 2, 20),
        ("mobile", 21, 32),
    ]
    assert mask(text, findings) == "号码11*************021和138****5678"


def test_privacy_offsets_are_characters_after_non_ascii_text():
    text = "😀甲\U00020000乙13812345678 a@b.cn"
    assert kinds(text) == [("mobile", 4, 15, "13812345678"), ("email", 16, 22, "a@b.cn")]


def test_email_addresses_do_not_overlap():
    # A left-to-right scan resumes after each address: b.com@c.com is not a second one.
    assert kinds("a@b.com@c.com") == [("email", 0, 7, "a@b.com")]
    assert kinds("x@a.cn,y@b.cn") == [("email", 0, 6, "x@a.cn"), ("email", 7, 13, "y@b.cn")]


def test_id_with_impossible_birth_date_not_reported():
    # 1949-02-30 does not exist; the check digit of 11010519490230002 is 0, so only the date
    # makes it invalid.
    assert id_check_char("11010519490230002") == "0"
    assert not is_valid_id_number("110105194902300020", today=TODAY)
    assert kinds("号码110105194902300020") == []


def test_id_birth_year_bounds_and_region():
    # Born 1899: before 1900. Born in 2027: after the current year.
    first = "11010518991231002"
    assert not is_valid_id_number(first + id_check_char(first), today=TODAY)
    future = "11010520270101002"
    assert not is_valid_id_number(future + id_check_char(future), today=TODAY)
    # Region codes never start with 0.
    zero = "01010519491231002"
    assert not is_valid_id_number(zero + id_check_char(zero), today=TODAY)


def test_id_inside_longer_digit_run_not_reported():
    valid = "110105194912310038"
    assert is_valid_id_number(valid, today=TODAY)
    assert kinds(f"编号{valid}号") == [("id_card", 2, 20, valid)]
    # 20 digits: 2 + the valid ID. Neither an ID nor a card (20 > 19 digits) nor a mobile.
    assert kinds(f"编号12{valid}号") == []
    assert kinds(f"编号{valid}12号") == []
    # Followed by an X: the run is not an 18-character number any more.
    assert [f.kind for f in check_text(f"{valid}X", today=TODAY)] != ["id_card"]


def test_id_that_passes_luhn_is_only_an_id():
    value = "350203199003010513"
    assert is_valid_id_number(value, today=TODAY)
    assert luhn_ok(value)
    assert kinds(value) == [("id_card", 0, 18, value)]


# ---------------------------------------------------------------- mobile numbers


def test_mobile_found():
    assert kinds("联系电话13812345678") == [("mobile", 4, 15, "13812345678")]
    assert kinds("19912345678") == [("mobile", 0, 11, "19912345678")]


def test_mobile_negative_cases():
    assert kinds("电话12812345678") == []  # no mobile segment starts 12
    assert kinds("电话10812345678") == []
    assert kinds("编号0138123456789") == []  # inside a 13-digit run
    assert kinds("编号138123456780") == []  # 12 digits
    assert kinds("1381234567") == []  # 10 digits
    assert kinds("0571-87654321") == []  # landline


# ---------------------------------------------------------------- bank cards


def test_luhn():
    assert luhn_ok("4111111111111111")
    assert not luhn_ok("4111111111111112")
    assert luhn_ok("6222020200112345679")


def test_bank_card_found_and_rejected():
    assert kinds("卡号4111111111111111") == [("bank_card", 2, 18, "4111111111111111")]
    assert kinds("卡号4111111111111112") == []
    assert kinds("卡号6222020200112345679，") == [("bank_card", 2, 21, "6222020200112345679")]
    # 15 digits passing Luhn is too short to be a card.
    assert luhn_ok("411111111111116")
    assert kinds("411111111111116") == []
    # 20 digits passing Luhn: too long, and it contains a valid 16-digit card — not reported.
    assert luhn_ok("4111111111111111" + "0000")
    assert kinds("41111111111111110000") == []


# ---------------------------------------------------------------- e-mail


def test_email_found_and_rejected():
    assert kinds("来信请发zhang.san@example.gov.cn。") == [
        ("email", 4, 28, "zhang.san@example.gov.cn")
    ]
    assert kinds("zhangsan@localhost") == []
    assert kinds("请@example.com联系") == []


def test_email_that_starts_with_a_mobile_number_reports_both():
    text = "13812345678@qq.com"
    assert kinds(text) == [("email", 0, 18, text), ("mobile", 0, 11, "13812345678")]


# ---------------------------------------------------------------- offsets


def test_offsets_are_characters_not_bytes():
    text = "关于张三（身份证号11010519491231002X）的公示"
    [finding] = check_text(text, today=TODAY)
    assert (finding.start, finding.end) == (9, 27)
    assert text[finding.start : finding.end] == "11010519491231002X"
    assert len(text[:9].encode()) == 27  # the byte offset would have been 27


def test_offsets_after_non_bmp_characters():
    # U+20000 is one Python character (one code point), four UTF-8 bytes.
    text = "\U00020000😀中华人民共和国"
    [finding] = check_text(text, [("中华人民共和国", "错误表述", "")], today=TODAY)
    assert (finding.start, finding.end) == (2, 9)


# ---------------------------------------------------------------- 错敏词 dictionary

WORDS = [
    ("中华人民共合国", "错别字", "中华人民共和国"),
    ("中华", "其他", ""),
    ("十八大以来", "错误表述", "党的十八大以来"),
    ("AB", "其他", ""),
    ("BC", "其他", ""),
]


@pytest.mark.parametrize("engine", WordMatcher.ENGINES)
def test_word_hits_with_category_and_suggestion(engine):
    text = "自十八大以来，中华人民共合国……"
    findings = TextChecker(WORDS, engine=engine).check(text, today=TODAY)
    assert findings == [
        Finding("word", 1, 6, "十八大以来", "错误表述", "党的十八大以来"),
        Finding("word", 7, 14, "中华人民共合国", "错别字", "中华人民共和国"),
    ]
    assert findings[0].as_dict() == {
        "kind": "word",
        "start": 1,
        "end": 6,
        "match": "十八大以来",
        "category": "错误表述",
        "suggestion": "党的十八大以来",
    }


@pytest.mark.parametrize("engine", WordMatcher.ENGINES)
def test_words_are_leftmost_longest_non_overlapping(engine):
    checker = TextChecker(WORDS, engine=engine)
    spans = [(f.start, f.end, f.match) for f in checker.check("ABC中华中华人民共合国")]
    assert spans == [(0, 2, "AB"), (3, 5, "中华"), (5, 12, "中华人民共合国")]


@pytest.mark.parametrize("engine", WordMatcher.ENGINES)
def test_no_word_hits(engine):
    assert TextChecker(WORDS, engine=engine).check("政务公开工作总结") == []
    assert TextChecker([], engine=engine).check("中华") == []
    assert TextChecker(WORDS, engine=engine).check("") == []


def test_duplicate_word_last_one_wins():
    checker = TextChecker([("中华", "其他", "a"), ("中华", "敏感词", "b")])
    assert [(f.category, f.suggestion) for f in checker.check("中华")] == [("敏感词", "b")]


def test_findings_sorted_by_start_then_kind():
    text = "13812345678@qq.com 中华"
    findings = check_text(text, [("qq", "其他", "")], today=TODAY)
    assert [(f.start, f.kind) for f in findings] == [
        (0, "email"),
        (0, "mobile"),
        (12, "word"),
    ]


# ---------------------------------------------------------------- masking


def test_mask_values_exact():
    assert mask_value("mobile", "13812341234") == "138****1234"
    assert mask_value("id_card", "350203199003010123") == "35*************123"
    assert mask_value("bank_card", "4111111111111111") == "4111********1111"
    assert mask_value("bank_card", "6222020200112345679") == "6222***********5679"
    assert mask_value("email", "zhang.san@example.gov.cn") == "z***@example.gov.cn"


def test_mask_text_exact():
    text = (
        "张三，身份证号11010519491231002X，电话13812341234，"
        "卡号4111111111111111，邮箱zhang@example.com，qq 13812345678@qq.com。十八大以来"
    )
    findings = check_text(text, [("十八大以来", "错误表述", "党的十八大以来")], today=TODAY)
    assert mask(text, findings) == (
        "张三，身份证号11*************02X，电话138****1234，"
        "卡号4111********1111，邮箱z***@example.com，qq 1***@qq.com。十八大以来"
    )
    # The masked text has no privacy findings left.
    assert privacy_findings(mask(text, findings), today=TODAY) == []


def test_mask_refuses_stale_findings():
    findings = check_text("电话13812341234", today=TODAY)
    with pytest.raises(ValueError, match=r"^finding mobile at 2 does not match the text$"):
        mask("电话13912341234", findings)


@pytest.mark.parametrize("engine", WordMatcher.ENGINES)
def test_the_correct_form_containing_the_word_is_not_reported(engine):
    checker = TextChecker([("十八大以来", "错误表述", "党的十八大以来")], engine=engine)
    text = "党的十八大以来，十八大以来"
    assert [(f.start, f.match) for f in checker.check(text)] == [(8, "十八大以来")]


def test_mask_html_masks_text_not_markup():
    from gongkai.checks.text import mask_html

    html = (
        '<p title="13812341234">电话13812341234，身份证11010519491231002X</p>'
        '<p><a href="mailto:zhang@example.com">zhang@example.com</a></p>'
    )
    assert mask_html(html, today=TODAY) == (
        '<p title="13812341234">电话138****1234，身份证11*************02X</p>'
        '<p><a href="mailto:zhang@example.com">z***@example.com</a></p>'
    )
    assert mask_html("<p>没有个人信息</p>") == "<p>没有个人信息</p>"
