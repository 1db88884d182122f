"""Small copies of training photos for the pages that list them.

A photo taken on a phone is several megabytes; a list of a class's photos shows each in a
square a few hundred pixels wide. The server keeps a JPEG thumbnail beside each photo (made
when the photo arrives, or on first request for photos stored before thumbnails were kept)
and the lists load that, not the original.
"""

import io
import logging
import warnings

from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

from .models import SessionPhoto

logger = logging.getLogger(__name__)

THUMBNAIL_SIDE = 480  # px, the long side: sharp in a ~7rem square on a dense phone screen
THUMBNAIL_QUALITY = 80
# A photo the phone did not shrink is at most ~50 MP (a 4000×3000 shot is 12); anything larger
# is refused rather than unpacked (a decompression bomb).
MAX_PIXELS = 50_000_000


def thumbnail_bytes(handle) -> bytes:
    """A JPEG no larger than THUMBNAIL_SIDE on its long side, upright (EXIF orientation), with
    no metadata kept (no GPS position of the photo leaves through it)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        Image.MAX_IMAGE_PIXELS = MAX_PIXELS
        with Image.open(handle) as image:
            image.draft("RGB", (THUMBNAIL_SIDE * 2, THUMBNAIL_SIDE * 2))  # JPEG: decode smaller
            image = ImageOps.exif_transpose(image)
            image.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE), Image.Resampling.LANCZOS)
            if image.mode != "RGB":
                image = image.convert("RGB")
            out = io.BytesIO()
            image.save(out, "JPEG", quality=THUMBNAIL_QUALITY, optimize=True)
    return out.getvalue()


def photo_thumbnail_make(*, photo: SessionPhoto) -> bool:
    """Make and store the photo's thumbnail; False (logged) if the image cannot be read."""
    try:
        with photo.file.open("rb") as handle:
            data = thumbnail_bytes(handle)
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError, Warning, ValueError):
        logger.warning("no thumbnail for training photo %s", photo.pk, exc_info=True)
        return False
    photo.thumbnail.save("thumb.jpg", ContentFile(data), save=False)
    SessionPhoto.objects.filter(pk=photo.pk).update(thumbnail=photo.thumbnail.name)
    return True
