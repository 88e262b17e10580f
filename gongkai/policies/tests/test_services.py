"""Interpretation and Q&A services (validation, permissions, audit); the staff pages are tested
in staff/tests/test_policy_pages.py."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from gongkai.accounts.models import Role
from gongkai.core.models import AuditEntry
from gongkai.core.status import ContentStatus
from gongkai.policies import services
from gongkai.policies.models import Interpretation
from gongkai.review.testing import mark_approved

pytestmark = pytest.mark.django_db


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (164, 22, 26)).save(buffer, format="PNG")
    return buffer.getvalue()


PNG = _png()


def audit_actions(obj) -> list[str]:
    return list(
        AuditEntry.objects.filter(target_type=obj._meta.label_lower, target_id=str(obj.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_interpretation_create_link_publish_with_audit(world, make_staff):
    editor = make_staff(Role.EDITOR, world.finance)
    obj = services.interpretation_create(
        organisation=world.finance,
        title="学生资助实施办法解读",
        body="<p>解读</p><script>alert(1)</script><p onclick='x()'>二</p>",
        policies=[world.p7],
        acting_user=editor,
    )
    assert obj.status == ContentStatus.DRAFT
    assert obj.body == "<p>解读</p><p>二</p>"
    assert obj.body_text == "解读\n二"
    assert list(obj.policies.all()) == [world.p7]
    services.interpretation_link(
        interpretation=obj, policies=[world.p5, world.p7], acting_user=editor
    )
    assert set(obj.policies.all()) == {world.p5, world.p7}
    mark_approved(obj)
    services.interpretation_publish(interpretation=obj, acting_user=editor)
    obj.refresh_from_db()
    assert obj.status == ContentStatus.PUBLISHED
    assert obj.published_date is not None
    assert audit_actions(obj) == ["create", "edit", "publish"]
    entry = AuditEntry.objects.filter(target_id=str(obj.pk), action="edit").get()
    assert entry.detail == {
        "policies_before": [world.p7.pk],
        "policies_after": sorted([world.p5.pk, world.p7.pk]),
    }


def test_interpretation_rules_and_nothing_saved_on_error(world, make_staff):
    editor = make_staff(Role.EDITOR, world.office)
    before = Interpretation.objects.count()
    with pytest.raises(ValidationError, match="图解解读需要上传图解图片。") as exc:
        services.interpretation_create(
            organisation=world.office, title="图解", form="graphic", acting_user=editor
        )
    assert exc.value.message_dict == {"image": ["图解解读需要上传图解图片。"]}
    with pytest.raises(ValidationError, match="上传图片时必须填写图片文字说明。") as exc:
        services.interpretation_create(
            organisation=world.office, title="图解", form="graphic",
            image=SimpleUploadedFile("a.png", PNG, content_type="image/png"),
            acting_user=editor,
        )  # fmt: skip
    assert exc.value.message_dict == {"image_alt": ["上传图片时必须填写图片文字说明。"]}
    with pytest.raises(ValidationError, match="视频解读需要填写视频链接。") as exc:
        services.interpretation_create(
            organisation=world.office, title="视频", form="video", acting_user=editor
        )
    assert exc.value.message_dict == {"video_url": ["视频解读需要填写视频链接。"]}
    with pytest.raises(
        ValidationError,
        match=(
            "“市政府办公厅召开助企纾困工作会议”（"
            "索引号 113301000024900001/2025-00004）不是政策文件，不能关联解读。"
        ),
    ) as exc:
        services.interpretation_create(
            organisation=world.office, title="解读", body="<p>x</p>", policies=[world.x1],
            acting_user=editor,
        )  # fmt: skip
    assert "不是政策文件" in exc.value.message_dict["policies"][0]
    with pytest.raises(PermissionDenied, match="您没有在“杭东市财政局”办理此项操作的权限。"):
        services.interpretation_create(
            organisation=world.finance, title="越权", body="<p>x</p>", acting_user=editor
        )
    assert Interpretation.objects.count() == before
    assert not AuditEntry.objects.filter(target_type="policies.interpretation").exists()


def test_publish_needs_a_role_in_the_organisation(world, make_staff):
    other = make_staff(Role.EDITOR, world.finance)
    foi = make_staff(Role.FOI_HANDLER, world.office)
    for user in (other, foi):
        with pytest.raises(
            PermissionDenied, match="您没有在“杭东市人民政府办公厅”办理此项操作的权限。"
        ):
            services.interpretation_publish(interpretation=world.i2, acting_user=user)
    world.i2.refresh_from_db()
    assert world.i2.status == ContentStatus.DRAFT
    reviewer = make_staff(Role.REVIEWER, world.office)
    mark_approved(world.i2)
    services.interpretation_publish(interpretation=world.i2, acting_user=reviewer)
    assert world.i2.status == ContentStatus.PUBLISHED
    with pytest.raises(ValidationError, match="该解读已经发布。"):
        services.interpretation_publish(interpretation=world.i2, acting_user=reviewer)


def test_qa_create_update_publish(world, make_staff):
    editor = make_staff(Role.EDITOR, world.office)
    with pytest.raises(ValidationError, match="答复科室必须属于答复机构。") as exc:
        services.qa_create(
            organisation=world.finance, question="问", answer="答", unit=world.unit,
            acting_user=make_staff(Role.EDITOR, world.finance),
        )  # fmt: skip
    assert exc.value.message_dict == {"unit": ["答复科室必须属于答复机构。"]}
    entry = services.qa_create(
        organisation=world.office, unit=world.unit, question=" 申请条件是什么？ ",
        answer="符合条件的企业均可申请。", policy=world.p2, contact_phone="0571-8700001",
        acting_user=editor,
    )  # fmt: skip
    assert entry.question == "申请条件是什么？"
    assert entry.answer == "<p>符合条件的企业均可申请。</p>"
    services.qa_update(entry=entry, contact_phone="0571-8700009", acting_user=editor)
    mark_approved(entry)
    services.qa_publish(entry=entry, acting_user=editor)
    entry.refresh_from_db()
    assert entry.contact_phone == "0571-8700009"
    assert entry.status == ContentStatus.PUBLISHED
    assert audit_actions(entry) == ["create", "edit", "publish"]


# --- staff pages ----------------------------------------------------------------------------
