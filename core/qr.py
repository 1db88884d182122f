"""QR codes drawn as inline SVG (no image files, no external service): the one QR helper."""

import qrcode
import qrcode.image.svg
from django.utils.safestring import SafeString, mark_safe


def qr_svg(text: str, *, css_class: str = "", as_image: bool = False) -> SafeString:
    """`text` (a URL of ours) as inline SVG. `as_image` marks it role="img" for a page that
    does not already wrap it in a labelled element."""
    image = qrcode.make(
        text,
        image_factory=qrcode.image.svg.SvgPathImage,
        box_size=10,
        border=2,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
    )
    svg = image.to_string(encoding="unicode")
    attributes = ('role="img" ' if as_image else "") + (
        f'class="{css_class}" ' if css_class else ""
    )
    if attributes:
        svg = svg.replace("<svg ", f"<svg {attributes}", 1)
    # The SVG is drawn by the qrcode library from our own URL; the attributes are our constants.
    return mark_safe(svg)  # noqa: S308
