"""The long checklist typeset by Typst, for the benchmark's comparison (issue 18).

A Typst template (below) reads the very YAML file kitpress builds (Typst reads YAML
itself) and sets the same pages: US Letter, the layout's margins, the bundled Andika
fonts only (no system fonts), the title, subtitle and intro, and each section as
kitpress draws it (two columns of reasons with an accent rule, rows of checkboxes with
a "When I noticed" line, numbered tips, swaps in a rounded box), a footer with the
organisation and "Page X of Y". The layout is similar, not identical: Typst breaks
lines and pages by its own rules, so the page count is reported beside the time.

    python benchmarks/typst_checklist.py HANDOUT.yaml OUT.pdf [ORGANISATION]

Needs the `typst` wheel (pip install -e '.[bench]'); bench.py skips Typst without it.
The whole process is what is timed: Python's start-up (about 20 ms), importing the
wheel, Typst parsing the fonts and the YAML, laying out and writing the PDF.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

FONTS = Path(__file__).resolve().parent.parent / "fonts"

TEMPLATE = r"""
#let ink = black
#let accent = rgb("#1b3a5c")
#let data = yaml(sys.inputs.data)
#let org = sys.inputs.at("org", default: "Bench")
#set document(title: data.title)
#set page(
  paper: "us-letter",
  margin: (top: 0.6in, bottom: 0.95in, x: 0.75in),
  footer: context {
    line(length: 100%, stroke: 0.75pt + ink)
    v(-4pt)
    set text(10pt)
    [#org #h(1fr) Page #counter(page).display() of #counter(page).final().first()]
  },
)
#set text(font: "Andika", size: 12pt, fill: ink, lang: "en",
  top-edge: 0.8em, bottom-edge: -0.2em)
// ReportLab's leading is baseline to baseline: 16 pt on 12 pt text
#set par(leading: 0.34em, spacing: 6pt)
#let heading-text(body) = text(17pt, weight: "bold", fill: accent, body)

#text(26pt, weight: "bold", fill: accent, data.title)
#v(4pt)
#text(14pt, data.at("subtitle", default: ""))
#v(10pt)
#text(13pt, data.at("intro", default: ""))

#for s in data.sections {
  v(16pt)
  block(sticky: true, below: 10pt, heading-text(s.heading))
  if "note" in s { block(sticky: true, below: 8pt, emph(s.note)) }
  if "reasons" in s {
    // rows split between pages, as kitpress's do; a reason stays whole
    block(grid(
      columns: (1fr, 1fr),
      column-gutter: 14pt,
      row-gutter: 16pt,
      ..s.reasons.map(r => block(
        breakable: false,
        stroke: (left: 3pt + accent),
        inset: (left: 8pt, y: 2pt),
        width: 100%,
        [#text(11pt, weight: "bold", r.title) \ #r.text],
      )),
    ))
  }
  if "items" in s {
    table(
      columns: (14pt, 1fr, 1.9in),
      stroke: none,
      inset: (x: 4pt, y: 7pt),
      align: (left + horizon, left + horizon, left + bottom),
      table.header([], [], text(11pt, weight: "bold", "When I noticed")),
      ..s.items.map(i => (
        box(width: 13pt, height: 13pt, stroke: 1.5pt + ink),
        i,
        line(length: 100%, stroke: 1pt + ink),
      )).flatten(),
    )
  }
  if "tips" in s {
    for (n, t) in s.tips.enumerate(start: 1) {
      grid(
        columns: (30pt, 1fr),
        circle(radius: 9.25pt, stroke: 1.5pt + accent,
          align(center + horizon, text(11pt, weight: "bold", fill: accent, str(n)))),
        [#text(weight: "bold", t.title) \ #t.text],
      )
      v(8pt)
    }
  }
  if "swaps" in s {
    block(stroke: 1.5pt + ink, radius: 6pt, inset: 0pt, width: 100%, table(
      columns: (1.1in, 1fr),
      stroke: (x, y) => if y > 0 and calc.rem(y, 2) == 0 { (top: 0.75pt + ink) },
      inset: 8pt,
      ..s.swaps.map(w => (
        text(11pt, weight: "bold", "Instead of"), ["#w.instead"],
        text(11pt, weight: "bold", "Try"), text(weight: "bold", ["#w.at("try")"]),
      )).flatten(),
    ))
  }
}
#v(12pt)
#emph(text(13pt, data.at("closing", default: "")))
"""


def compile_pdf(handout: Path, out: Path, organisation: str = "Bench") -> int:
    """Typeset `handout` into `out`; the number of pages."""
    import typst

    # Typst reads files only inside its root: the template goes beside the YAML
    source = handout.with_name("typst-checklist.typ")
    source.write_text(TEMPLATE, encoding="utf-8")
    pdf = typst.compile(
        str(source),
        root=str(handout.parent),
        font_paths=[str(FONTS)],
        ignore_system_fonts=True,
        sys_inputs={"data": handout.name, "org": organisation},
    )
    out.write_bytes(pdf)
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def main() -> None:
    handout, out = Path(sys.argv[1]), Path(sys.argv[2])
    compile_pdf(handout, out, *sys.argv[3:4])


if __name__ == "__main__":
    main()
