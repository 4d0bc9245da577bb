"""Read back the QR code printed on a certificate: rebuild the modules from the SVG segno drew,
rasterise them with Pillow and decode the image with zxing-cpp, as a phone camera would."""

import re

import zxingcpp
from PIL import Image, ImageDraw

PATH = re.compile(r'<path[^>]*\bd="([^"]+)"')
COMMAND = re.compile(r"([MmHh])\s*(-?[\d.]+)(?:[\s,]+(-?[\d.]+))?")


def modules_from_svg(svg):
    """The dark modules (x, y) of a segno SVG path made of horizontal 1-unit strokes."""
    path = PATH.search(svg).group(1)
    x = y = 0.0
    dark = set()
    for command, first, second in COMMAND.findall(path):
        if command == "M":
            x, y = float(first), float(second)
        elif command == "m":
            x, y = x + float(first), y + float(second)
        else:
            end = x + float(first) if command == "h" else float(first)
            for column in range(int(x), int(end)):
                dark.add((column, int(y)))
            x = end
    return dark


def decode_svg_qr(svg, scale=8, quiet_zone=4):
    """The text encoded by the QR code in `svg`."""
    dark = modules_from_svg(svg)
    size = max(max(x for x, _ in dark), max(y for _, y in dark)) + 1
    side = (size + 2 * quiet_zone) * scale
    image = Image.new("L", (side, side), 255)
    draw = ImageDraw.Draw(image)
    for x, y in dark:
        left, top = (x + quiet_zone) * scale, (y + quiet_zone) * scale
        draw.rectangle([left, top, left + scale - 1, top + scale - 1], fill=0)
    results = zxingcpp.read_barcodes(image)
    assert results, "no QR code found"
    return results[0].text
