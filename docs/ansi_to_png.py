#!/usr/bin/env python3
"""Renders a `tmux capture-pane -p -e` dump (truecolor SGR) to a PNG, one 8×16 px block per
cell: '▀' cells as two coloured halves, other non-blank cells as a grey glyph box. Enough to
see a heatmap's structure without a terminal. Needs Pillow.
Usage: python3 docs/ansi_to_png.py docs/inspect-real-clip.ansi docs/inspect-real-clip.png
"""
import re
import sys

from PIL import Image, ImageDraw

SGR = re.compile(r"\x1b\[([0-9;]*)m")


def parse(line):
    fg, bg, cells, pos = None, None, [], 0
    for m in SGR.finditer(line + "\x1b[m"):
        for ch in line[pos:m.start()]:
            cells.append((ch, fg, bg))
        pos = m.end()
        codes = [int(c) if c else 0 for c in m.group(1).split(";")] if m.group(1) else [0]
        i = 0
        while i < len(codes):
            c = codes[i]
            if c == 0:
                fg, bg = None, None
            elif c in (38, 48) and i + 4 < len(codes) and codes[i + 1] == 2:
                rgb = tuple(codes[i + 2:i + 5])
                fg, bg = (rgb, bg) if c == 38 else (fg, rgb)
                i += 4
            elif c == 39:
                fg = None
            elif c == 49:
                bg = None
            i += 1
    return cells


def main(src, dst):
    lines = [parse(l) for l in open(src, encoding="utf-8").read().splitlines()]
    w, h = max(len(l) for l in lines), len(lines)
    img = Image.new("RGB", (w * 8, h * 16), (0, 0, 0))
    d = ImageDraw.Draw(img)
    for y, line in enumerate(lines):
        for x, (ch, fg, bg) in enumerate(line):
            box = (x * 8, y * 16, x * 8 + 7, y * 16 + 15)
            if ch == "▀":
                d.rectangle((box[0], box[1], box[2], box[1] + 7), fill=fg or (200, 200, 200))
                d.rectangle((box[0], box[1] + 8, box[2], box[3]), fill=bg or (0, 0, 0))
            elif ch != " ":
                if bg:
                    d.rectangle(box, fill=bg)
                d.rectangle((box[0] + 2, box[1] + 4, box[2] - 2, box[3] - 4), fill=fg or (150, 150, 150))
    img.save(dst)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
