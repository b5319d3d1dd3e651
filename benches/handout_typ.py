#!/usr/bin/env python3
"""Writes a pjece handout's content as a Typst document, for timing Typst on the same content
(benches/typst_compare.sh). Reads the PDF back: its text (pdftotext) and its bookmarks, which
are the headings (qpdf). The result has the same text, fonts, A4 page, headings, bullet lists
with bold leads, the red-flag box and the running header and footer, tagged for PDF/UA-1; the
line and page breaks are Typst's own.

    python3 benches/handout_typ.py handout.pdf > handout.typ
"""

import json
import re
import subprocess
import sys


def bookmarks(pdf):
    out = subprocess.run(["qpdf", "--json", pdf], capture_output=True, check=True).stdout
    objects = json.loads(out)["qpdf"][1].values()
    titles = []
    for o in objects:
        v = o.get("value")
        if isinstance(v, dict) and "/Title" in v and "/Dest" in v:
            titles.append(v["/Title"].removeprefix("u:"))
    return set(titles)


def escape(text):
    return re.sub(r'([\\#*_`$<>@\[\]"~=/+-])', r"\\\1", text)


def main(pdf):
    headings = bookmarks(pdf)
    text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, check=True).stdout
    pages = text.decode().split("\f")
    title, subtitle = pages[0].splitlines()[:2]
    footer_source = next(l for l in pages[0].splitlines() if l.startswith("Bygger på:"))
    footer_version = next(l for l in pages[0].splitlines() if l.startswith("Indholdsversion"))
    skip = {title, subtitle, footer_source, footer_version}
    blocks, current = [], []
    for page in pages:
        for line in page.splitlines():
            if line in skip or re.fullmatch(r"Side \d+ af \d+", line):
                continue
            if not line.strip() or line in headings or line.startswith("• "):
                if current:
                    blocks.append(" ".join(current))
                current = []
            if line in headings:
                blocks.append(("heading", line))
            elif line.strip():
                current.append(line)
    if current:
        blocks.append(" ".join(current))

    out = [
        f'#set document(title: "{title}", date: datetime(year: 2026, month: 11, day: 26))',
        '#set text(font: "Atkinson Hyperlegible Next", size: 12pt, lang: "da", hyphenate: false)',
        "#set par(leading: 0.75em, spacing: 0.9em)",
        "#set page(paper: \"a4\", margin: (x: 2.2cm, top: 2.5cm, bottom: 3cm),",
        "  header: context if here().page() > 1 [#set text(10pt); "
        + escape(title)
        + "],",
        "  footer: context [#set text(9pt); "
        + escape(footer_source)
        + " \\ "
        + escape(footer_version)
        + ' #h(1fr) Side #counter(page).display() af #counter(page).final().first()])',
        "#show heading.where(level: 1): set text(20pt)",
        "#show heading.where(level: 2): set text(15pt)",
        f"#heading(level: 1)[{escape(title)}]",
        f"#text(14pt)[{escape(subtitle)}]",
        "",
    ]
    box_open = False
    for i, b in enumerate(blocks):
        if isinstance(b, tuple):
            if box_open:
                out.append("]")
                box_open = False
            if i == 0 or (i < 3 and "læge" in b[1]):
                # The red-flag box: the first heading and what follows it until the next.
                out.append("#block(stroke: 2pt + rgb(\"#B00020\"), inset: 10pt, radius: 4pt)[")
                box_open = True
            out.append(f"== {escape(b[1])}")
            continue
        if b.startswith("Dato:"):
            out.append(escape(b))
        elif b.startswith("• "):
            item = b[2:]
            lead = re.match(r"([^.]{3,60}\.) (.*)", item)
            if lead and blocks[i - 1] and "læge" not in str(blocks[i - 1]):
                out.append(f"- *{escape(lead.group(1))}* {escape(lead.group(2))}")
            else:
                out.append(f"- {escape(item)}")
        else:
            out.append(escape(b))
        out.append("")
    if box_open:
        out.append("]")
    print("\n".join(out))


if __name__ == "__main__":
    main(sys.argv[1])
