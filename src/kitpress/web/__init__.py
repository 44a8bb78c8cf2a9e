"""The web edition: the kit's words as plain HTML pages for phones (issue 16).

    OUT/web/index.html            the kit in each language, in that language
    OUT/web/<lang>/index.html     the cover: title, intro, its back's boxes, the contents
    OUT/web/<lang>/<file>.html    one page per handout, named like its PDF
    OUT/web/assets/               the style sheet, answers.js, the fonts (subset) and
                                  their licences

Pages are read with no JavaScript at all; answers.js only keeps what a person types
in the browser's localStorage. Nothing is fetched from anywhere but these files.
"""

from __future__ import annotations

from pathlib import PurePath

from kitpress.kit import Handout, Kit
from kitpress.web.fonts import web_fonts
from kitpress.web.pages import ASSETS, Site, page_text

WebFile = tuple[PurePath, bytes]  # relative to the output folder


def make_web(kit: Kit, handouts: tuple[Handout, ...], langs: tuple[str, ...]) -> list[WebFile]:
    """The pages of `handouts` (web edition) and the indexes of `langs`, with the
    assets. Every page of the kit is made, so the fonts cover them all even when only
    some are written (--only)."""
    site = Site(kit)
    pages = site.pages()
    fonts = web_fonts(kit, "".join(page_text(html) for html in pages.values()))
    wanted = {site.handout_path(h) for h in handouts}
    if langs:
        wanted |= {site.index_path(lang) for lang in langs} | {site.root_path()}
    files: list[WebFile] = [(p, html.encode("utf-8")) for p, html in pages.items() if p in wanted]
    files += [(ASSETS / name, data) for name, data in fonts.files.items()]
    files += [(ASSETS / name, data) for name, data in site.assets(fonts.css).items()]
    return [(PurePath("web") / p, data) for p, data in files]
