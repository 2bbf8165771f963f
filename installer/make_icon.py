"""Draw the Privacyregister application icon.

A white shield carrying a blue padlock on a rounded blue tile. Every size is drawn at its own
resolution (not scaled down from 256 px), so the small sizes stay crisp; at 16 and 24 px the
padlock is simplified.

Writes:
    resources/icons/privacyregister.png  256x256
    resources/icons/privacyregister.ico  16, 20, 24, 32, 40, 48, 64, 128, 256

The .ico container is written by hand: 32-bit BGRA DIB entries below 256 px (the most widely
understood form, also by resource editors and Inno Setup) and a PNG-compressed 256 px entry.

Run from the repository root (needs only PySide6; no display):
    QT_QPA_PLATFORM=offscreen python installer/make_icon.py
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt  # noqa: E402
from PySide6.QtGui import (  # noqa: E402
    QColor,
    QGuiApplication,
    QImage,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPen,
)

ROOT = Path(__file__).resolve().parent.parent
ICON_DIR = ROOT / "resources" / "icons"
ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)

TILE_TOP = QColor("#2f7be0")
TILE_BOTTOM = QColor("#1746a2")
TILE_EDGE = QColor(10, 40, 100, 90)
SHIELD = QColor("#ffffff")
SHIELD_SHADE = QColor("#dfe9f8")
LOCK = QColor("#1b4fae")
LOCK_DARK = QColor("#143d8a")


def _shield_path(cx: float, top: float, width: float, height: float) -> QPainterPath:
    """A classic heater shield: flat-ish top with a small dip, curved sides, pointed bottom."""
    half = width / 2
    bottom = top + height
    path = QPainterPath()
    path.moveTo(cx, top)
    # top edge: the centre sits slightly lower than the shoulders
    path.cubicTo(
        cx + half * 0.35,
        top + height * 0.07,
        cx + half * 0.75,
        top + height * 0.07,
        cx + half,
        top + height * 0.02,
    )
    # right side: straight down a bit, then a curve to the point
    path.lineTo(cx + half, top + height * 0.42)
    path.cubicTo(
        cx + half, top + height * 0.72, cx + half * 0.45, bottom - height * 0.10, cx, bottom
    )
    path.cubicTo(
        cx - half * 0.45,
        bottom - height * 0.10,
        cx - half,
        top + height * 0.72,
        cx - half,
        top + height * 0.42,
    )
    path.lineTo(cx - half, top + height * 0.02)
    path.cubicTo(
        cx - half * 0.75, top + height * 0.07, cx - half * 0.35, top + height * 0.07, cx, top
    )
    path.closeSubpath()
    return path


def draw_icon(size: int) -> QImage:
    """Render the icon at exactly ``size`` x ``size`` pixels (ARGB32, premultiplied)."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    s = float(size)
    small = size <= 24

    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)

    # --- the tile -------------------------------------------------------------------------
    margin = 0.0 if small else s * 0.04
    tile = QRectF(margin, margin, s - 2 * margin, s - 2 * margin)
    radius = tile.width() * 0.22
    gradient = QLinearGradient(tile.topLeft(), tile.bottomLeft())
    gradient.setColorAt(0.0, TILE_TOP)
    gradient.setColorAt(1.0, TILE_BOTTOM)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(gradient)
    p.drawRoundedRect(tile, radius, radius)
    if not small:
        # a hairline edge so the tile does not bleed into a blue taskbar or desktop
        edge = max(1.0, s / 128)
        p.setPen(QPen(TILE_EDGE, edge))
        p.setBrush(Qt.BrushStyle.NoBrush)
        inset = edge / 2
        p.drawRoundedRect(tile.adjusted(inset, inset, -inset, -inset), radius, radius)
        # a soft highlight on the upper half
        highlight = QLinearGradient(tile.topLeft(), QPointF(tile.left(), tile.center().y()))
        highlight.setColorAt(0.0, QColor(255, 255, 255, 40))
        highlight.setColorAt(1.0, QColor(255, 255, 255, 0))
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(highlight)
        p.drawRoundedRect(tile, radius, radius)

    # --- the shield -----------------------------------------------------------------------
    cx = s / 2
    shield_w = s * (0.66 if small else 0.58)
    shield_h = s * (0.78 if small else 0.70)
    shield_top = (s - shield_h) / 2 + s * 0.01
    shield = _shield_path(cx, shield_top, shield_w, shield_h)
    if not small:
        # drop shadow
        p.save()
        p.translate(0, s * 0.018)
        p.setBrush(QColor(0, 20, 60, 70))
        p.drawPath(shield)
        p.restore()
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(SHIELD)
    p.drawPath(shield)
    if not small:
        # the right half a shade darker: reads as a bevel, a common shield motif
        p.save()
        p.setClipRect(QRectF(cx, 0, s, s))
        p.setBrush(SHIELD_SHADE)
        p.drawPath(shield)
        p.restore()

    # --- the padlock ----------------------------------------------------------------------
    body_w = shield_w * (0.56 if small else 0.50)
    body_h = body_w * (0.72 if small else 0.78)
    body_top = shield_top + shield_h * (0.43 if small else 0.42)
    body = QRectF(cx - body_w / 2, body_top, body_w, body_h)

    # the shackle: a half circle on two short legs, drawn as a thick stroke
    shackle_w = body_w * (0.62 if small else 0.60)
    shackle_pen = max(1.5, body_w * (0.20 if small else 0.14))
    r = shackle_w / 2
    leg = body_h * (0.12 if small else 0.22)
    arc = QRectF(cx - r, body_top - leg - r, 2 * r, 2 * r)
    pen = QPen(LOCK, shackle_pen)
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    p.setPen(pen)
    p.setBrush(Qt.BrushStyle.NoBrush)
    shackle = QPainterPath()
    shackle.moveTo(arc.left(), body_top + body_h * 0.1)
    shackle.lineTo(arc.left(), arc.center().y())
    shackle.arcTo(arc, 180, -180)
    shackle.lineTo(arc.right(), body_top + body_h * 0.1)
    p.drawPath(shackle)

    p.setPen(Qt.PenStyle.NoPen)
    body_radius = body_w * 0.12
    if small:
        p.setBrush(LOCK)
    else:
        body_gradient = QLinearGradient(body.topLeft(), body.bottomLeft())
        body_gradient.setColorAt(0.0, LOCK)
        body_gradient.setColorAt(1.0, LOCK_DARK)
        p.setBrush(body_gradient)
    p.drawRoundedRect(body, body_radius, body_radius)

    if size >= 32:
        # keyhole: a circle with a tapered slot
        hole_r = body_w * 0.11
        hole_c = QPointF(cx, body_top + body_h * 0.42)
        p.setBrush(SHIELD)
        p.drawEllipse(hole_c, hole_r, hole_r)
        slot = QPainterPath()
        slot.moveTo(cx - hole_r * 0.45, hole_c.y())
        slot.lineTo(cx + hole_r * 0.45, hole_c.y())
        slot.lineTo(cx + hole_r * 0.65, body_top + body_h * 0.74)
        slot.lineTo(cx - hole_r * 0.65, body_top + body_h * 0.74)
        slot.closeSubpath()
        p.drawPath(slot)

    p.end()
    return image


