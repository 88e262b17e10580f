"""The agency tree, staff roles scoped to organisations, and public accounts."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    """A government, a department or another body that discloses information in its own name."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("人民政府")
        DEPARTMENT = "department", _("政府部门")
        OTHER = "other", _("其他机构")

    code = models.CharField(
        _("机构代码"),
        max_length=32,
        unique=True,
        help_text=_("统一社会信用代码、组织机构代码或本地编码；用作索引号前段码。"),
    )
    name = models.CharField(_("机构名称"), max_length=200)
    short_name = models.CharField(_("简称"), max_length=60, blank=True)
    kind = models.CharField(_("机构类型"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    address = models.CharField(_("办公地址"), max_length=300, blank=True)
    office_hours = models.CharField(_("办公时间"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=60, blank=True)
    fax = models.CharField(_("传真"), max_length=60, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    postcode = models.CharField(_("邮政编码"), max_length=10, blank=True)
    # 政府信息公开工作机构 (条例第十二条: the 公开指南 names the office, its address, hours, phone,
    # fax and internet contact); blank fields fall back to the organisation's own contacts.
    ogi_office_name = models.CharField(_("政府信息公开工作机构名称"), max_length=200, blank=True)
    ogi_address = models.CharField(_("公开工作机构办公地址"), max_length=300, blank=True)
    ogi_office_hours = models.CharField(_("公开工作机构办公时间"), max_length=200, blank=True)
    ogi_phone = models.CharField(_("公开工作机构联系电话"), max_length=60, blank=True)
    ogi_fax = models.CharField(_("公开工作机构传真"), max_length=60, blank=True)
    ogi_postcode = models.CharField(_("公开工作机构邮政编码"), max_length=10, blank=True)
    ogi_email = models.EmailField(_("公开工作机构电子邮箱"), blank=True)
    ogi_website = models.URLField(
        _("互联网联系方式"),
        blank=True,
        help_text=_("在线申请或咨询的网址，如本平台依申请公开页面的完整地址。"),
    )
    leaders = models.TextField(_("负责人"), blank=True, help_text=_("每行一位：姓名 职务 分工"))
    functions = models.TextField(_("主要职能"), blank=True)
    index_number_format = models.CharField(
        _("索引号格式"),
        max_length=80,
        default="{code}/{yyyy}-{serial:05d}",
        help_text=_("可用占位符：{code} 机构代码，{yyyy} 年份，{mm} 月份，{serial} 流水号。"),
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=100)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class InternalUnit(models.Model):
    """A 科室 (internal unit) of an organisation; answers Q&A and drafts items."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("所属机构"), on_delete=models.CASCADE, related_name="units"
    )
    name = models.CharField(_("科室名称"), max_length=120)
    phone = models.CharField(_("联系电话"), max_length=60, blank=True)
    functions = models.TextField(_("职责"), blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=100)

    class Meta:
        verbose_name = _("内设机构（科室）")
        verbose_name_plural = _("内设机构（科室）")
        ordering = ["organisation", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="unit_unique_per_org")
        ]

    def __str__(self) -> str:
        return f"{self.organisation.short_name or self.organisation.name} {self.name}"


class User(AbstractUser):
    """Staff and public accounts share one table; `kind` says which world the account lives in."""

    class Kind(models.TextChoices):
        STAFF = "staff", _("工作人员")
        PUBLIC = "public", _("公众用户")

    class ApplicantType(models.TextChoices):
        NATURAL = "natural", _("自然人")
        BUSINESS = "business", _("商业企业")
        RESEARCH = "research", _("科研机构")
        NONPROFIT = "nonprofit", _("社会公益组织")
        LEGAL_SERVICE = "legal_service", _("法律服务机构")
        OTHER = "other", _("其他")

    kind = models.CharField(_("账号类型"), max_length=10, choices=Kind.choices, default=Kind.PUBLIC)
    display_name = models.CharField(_("姓名/名称"), max_length=150, blank=True)
    phone = models.CharField(_("手机号码"), max_length=20, blank=True)
    applicant_type = models.CharField(
        _("申请人类型"),
        max_length=20,
        choices=ApplicantType.choices,
        default=ApplicantType.NATURAL,
    )
    organisation_name = models.CharField(_("单位名称"), max_length=200, blank=True)
    unit = models.ForeignKey(
        InternalUnit,
        verbose_name=_("所在科室"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )

    # 定期更换 (GONGKAI_STAFF_PASSWORD_MAX_AGE_DAYS): set by every password change.
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)
    # A temporary password given by a 政务公开管理员 (``staff_password_reset_by_admin``): the
    # account reaches nothing but the password change page until its owner picks their own.
    password_must_change = models.BooleanField(_("须修改临时密码"), default=False)
    # AbstractUser's field, renamed so the audit trail reads 停用/启用 of an account plainly.
    is_active = models.BooleanField(
        _("账号启用"),
        default=True,
        help_text=_("停用的账号不能登录；停用而不删除，历史记录仍指向该账号。"),
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def set_password(self, raw_password: str | None) -> None:
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    def get_full_name(self) -> str:
        return self.display_name or super().get_full_name() or self.username

    @property
    def is_public_account(self) -> bool:
        return self.kind == self.Kind.PUBLIC

    @property
    def is_legal_person(self) -> bool:
        return self.applicant_type != self.ApplicantType.NATURAL


class Role(models.TextChoices):
    EDITOR = "editor", _("编辑")
    REVIEWER = "reviewer", _("审核人")
    FOI_HANDLER = "foi_handler", _("依申请公开经办人")
    ADMIN = "admin", _("政务公开管理员")


class RoleAssignment(models.Model):
    """A staff role held in one organisation (and, if chosen, every organisation below it)."""

    user = models.ForeignKey(
        User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="roles"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("机构"), on_delete=models.CASCADE, related_name="roles"
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    review_level = models.PositiveSmallIntegerField(
        _("审核级别"), default=0, help_text=_("审核人适用：1 初审，2 复审，3 终审；其他角色为 0。")
    )
    include_descendants = models.BooleanField(_("含下级机构"), default=False)

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role", "review_level"],
                name="role_assignment_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} · {self.get_role_display()}"
