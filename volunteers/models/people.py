"""Who: users, their roles at areas, and community digital technology teams."""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from areas.models import Area, Level
from core.phones import normalize_phone
from core.privacy import privacy_check


class Role(models.TextChoices):
    VOLUNTEER = "volunteer", _("Tình nguyện viên")
    TEAM_LEADER = "team_leader", _("Tổ trưởng tổ CNS")
    WARD_COORDINATOR = "ward_coordinator", _("Cán bộ phường/xã")
    DISTRICT_UNION = "district_union", _("Quận/huyện đoàn")
    CITY_UNION = "city_union", _("Thành đoàn")
    ADMIN = "admin", _("Quản trị")


# Higher rank sees more; a user's home page is that of their highest role.
ROLE_RANK = {
    Role.VOLUNTEER: 1,
    Role.TEAM_LEADER: 2,
    Role.WARD_COORDINATOR: 3,
    Role.DISTRICT_UNION: 4,
    Role.CITY_UNION: 5,
    Role.ADMIN: 6,
}
FIELD_ROLES = frozenset({Role.VOLUNTEER, Role.TEAM_LEADER})
COORDINATOR_ROLES = frozenset(
    {Role.WARD_COORDINATOR, Role.DISTRICT_UNION, Role.CITY_UNION, Role.ADMIN}
)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username: str) -> "User":
        """Log in by email or by phone, however the phone was typed."""
        username = (username or "").strip()
        if "@" in username:
            return self.get(email__iexact=username)
        try:
            return self.get(phone=normalize_phone(username))
        except Exception as error:
            raise self.model.DoesNotExist from error

    def create_user(
        self, email: str | None = None, password: str | None = None, **fields
    ) -> "User":
        user = self.model(email=self.normalize_email(email) or None, **fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_superuser(
        self, email: str | None = None, password: str | None = None, **fields
    ) -> "User":
        """An administrator who signs in with the email or the phone given (`createsuperuser`
        asks for both; one is enough) and a password, which is required."""
        fields.setdefault("full_name", "Quản trị")
        if not (email or fields.get("phone")):
            raise ValueError(_("Quản trị viên cần email hoặc số điện thoại để đăng nhập."))
        if not password:
            raise ValueError(_("Quản trị viên cần mật khẩu để đăng nhập."))
        return self.create_user(email, password, is_staff=True, is_superuser=True, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("email"), unique=True, null=True, blank=True)
    phone = models.CharField(_("số điện thoại"), max_length=16, unique=True, null=True, blank=True)
    full_name = models.CharField(_("họ và tên"), max_length=150, validators=[privacy_check])
    preferred_language = models.CharField(
        _("ngôn ngữ"), max_length=8, choices=settings.LANGUAGES, default="vi"
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    is_staff = models.BooleanField(_("vào trang quản trị"), default=False)
    date_joined = models.DateTimeField(_("ngày tham gia"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    # createsuperuser asks for these too; the phone may be left empty (the email signs in).
    REQUIRED_FIELDS = ["full_name", "phone"]

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        constraints = [
            models.CheckConstraint(
                condition=Q(email__isnull=False) | Q(phone__isnull=False),
                name="user_has_email_or_phone",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email or self.phone or str(self.pk)

    def clean(self) -> None:
        super().clean()
        self.email = self.email.strip().lower() if self.email else None
        self.phone = normalize_phone(self.phone) if self.phone else None

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split()[-1] if self.full_name else str(self)


class Team(models.Model):
    """A community digital technology team (tổ công nghệ số cộng đồng) of a ward."""

    name = models.CharField(_("tên tổ"), max_length=150, validators=[privacy_check])
    ward = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        related_name="teams",
        verbose_name=_("phường/xã"),
        limit_choices_to={"level": Level.WARD},
    )
    residential_group = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        related_name="serving_teams",
        verbose_name=_("tổ dân phố phụ trách"),
        null=True,
        blank=True,
        limit_choices_to={"level": Level.GROUP},
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    created_at = models.DateTimeField(_("ngày lập"), auto_now_add=True)

    class Meta:
        verbose_name = _("tổ công nghệ số cộng đồng")
        verbose_name_plural = _("tổ công nghệ số cộng đồng")
        constraints = [
            models.UniqueConstraint(fields=["ward", "name"], name="team_name_unique_per_ward"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def area(self) -> Area:
        return self.residential_group or self.ward


class MembershipQuerySet(models.QuerySet):
    def active(self) -> "MembershipQuerySet":
        return self.filter(is_active=True, user__is_active=True)


class Membership(models.Model):
    """A role a user holds at an area. A user may hold several."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("người dùng"),
    )
    role = models.CharField(_("vai trò"), max_length=24, choices=Role.choices)
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("địa bàn")
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.SET_NULL,
        related_name="memberships",
        verbose_name=_("tổ"),
        null=True,
        blank=True,
    )
    is_active = models.BooleanField(_("còn hiệu lực"), default=True)
    created_at = models.DateTimeField(_("ngày giao"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("vai trò tại địa bàn")
        verbose_name_plural = _("vai trò tại địa bàn")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "area"], name="membership_unique_role_area"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.area}"


class AccountClaim(models.Model):
    """A one-time code with which the owner of a pre-added account sets its first password.

    Generated for one account, shown once to the coordinator who hands it over in person; only
    its keyed hash is stored. Typing an account's phone number never claims it.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="claims",
        verbose_name=_("tài khoản"),
    )
    code_hash = models.CharField(_("mã (đã băm)"), max_length=128, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("người tạo"),
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    used_at = models.DateTimeField(_("đã dùng lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("mã nhận tài khoản")
        verbose_name_plural = _("mã nhận tài khoản")

    def __str__(self) -> str:
        return f"{self.user} — {self.expires_at:%Y-%m-%d}"


class RoleInvitation(models.Model):
    """A role offered to an existing account, which its owner accepts once signed in.

    A coordinator who adds a volunteer whose phone already has an account neither sees that
    account nor changes it: the person decides.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="role_invitations",
        verbose_name=_("người được mời"),
    )
    role = models.CharField(_("vai trò"), max_length=24, choices=Role.choices)
    area = models.ForeignKey(
        Area, on_delete=models.CASCADE, related_name="role_invitations", verbose_name=_("địa bàn")
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_invitations",
        verbose_name=_("tổ"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("người mời"),
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    accepted_at = models.DateTimeField(_("nhận lúc"), null=True, blank=True)
    declined_at = models.DateTimeField(_("từ chối lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("lời mời nhận vai trò")
        verbose_name_plural = _("lời mời nhận vai trò")

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.area}"

    @property
    def is_pending(self) -> bool:
        return (
            self.accepted_at is None
            and self.declined_at is None
            and self.expires_at > timezone.now()
        )


# The coordinator workspace's models (invitations, assignments, import/export jobs).
