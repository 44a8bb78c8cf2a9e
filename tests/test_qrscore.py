"""The QR mask score computed row by row (render/qrscore.py) is ReportLab's, number for
number, so every code kitpress draws is the one ReportLab's encoder makes."""

from __future__ import annotations

import random

import pytest
from reportlab.graphics.barcode import qrencoder as reportlab_encoder

from kitpress.render.internals import qrencoder
from kitpress.render.qrscore import lost_point

FINDER = [True, False, True, True, True, False, True, False, False, False, False]


def reportlab_score(modules: list[list[bool]]) -> int:
    class Symbol:
        pass

    symbol = Symbol()
    symbol.modules = modules
    return reportlab_encoder.QRUtil.getLostPoint(symbol)


def symbols(count: int, seed: int) -> list[list[list[bool]]]:
    """Random squares of every size a code comes in, some mostly dark or light (long
    runs, big blocks, an unbalanced share), some with finder-like patterns put in rows
    and columns, at every place including the row's last (which ReportLab skips)."""
    rng = random.Random(seed)
    made = []
    for i in range(count):
        n = rng.choice([21, 25, 29, 33, 41, 57])
        dark = rng.choice([0.1, 0.3, 0.5, 0.7, 0.9])
        m = [[rng.random() < dark for _ in range(n)] for _ in range(n)]
        if i % 3 == 0:
            for _ in range(rng.randrange(1, 6)):
                r, at = rng.randrange(n), rng.randrange(n - len(FINDER) + 1)
                if rng.random() < 0.5:
                    m[r][at : at + len(FINDER)] = FINDER
                else:  # down a column
                    for k, v in enumerate(FINDER):
                        m[at + k][r] = v
        made.append(m)
    return made


@pytest.mark.parametrize("seed", range(4))
def test_the_score_is_reportlabs_on_random_symbols(seed):
    for m in symbols(150, seed):
        assert lost_point(m) == reportlab_score(m)


def test_the_score_is_reportlabs_at_a_row_end_and_on_empty_and_full_symbols():
    n = 21
    for at in range(n - len(FINDER) + 1):  # (the last start is the one ReportLab skips)
        m = [[False] * n for _ in range(n)]
        m[3][at : at + len(FINDER)] = FINDER
        assert lost_point(m) == reportlab_score(m)
    for fill in (False, True):
        m = [[fill] * n for _ in range(n)]
        assert lost_point(m) == reportlab_score(m)


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/visit",
        "https://familycircle.example.org/staying-close/es/senales",
        "https://example.org/" + "a" * 120,
    ],
)
def test_every_mask_of_a_real_code_scores_as_reportlab_scores_it(url):
    code = reportlab_encoder.QRCode(None, reportlab_encoder.QRErrorCorrectLevel.M)
    code.addData(url)
    code.version = code.calculate_version()
    for mask in range(8):
        code.makeImpl(True, mask)
        assert lost_point(code.modules) == reportlab_score(code.modules)


@pytest.mark.parametrize("level", ["L", "M", "Q", "H"])
def test_kitpress_encoder_makes_reportlabs_code_square_for_square(level):
    ours = qrencoder()
    assert ours.QRUtil.getLostPoint is not reportlab_encoder.QRUtil.getLostPoint
    for url in ("https://example.org/visit", "https://example.org/kids-connect", "x" * 90):
        made = []
        for encoder in (reportlab_encoder, ours):
            code = encoder.QRCode(None, getattr(encoder.QRErrorCorrectLevel, level))
            code.addData(url)
            code.make()
            made.append(code.modules)
        assert made[0] == made[1]
