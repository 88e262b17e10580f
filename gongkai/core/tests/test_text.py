import datetime

from gongkai.core.text import (
    chinese_date,
    mask_address,
    mask_email,
    mask_id_number,
    mask_name,
    mask_phone,
)


def test_mask_phone_rules_note_format():
    # Rules note §5.6: 138****1234.
    assert mask_phone("13812341234") == "138****1234"
    assert mask_phone("13912345678") == "139****5678"
    assert mask_phone("+86 139-1234-5678") == "139****5678"
    assert mask_phone("0571-87051001") == "********1001"  # 12 digits once the hyphen goes
    assert mask_phone("") == ""


def test_mask_id_number_rules_note_format():
    # Rules note §5.6: 35*************123 — two leading, three trailing characters.
    assert mask_id_number("350203199003010123") == "35*************123"
    assert mask_id_number("11010519491231002X") == "11*************02X"
    assert mask_id_number(" 330106199001011234 ") == "33*************234"
    assert mask_id_number("330106900101123") == "33**********123"  # 15-digit first generation
    assert mask_id_number("12345") == "1****"
    assert mask_id_number(None) == ""


def test_the_foi_screens_and_the_review_masking_share_the_format():
    from gongkai.checks.text import mask_value
    from gongkai.core import crypto

    assert not hasattr(crypto, "mask_phone")
    assert not hasattr(crypto, "mask_id_number")
    assert mask_value("mobile", "13812341234") == mask_phone("13812341234") == "138****1234"
    assert (
        mask_value("id_card", "350203199003010123")
        == mask_id_number("350203199003010123")
        == "35*************123"
    )


def test_mask_name_email_and_address():
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳娜娜") == "欧***"
    assert mask_email("zhangsan@example.cn") == "z*******@example.cn"
    assert mask_address("浙江省杭州市西湖区文三路1号") == "浙江省杭州市****"
    assert mask_address("") == ""


def test_chinese_date_has_no_zero_padding():
    assert chinese_date(datetime.date(2025, 3, 1)) == "2025年3月1日"
    assert chinese_date(datetime.date(2025, 12, 31)) == "2025年12月31日"
    assert chinese_date(datetime.date(2026, 2, 14), weekday=True) == "2026年2月14日（星期六）"


def test_template_filters_write_the_same_forms():
    from django.template import Context, Template

    template = Template(
        "{% load gongkai_text %}{{ d|chinese_date }}|{{ none|chinese_date }}|"
        "{{ phone|mask_phone }}|{{ id|mask_id_number }}"
    )
    context = Context(
        {
            "d": datetime.date(2025, 3, 1),
            "none": None,
            "phone": "13812341234",
            "id": "350203199003010123",
        }
    )
    assert template.render(context) == "2025年3月1日||138****1234|35*************123"
