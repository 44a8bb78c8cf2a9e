"""Bounded work for any kit within the limits (issue 17, item 3). What is tested here is
the amount of work, counted, never the time it takes (benchmarks/limits.py measures
that): layout stops a few pages past a handout's limit, a card shrinks in a handful
of tries, a label template cannot multiply the text it quotes."""

from __future__ import annotations

import shutil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.platypus import Flowable

from kitpress.content.manifest import Labels
from kitpress.errors import InputError
from kitpress.fonts import FontBook
from kitpress.kit import load_kit
from kitpress.options import Options
from kitpress.paper import paper
from kitpress.paths import bundled
from kitpress.render.flowing import OVER_PAGES, Overflow, OverLimit, build_flowing
from kitpress.render.textfit import Setter


class Block(Flowable):
    """A flowable a third of a page tall that counts how often it is laid out."""

    laid = 0

    def __init__(self, height: float) -> None:
        super().__init__()
        self.height = height

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        Block.laid += 1
        return avail_width, self.height

    def draw(self) -> None:
        pass


@pytest.fixture(scope="module")
def context():
    from kitpress.build import context as make_context

    kit = load_kit(bundled("kit"))
    handout = next(h for h in kit.handouts if h.kind.name == "checklist")
    return make_context(kit, handout, "t", paper("letter"), Options()), handout.source


def frame_height(ctx) -> float:
    m = ctx.layout.page.margins
    return ctx.pagesize[1] - m.top - m.bottom


def test_layout_stops_a_few_pages_past_the_limit_however_long_the_story(context):
    ctx, source = context
    third = frame_height(ctx) / 3 - 1
    Block.laid = 0
    story: list[Flowable] = [Block(third) for _ in range(30_000)]  # 10,000 pages
    with pytest.raises(Overflow) as stopped:
        build_flowing(ctx, story, source, max_pages=2)
    assert stopped.value.pages is None
    assert f"(more than {OVER_PAGES} pages more)" in str(stopped.value)
    # laid out: the pages allowed and OVER_PAGES more, three blocks a page, each block
    # measured at most twice (once on the page it did not fit on); never the rest
    assert Block.laid <= 2 * 3 * (2 + OVER_PAGES + 1)
    assert len(story) > 29_000  # what was never looked at is still there


def test_the_preview_lays_out_past_the_limit_but_stops_a_few_pages_past_it(context):
    """The preview (Options.over_limit) draws the pages past a handout's limit to show
    where the text spills, but a kit far too long still costs only OVER_PAGES more."""
    from dataclasses import replace

    ctx, source = context
    preview = replace(ctx, options=Options(over_limit=True))
    third = frame_height(preview) / 3 - 1
    Block.laid = 0
    story: list[Flowable] = [Block(third) for _ in range(30_000)]
    with pytest.raises(OverLimit) as over:
        build_flowing(preview, story, source, max_pages=2)
    assert over.value.stopped and over.value.allowed == 2
    assert over.value.laid_out.pages == 2 + OVER_PAGES
    assert f"(more than {OVER_PAGES} pages more)" in str(over.value)
    assert Block.laid <= 2 * 3 * (2 + OVER_PAGES + 1)
    assert len(story) > 29_000
    with pytest.raises(OverLimit) as short:  # a little over: every page, as it runs
        build_flowing(preview, [Block(third) for _ in range(15)], source, max_pages=2)
    assert not short.value.stopped and short.value.laid_out.pages == 5


@pytest.mark.parametrize(("blocks", "said"), [(7, "(about "), (15, "(3 pages more)")])
def test_the_error_says_by_how_much_a_handout_runs_over(context, blocks, said):
    ctx, source = context
    third = frame_height(ctx) / 3 - 1
    with pytest.raises(Overflow) as stopped:
        build_flowing(ctx, [Block(third) for _ in range(blocks)], source, max_pages=2)
    message = str(stopped.value)
    assert said in message
    name = ctx.layout.name  # the kit's file of that name is where to raise the limit
    assert message.endswith(
        f"shorten the text, or raise max_pages in your kit's layouts/{name}.yaml (see Layouts "
        "in the README)"
    )
    if blocks == 7:  # one block on the third page: a third of a page, in body lines
        lines = int(message.split("(about ")[1].split()[0])
        leading = ctx.layout.styles.body.leading
        assert lines == pytest.approx(third / leading, abs=1)


