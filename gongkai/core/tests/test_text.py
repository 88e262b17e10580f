from gongkai.core.text import mask_email, mask_id_number, mask_name, mask_phone


def test_mask_phone():
    assert mask_phone("13912345678") == "139****5678"
    assert mask_phone("+86 139-1234-5678") == "139****5678"
    assert mask_phone("0571-87051001") == "********1001"  # 12 digits once the hyphen goes
    assert mask_phone("") == ""


def test_mask_id_number_keeps_region_and_last_four():
    assert mask_id_number("330106199001011234") == "330106********1234"
    assert mask_id_number(None) == ""


def test_mask_name_and_email():
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳娜娜") == "欧***"
    assert mask_email("zhangsan@example.cn") == "z*******@example.cn"
