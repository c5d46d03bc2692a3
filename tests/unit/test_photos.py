"""A photo from the shop floor is kept clean: upright, at most 1600 px, a JPEG written from the pixels
alone; anything that is not a photo, or is a bomb, is refused in words before it costs memory."""

from __future__ import annotations

from io import BytesIO

import pytest
from PIL import Image

from board.errors import InvalidInput, TooLarge
from board.services.photos import MAX_SIDE, MAX_UPLOAD_BYTES, clean


def encoded(image: Image.Image, fmt: str, **kw: object) -> bytes:
    out = BytesIO()
    image.save(out, fmt, **kw)
    return out.getvalue()


def located(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif.get_ifd(0x8825).update({1: "N", 2: (23.0, 7.0, 30.0), 3: "E", 4: (113.0, 19.0, 12.0)})
    return exif


def kept(data: bytes) -> Image.Image:
    return Image.open(BytesIO(clean(data).content))


@pytest.mark.parametrize(("orientation", "size"), [(1, (1600, 1200)), (3, (1600, 1200)), (6, (1200, 1600)), (8, (1200, 1600))])
def test_a_big_jpeg_is_turned_upright_scaled_down_and_stripped(orientation, size):
    image = Image.new("RGB", (4000, 3000), (20, 20, 20))
    image.paste((250, 250, 250), (0, 0, 400, 300))  # a light corner: where it lands shows the turn
    photo = kept(encoded(image, "JPEG", exif=located(orientation), comment=b"home address"))
    assert photo.format == "JPEG" and photo.size == size
    assert not photo.getexif() and not {"exif", "xmp", "comment", "icc_profile"} & set(photo.info)
    corner = {1: (5, 5), 3: (size[0] - 5, size[1] - 5), 6: (size[0] - 5, 5), 8: (5, size[1] - 5)}[orientation]
    assert photo.getpixel(corner)[0] > 200


def test_a_small_photo_is_not_enlarged_and_a_screenshot_loses_its_transparency_on_white():
    png = Image.new("RGBA", (300, 200), (0, 0, 0, 0))
    photo = kept(encoded(png, "PNG"))
    assert photo.size == (300, 200) and photo.mode == "RGB" and photo.getpixel((10, 10))[0] > 240


def test_webp_with_its_location_is_kept_as_a_clean_jpeg():
    photo = kept(encoded(Image.new("RGB", (2000, 2000), (1, 2, 3)), "WEBP", exif=located()))
    assert photo.format == "JPEG" and photo.size == (MAX_SIDE, MAX_SIDE) and not photo.getexif()


@pytest.mark.parametrize("data", [b"", b"hello", encoded(Image.new("RGB", (64, 64)), "JPEG")[:100], encoded(Image.new("RGB", (8, 8)), "BMP"),
                                  encoded(Image.new("RGB", (8, 8)), "TIFF")])
def test_what_is_not_a_photo_is_refused_on_the_photo_field(data):
    with pytest.raises(InvalidInput) as refused:
        clean(data)
    assert refused.value.problems[0].field == "photo"


def test_bombs_are_refused_unopened_and_big_files_by_their_size():
    with pytest.raises(InvalidInput, match="more pixels"):
        clean(encoded(Image.new("1", (10_000, 10_000)), "PNG"))  # 100 MP of PNG, a few kilobytes
    with pytest.raises(InvalidInput, match="more pixels"):
        clean(encoded(Image.new("1", (15_000, 15_000)), "PNG"))  # past even Pillow's own error
    with pytest.raises(TooLarge):
        clean(b"\xff\xd8" + b"\x00" * MAX_UPLOAD_BYTES)
