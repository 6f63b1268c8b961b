"""Draws TrackMyRead's icons and link-preview image into assets/.

    python scripts/make_assets.py          # rewrite assets/ (outputs are committed)
    python scripts/make_assets.py --check  # exit 1 if a committed file differs

The mark is a few shapes on a 512×512 grid (an open book with a check mark on
an indigo tile, Radix "indigo 9" like the app's accent). The same shapes are
written as SVG (favicon.svg, logo.svg: crisp at any size) and painted with
Pillow at 4× and scaled down (PNG/ICO: antialiased), so the two never drift
apart. Pillow is already a dependency; cairosvg would need the system's cairo.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[1]
ASSETS = ROOT / "assets"
INDIGO = "#3E63DD"  # Radix indigo 9 (rxconfig: accent_color="indigo")
PAGE = "#FFFFFF"
INK = "#1F2D5C"  # Radix indigo 12: the check mark
DARK = "#111113"  # Radix slate 1, dark: the OG card's background
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
SUPERSAMPLE = 4

# The mark on a 512 grid: two pages of an open book and a check mark on the right page.
LEFT_PAGE = [(92, 154), (244, 182), (244, 396), (92, 366)]
RIGHT_PAGE = [(268, 182), (420, 154), (420, 366), (268, 396)]
CHECK = [(300, 282), (334, 318), (392, 246)]
CHECK_WIDTH = 26
TILE_RADIUS = 112


def svg(*, tile_radius: int = TILE_RADIUS) -> str:
    def points(shape: list[tuple[int, int]]) -> str:
        return " ".join(f"{x},{y}" for x, y in shape)

    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512" role="img" aria-label="TrackMyRead">\n'
        f'  <rect width="512" height="512" rx="{tile_radius}" fill="{INDIGO}"/>\n'
        f'  <polygon points="{points(LEFT_PAGE)}" fill="{PAGE}"/>\n'
        f'  <polygon points="{points(RIGHT_PAGE)}" fill="{PAGE}"/>\n'
        f'  <polyline points="{points(CHECK)}" fill="none" stroke="{INK}" stroke-width="{CHECK_WIDTH}"'
        ' stroke-linecap="round" stroke-linejoin="round"/>\n'
        "</svg>\n"
    )


def _paint_mark(draw: ImageDraw.ImageDraw, *, origin: tuple[float, float], scale: float) -> None:
    def place(shape: list[tuple[int, int]]) -> list[tuple[float, float]]:
        return [(origin[0] + x * scale, origin[1] + y * scale) for x, y in shape]

    draw.polygon(place(LEFT_PAGE), fill=PAGE)
    draw.polygon(place(RIGHT_PAGE), fill=PAGE)
    width = round(CHECK_WIDTH * scale)
    check = place(CHECK)
    draw.line(check, fill=INK, width=width, joint="curve")
    for x, y in (check[0], check[-1]):  # round caps
        draw.ellipse((x - width / 2, y - width / 2, x + width / 2, y + width / 2), fill=INK)


def icon(size: int, *, maskable: bool = False, rounded: bool = True) -> Image.Image:
    """The tile at ``size`` px. Maskable: a full-bleed square with the mark in
    the 80% safe zone (launchers cut their own shape); iOS rounds the Apple
    touch icon itself, so that one is a plain square too."""
    big = size * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if maskable or not rounded:
        draw.rectangle((0, 0, big, big), fill=INDIGO)
    else:
        draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=TILE_RADIUS * big / 512, fill=INDIGO)
    shrink = 0.72 if maskable else 1.0
    scale = big / 512 * shrink
    offset = (big - 512 * scale) / 2
    _paint_mark(draw, origin=(offset, offset), scale=scale)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def og_image() -> Image.Image:
    """The default link preview (1200×630): the tile, the name and what it is for."""
    width, height = 1200, 630
    image = Image.new("RGB", (width * 2, height * 2), DARK)
    tile = icon(520)
    image.paste(tile, (130, (height * 2 - 520) // 2), tile)
    draw = ImageDraw.Draw(image)
    bold = ImageFont.truetype(str(FONT_DIR / "DejaVuSans-Bold.ttf"), 150)
    regular = ImageFont.truetype(str(FONT_DIR / "DejaVuSans.ttf"), 70)
    draw.text((790, 450), "TrackMyRead", font=bold, fill="#FFFFFF")
    draw.text((796, 660), "Your reading life, tracked", font=regular, fill="#B4BCE8")
    draw.text((796, 760), "and shared with friends", font=regular, fill="#B4BCE8")
    return image.resize((width, height), Image.Resampling.LANCZOS)


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    # No timestamps or other metadata: the same drawing gives the same bytes.
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def outputs() -> dict[str, bytes]:
    ico = io.BytesIO()
    icon(256).save(ico, format="ICO", sizes=[(16, 16), (32, 32), (48, 48)])
    return {
        "favicon.svg": svg().encode(),
        "logo.svg": svg().encode(),
        "favicon.ico": ico.getvalue(),
        "icon-192.png": _png(icon(192)),
        "icon-512.png": _png(icon(512)),
        "icon-maskable-512.png": _png(icon(512, maskable=True)),
        "apple-touch-icon.png": _png(icon(180, rounded=False).convert("RGB")),
        "og-default.png": _png(og_image()),
    }


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for name, data in outputs().items():
        path = ASSETS / name
        if check:
            if not path.exists() or path.read_bytes() != data:
                stale.append(name)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    if stale:
        print(f"assets/ out of date (run python scripts/make_assets.py): {', '.join(stale)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
