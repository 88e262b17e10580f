"""The 政府信息公开工作机构 block of an organisation's 公开指南, built from its data.

条例第十二条第一款: 政府信息公开指南包括……政府信息公开工作机构的名称、办公地址、办公时间、联系电话、
传真号码、互联网联系方式等内容. Pure functions over an Organisation; no queries.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .models import Organisation

# The fields the 管理员 edits on the back office's 公开指南 form, in the order of Art. 12.
OGI_OFFICE_FIELDS = (
    "ogi_office_name",
    "ogi_address",
    "ogi_postcode",
    "ogi_office_hours",
    "ogi_phone",
    "ogi_fax",
    "ogi_email",
    "ogi_website",
)


@dataclass(frozen=True)
class ContactLine:
    label: str
    value: str
    href: str = ""


def ogi_office_contacts(org: Organisation) -> list[ContactLine]:
    """The office's name, address, hours, phone, fax and internet contact (Art. 12).

    A blank office field falls back to the organisation's own contact, because most offices sit
    in their organisation's building and answer its switchboard; lines still blank are left out.
    """

    def pick(own: str, fallback: str) -> str:
        return (own or fallback or "").strip()

    address = pick(org.ogi_address, org.address)
    postcode = pick(org.ogi_postcode, org.postcode)
    if address and postcode:
        address = _("%(address)s（邮政编码%(postcode)s）") % {
            "address": address,
            "postcode": postcode,
        }
    email = pick(org.ogi_email, org.email)
    lines = [
        ContactLine(_("工作机构名称"), pick(org.ogi_office_name, org.name)),
        ContactLine(_("办公地址"), address),
        ContactLine(_("办公时间"), pick(org.ogi_office_hours, org.office_hours)),
        ContactLine(_("联系电话"), pick(org.ogi_phone, org.phone)),
        ContactLine(_("传真号码"), pick(org.ogi_fax, org.fax)),
        ContactLine(_("电子邮箱"), email, f"mailto:{email}" if email else ""),
        ContactLine(_("互联网联系方式"), org.ogi_website.strip(), org.ogi_website.strip()),
    ]
    return [line for line in lines if line.value]
