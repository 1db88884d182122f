"""Writes to the administrative tree."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.text import search_key

from .models import Area, Kind, Level


@transaction.atomic
def residential_group_create(*, ward: Area, name: str, kind: str = Kind.RESIDENTIAL_GROUP) -> Area:
    """Add a residential group (tổ dân phố) or village (thôn) below a ward of either era."""
    if ward.level != Level.WARD:
        raise ValidationError(_("Chỉ thêm tổ dân phố/thôn vào một phường/xã."))
    if kind not in (Kind.RESIDENTIAL_GROUP, Kind.VILLAGE):
        raise ValidationError(_("Loại đơn vị không hợp lệ."))
    name = " ".join(name.split())
    if not name:
        raise ValidationError(_("Hãy nhập tên tổ dân phố/thôn."))
    ward = Area.objects.select_for_update().get(pk=ward.pk)
    siblings = Area.objects.filter(path__startswith=ward.path, depth=ward.depth + 1)
    if siblings.filter(search_key=search_key(name)).exists():
        raise ValidationError(_("%(ward)s đã có “%(name)s”.") % {"ward": ward.name, "name": name})
    code = f"{ward.code}-{ward.numchild + 1:03d}"
    try:
        return Area.objects.add_child(
            ward,
            instance=Area(
                code=code,
                era=ward.era,
                level=Level.GROUP,
                kind=kind,
                name=name,
                valid_from=ward.valid_from,
                valid_to=ward.valid_to,
            ),
        )
    except IntegrityError as error:
        raise ValidationError(
            _("Không thể thêm: mã %(code)s đã tồn tại.") % {"code": code}
        ) from error
