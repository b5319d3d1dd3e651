#!/usr/bin/env python3
"""Rebuilds AtkinsonHyperlegibleNext-{Regular,Bold}.ttf with an open (unslashed) zero.

Atkinson Hyperlegible Next slashes its zero, and it has no unslashed alternate to switch on
with an OpenType feature (its GSUB has only aalt, case, ccmp, frac, locl, ordn, pnum, sups and
tnum; upstream asks for one in googlefonts/atkinson-hyperlegible-next issue 9). A Danish
reader with low vision takes the slashed zero for the letter Ø ("8ØØØ Aarhus C"), so pjece
prints an open zero: a narrow oval, as most text faces draw it, set apart from O by its width.

The slash is not a contour of its own: the zero is an outer oval and two half counters split by
the slash. Two quarters of the inner oval are untouched (bottom-left in the first half counter,
top-right in the second); the new single counter is made of these two quarters and their
mirror images across the glyph's vertical axis, so every curve is the designer's own. The
outer contour, the advance, every other glyph and every table but glyf, head and name stay as
they were; tabular zero.tf is a reference to zero and follows it. The licence (OFL.txt) names
no Reserved Font Name, so the family keeps its name; the version string says what changed.

Sources: the static TTFs of the npm package @expo-google-fonts/atkinson-hyperlegible-next 0.4.1
(400Regular/ and 700Bold/), which fonts/ held unchanged before this script. Run it with the
unpacked package directory:

    npm pack @expo-google-fonts/atkinson-hyperlegible-next@0.4.1 && tar xzf *.tgz
    python3 fonts/make-open-zero.py package

Needs fontTools (made with 4.68.0). The output is reproducible (no timestamp is changed).
"""

import hashlib
import sys
from pathlib import Path

from fontTools.ttLib import TTFont
from fontTools.ttLib.tables._g_l_y_f import GlyphCoordinates

SOURCES = {
    "Regular": (
        "400Regular/AtkinsonHyperlegibleNext_400Regular.ttf",
        "60f8c1a1b2e7da47ff7af95c3e5b5b1232ca5b3771e93eb587784f08fb1e6650",
    ),
    "Bold": (
        "700Bold/AtkinsonHyperlegibleNext_700Bold.ttf",
        "4ba7415b7095e546720446b6d47daa95d6f482d9fd40c729793e21d67cc9f366",
    ),
}

VERSION_NOTE = "; pjece: open zero"


def contours(glyph, glyf):
    """The glyph's contours as lists of ((x, y), on_curve)."""
    coords, ends, flags = glyph.getCoordinates(glyf)
    out, start = [], 0
    for end in ends:
        out.append([(tuple(coords[i]), bool(flags[i] & 1)) for i in range(start, end + 1)])
        start = end + 1
    return out


def quarter(contour, start, end):
    """The points from on-curve `start` to on-curve `end`, walking the contour forwards."""
    points = [p for p, _ in contour]
    i = points.index(start)
    run = []
    while True:
        run.append(contour[i])
        if contour[i][0] == end:
            return run
        i = (i + 1) % len(contour)
        if len(run) > len(contour):
            raise SystemExit(f"no path from {start} to {end}")


def open_counter(halves):
    """One counter-clockwise inner oval from the two half counters of the slashed zero."""
    points = [p for half in halves for p, on in half if on]
    left = min(points, key=lambda p: (p[0], p[1]))
    right = max(points, key=lambda p: (p[0], -p[1]))
    bottom = min(points, key=lambda p: (p[1], p[0]))
    top = max(points, key=lambda p: (p[1], p[0]))
    axis2 = bottom[0] + top[0]  # twice the vertical axis
    if left[0] + right[0] != axis2 or left[1] != right[1]:
        raise SystemExit(f"the counter is not symmetric: {left} {right} {bottom} {top}")

    def half_with(p):
        return next(h for h in halves if any(q == p for q, _ in h))

    # Counter-clockwise: left -> bottom is in one half, right -> top in the other.
    bottom_left = quarter(half_with(left), left, bottom)
    top_right = quarter(half_with(right), right, top)

    def mirror(run):
        return [((axis2 - x, y), on) for (x, y), on in reversed(run)]

    # bottom -> right, right -> top, top -> left, left -> bottom; drop each shared end point.
    ring = mirror(bottom_left)[:-1] + top_right[:-1] + mirror(top_right)[:-1] + bottom_left[:-1]
    return ring


def open_zero(font):
    glyf = font["glyf"]
    zero = glyf["zero"]
    outer, *halves = contours(zero, glyf)
    if len(halves) != 2:
        raise SystemExit(f"expected a zero with 3 contours, found {len(halves) + 1}")
    new = [outer, open_counter(halves)]
    zero.coordinates = GlyphCoordinates([p for c in new for p, _ in c])
    zero.flags = bytearray(1 if on else 0 for c in new for _, on in c)
    ends, n = [], 0
    for c in new:
        n += len(c)
        ends.append(n - 1)
    zero.endPtsOfContours = ends
    zero.numberOfContours = len(new)
    zero.recalcBounds(glyf)


def mark_version(font):
    for record in font["name"].names:
        if record.nameID == 5:
            text = record.toUnicode()
            if VERSION_NOTE not in text:
                record.string = text + VERSION_NOTE


def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    package = Path(sys.argv[1])
    here = Path(__file__).resolve().parent
    for style, (path, sha256) in SOURCES.items():
        source = package / path
        digest = hashlib.sha256(source.read_bytes()).hexdigest()
        if digest != sha256:
            raise SystemExit(f"{source}: sha256 {digest}, expected {sha256}")
        font = TTFont(source, recalcTimestamp=False)
        open_zero(font)
        mark_version(font)
        out = here / f"AtkinsonHyperlegibleNext-{style}.ttf"
        font.save(out)
        print(f"{out.name}: {hashlib.sha256(out.read_bytes()).hexdigest()}")


if __name__ == "__main__":
    main()
