"""Writes of the review context; each one is atomic and leaves an audit row."""

from __future__ import annotations

from typing import Any

# --------------------------------------------------------------------------------------------
# 我为政府网站找错
# --------------------------------------------------------------------------------------------


def item_mask_personal_data(*, item: Any, acting_user: Any) -> list[str]:
    """One-click masking on an information item: ID, bank-card and mobile numbers and e-mail
    addresses in the title, summary and body are replaced by their masked forms (rules note
    §5.6, 去标识化). Saved through the catalogue's own update service (role check, audit row).
    Returns the names of the fields that changed. Attachments cannot be rewritten: their
    findings stay until the file is replaced."""
    from gongkai.catalogue.services import item_update
    from gongkai.checks.text import mask, mask_html, privacy_findings

    data: dict[str, str] = {}
    for name in ("title", "summary"):
        value = getattr(item, name) or ""
        masked = mask(value, privacy_findings(value))
        if masked != value:
            data[name] = masked
    body = item.body or ""
    masked_body = mask_html(body)
    if masked_body != body:
        data["body"] = masked_body
    if data:
        item_update(item=item, data=data, acting_user=acting_user)
    return sorted(data)


# --------------------------------------------------------------------------------------------
# 条例第十八条: 定期评估审查 of items marked 依申请公开 / 不予公开
# --------------------------------------------------------------------------------------------


# --------------------------------------------------------------------------------------------
# 条例第二十条: which columns carry each kind (网站自查 configuration)
# --------------------------------------------------------------------------------------------