def test_a_handout_that_fits_is_not_an_overflow(context):
    ctx, source = context
    third = frame_height(ctx) / 3 - 1
    assert build_flowing(ctx, [Block(third) for _ in range(6)], source, max_pages=2).pages == 2


def _linear(setter, text, width, height, size, leading, min_size, step):
    """The size search before bisection: every step from the top down."""
    n = 0
    while size - n * step >= min_size - 1e-9:
        s = size - n * step
        found = setter.set(text, width, s, leading * s / size)
        if found is not None and found.height <= height + 1e-6:
            return found
        n += 1
    return None


SETTER = Setter(FontBook(bundled("fonts")).chain("Andika", "DejaVuSans"))


@settings(max_examples=150, deadline=None, derandomize=True)
@given(
    words=st.lists(st.sampled_from(["a", "song", "Tuesday", "remember", "W" * 12]), max_size=60),
    width=st.floats(40, 300),
    height=st.floats(10, 400),
    size=st.floats(9, 60),
    drop=st.floats(0, 40),
    step=st.sampled_from([0.1, 0.25, 0.5, 1.0, 3.0]),
)
def test_bisection_finds_the_size_the_step_by_step_search_found(
    words, width, height, size, drop, step
):
    text = " ".join(words) or "a"
    args = (text, width, height, size, size * 1.25, max(9.0, size - drop), step)
    expected, got = _linear(SETTER, *args), SETTER.fit(*args)
    assert (expected is None) == (got is None)
    if expected is not None and got is not None:
        assert got.size == expected.size and got.lines == expected.lines


def test_a_card_shrinks_through_a_thousand_steps_in_a_handful_of_tries(monkeypatch):
    tries = []
    real = Setter.lines

    def counted(self, *args):
        tries.append(args[2])
        return real(self, *args)

    monkeypatch.setattr(Setter, "lines", counted)
    text = "Tell them about a song you heard on the radio this week and why. " * 3
    found = SETTER.fit(text, 150, 200, 144, 180, 9, 0.1)  # 1,351 sizes to choose from
    assert found is not None and 9 <= found.size < 144
    # the top, the bottom, log2(1351) between them, and the lines of the size found
    assert len(tries) <= 15


def _labels(**changes) -> dict:
    words = {
        "page": "Page {page} of {pages}",
        "kit_page": "Page {page}",
        "footer": "{name} · {contact}",
        "quote": "“{text}”",
    }
    return {**words, **changes}


@pytest.mark.parametrize(
    ("key", "value", "said"),
    [
        ("quote", "{text}" * 20, "{text} comes more than once; write it once"),
        ("quote", "{{}}", "has no {text}, so the words would not be printed; add it"),
        ("page", "{pages} pages", "has no {page}"),
        ("footer", "{contact}", "has no {name}"),
    ],
)
def test_a_label_template_cannot_repeat_or_drop_what_it_quotes(key, value, said):
    with pytest.raises(ValueError, match=said.replace("{", r"\{").replace("}", r"\}")):
        Labels.model_validate(_labels(**{key: value}))


def test_a_quote_label_holds_its_text_once(context):
    labels = Labels.model_validate(_labels(quote="«{text}» and more words"))
    long = "x" * 5000
    assert len(labels.quote.format(text=long)) == len(long) + len("«» and more words")


def test_a_list_over_its_limit_is_refused_before_any_layout(tmp_path, monkeypatch):
    """200 items are allowed in a section, not 206, and the refusal comes from the
    schema, before the checklist is laid out."""
    from kitpress.render import checklist as render_checklist

    laid = []
    monkeypatch.setattr(render_checklist, "build_flowing", lambda *a, **k: laid.append(a))
    kit = tmp_path / "kit"
    shutil.copytree(bundled("kit"), kit)
    path = kit / "en" / "withdrawal-signs-checklist.yaml"
    many = "\n".join(f'      - "Sign {i}"' for i in range(201))
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('      - "Short answers, like \\"fine\\" or \\"okay\\""', many))
    with pytest.raises(InputError, match="has 206 items; at most 200 are allowed"):
        load_kit(kit)
    assert laid == []
