"""The check-in QR code, drawn as inline SVG (no image files, no external service)."""

import qrcode
import qrcode.image.svg
from django.utils.safestring import SafeString, mark_safe


def qr_svg(text: str) -> SafeString:
    image = qrcode.make(
        text,
        image_factory=qrcode.image.svg.SvgPathImage,
        box_size=10,
        border=2,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
    )
    svg = image.to_string(encoding="unicode")
    # The SVG is generated from our own URL by the qrcode library, never from user input.
    return mark_safe(svg)  # noqa: S308
