import pytest

from kitpress.units import parse_length


@pytest.mark.parametrize(
    ("text", "points"),
    [
        ("0.5in", 36.0),
        ("1in", 72.0),
        ("25.4mm", 72.0),
        ("2.54cm", 72.0),
        ("14pt", 14.0),
        ("14", 14.0),
        (12, 12.0),
        (1.5, 1.5),
        (" 3 mm ", 3 * 72 / 25.4),
        (".5in", 36.0),
    ],
)
def test_lengths_in_points(text, points):
    assert parse_length(text) == pytest.approx(points)


@pytest.mark.parametrize("bad", ["12px", "in", "1,5in", "", "twelve", True, None, [1]])
def test_unreadable_lengths_say_how_to_write_one(bad):
    with pytest.raises(ValueError, match="0.5in, 12mm"):
        parse_length(bad)
