"""Photos taken in the shop (a technician's finding): whatever the phone sent is decoded, turned
upright by its EXIF orientation, scaled to at most 1600 px, and written out afresh as a JPEG with
no metadata at all (no EXIF, no GPS, no XMP, no comment, no colour profile) before it is kept.

The work is done before the transaction opens (``clean`` is the route's ``prepare``), at most two
at a time, and refuses what is not a photo: an unknown format, a file that does not decode, a
picture of more pixels than any phone camera takes (a decompression bomb) — each a 422 in words.
"""

from __future__ import annotations

import threading
import warnings
from dataclasses import dataclass
from io import BytesIO

from PIL import Image, ImageOps, UnidentifiedImageError

from board.context import Ctx
from board.db.models import Photo
from board.errors import InvalidInput, TooLarge

MAX_UPLOAD_BYTES = 8_000_000  # what a phone's camera writes, with room to spare
MAX_SIDE = 1600  # px, the longer side once kept
MAX_PIXELS = 50_000_000  # a JPEG is decoded scaled down (draft mode): a 50 MP photo costs little
MAX_PIXELS_OTHER = 24_000_000  # PNG and WebP are decoded whole: 24 MP × 4 bytes is about 100 MB
FORMATS = ("JPEG", "PNG", "WEBP")  # what phones' browsers send (a JPEG may open as MPO); nothing else is even parsed
QUALITY = 82
MEDIA_TYPE = "image/jpeg"
_DECODING = threading.BoundedSemaphore(2)  # a burst of uploads queues here instead of filling memory


@dataclass(frozen=True)
class CleanPhoto:
    content: bytes
    width: int
    height: int


def _refuse(reason: str) -> InvalidInput:
    return InvalidInput.one("photo", reason)


def clean(data: bytes, _settings: object = None) -> CleanPhoto:
    """The upload as a clean JPEG of at most MAX_SIDE px, or a 413/422 that says why not."""
    if not isinstance(data, bytes) or not data:
        raise _refuse("send the photo itself (a JPEG, PNG or WebP file) as the request body")
    if len(data) > MAX_UPLOAD_BYTES:
        raise TooLarge(MAX_UPLOAD_BYTES, "photo")
    with _DECODING, warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            return _reencode(data)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise _refuse("has more pixels than any camera photo; it was not opened") from exc
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as exc:
            raise _refuse("is not a photo this board can read (JPEG, PNG or WebP)") from exc


def _reencode(data: bytes) -> CleanPhoto:
    with Image.open(BytesIO(data), formats=FORMATS) as im:
        width, height = im.size
        limit = MAX_PIXELS if im.format in ("JPEG", "MPO") else MAX_PIXELS_OTHER
        if width < 1 or height < 1 or width * height > limit:
            raise Image.DecompressionBombError(f"{width}x{height}")
        if im.format in ("JPEG", "MPO"):  # decode at 1/2, 1/4 or 1/8 scale when that still covers the target
            scale = min(1.0, MAX_SIDE / max(width, height))
            im.draft("RGB", (max(1, int(width * scale)), max(1, int(height * scale))))
        im.load()
        upright = ImageOps.exif_transpose(im)
        if upright.mode not in ("RGB", "L"):
            upright = _flatten(upright)
        upright.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
        # A new image holds the pixels only: nothing of the original's info (EXIF, GPS, XMP, comment,
        # ICC profile) can travel with it into the file written below.
        bare = Image.new(upright.mode, upright.size)
        bare.paste(upright)
    out = BytesIO()
    bare.convert("RGB").save(out, "JPEG", quality=QUALITY, optimize=True)
    return CleanPhoto(out.getvalue(), bare.width, bare.height)


def _flatten(im: Image.Image) -> Image.Image:
    """Transparency on white (a screenshot), any other mode as RGB."""
    rgba = im.convert("RGBA")
    white = Image.new("RGB", rgba.size, (255, 255, 255))
    white.paste(rgba, mask=rgba.getchannel("A"))
    return white


def store(ctx: Ctx, photo: CleanPhoto) -> Photo:
    row = Photo(shop_id=ctx.shop.id, media_type=MEDIA_TYPE, content=photo.content, width=photo.width, height=photo.height,
                created_at=ctx.now)
    ctx.session.add(row)
    ctx.session.flush()
    return row