def _png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise RuntimeError("could not encode PNG")
    buffer.close()
    return bytes(data)


def _dib_bytes(image: QImage) -> bytes:
    """A 32-bit BGRA device-independent bitmap as stored in an .ico entry.

    BITMAPINFOHEADER with double height (XOR bitmap + AND mask), rows bottom-up, then a 1-bit
    AND mask (all zero: the alpha channel carries transparency).
    """
    img = image.convertToFormat(QImage.Format.Format_ARGB32)  # straight alpha, BGRA in memory
    w, h = img.width(), img.height()
    mask_stride = ((w + 31) // 32) * 4
    header = struct.pack(
        "<IiiHHIIiiII", 40, w, h * 2, 1, 32, 0, w * h * 4 + mask_stride * h, 0, 0, 0, 0
    )
    rows = []
    for y in range(h - 1, -1, -1):
        line = img.constScanLine(y)
        rows.append(bytes(line)[: w * 4])
    if sys.byteorder != "little":  # Format_ARGB32 is 0xAARRGGBB per pixel in native order
        rows = [b"".join(r[i : i + 4][::-1] for i in range(0, len(r), 4)) for r in rows]
    return header + b"".join(rows) + bytes(mask_stride * h)


def ico_bytes(images: list[QImage]) -> bytes:
    """An ICO container (ICONDIR + ICONDIRENTRY[] + image data)."""
    payloads = [_png_bytes(im) if im.width() >= 256 else _dib_bytes(im) for im in images]
    offset = 6 + 16 * len(images)
    directory = [struct.pack("<HHH", 0, 1, len(images))]
    for image, payload in zip(images, payloads, strict=True):
        w, h = image.width(), image.height()
        directory.append(
            struct.pack("<BBBBHHII", w % 256, h % 256, 0, 0, 1, 32, len(payload), offset)
        )
        offset += len(payload)
    return b"".join(directory) + b"".join(payloads)


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841
    ICON_DIR.mkdir(parents=True, exist_ok=True)
    images = [draw_icon(size) for size in ICO_SIZES]
    (ICON_DIR / "privacyregister.png").write_bytes(_png_bytes(images[-1]))
    (ICON_DIR / "privacyregister.ico").write_bytes(ico_bytes(images))
    if "--preview" in sys.argv:
        # a sheet with every size at 1:1 and 4x, for a visual check; not part of the product
        sheet = QImage(1100, 560, QImage.Format.Format_ARGB32_Premultiplied)
        sheet.fill(QColor("#f3f3f3"))
        p = QPainter(sheet)
        x = 10
        for im in images[:-1]:
            p.drawImage(x, 10, im)
            p.drawImage(
                QRectF(
                    x,
                    300,
                    im.width() * 4 if im.width() <= 32 else im.width(),
                    im.width() * 4 if im.width() <= 32 else im.width(),
                ),
                im,
            )
            x += (im.width() * 4 if im.width() <= 32 else im.width()) + 10
        p.drawImage(820, 10, images[-1])
        p.end()
        sheet.save(str(Path(os.environ.get("TMPDIR", "/tmp")) / "icon-preview.png"))
    print(f"wrote {ICON_DIR / 'privacyregister.png'} and .ico ({', '.join(map(str, ICO_SIZES))})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
