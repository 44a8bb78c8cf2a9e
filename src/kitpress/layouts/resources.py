"""The resource-sheet layout schema (its own module so other kinds' schemas merge cleanly)."""

# no `from __future__ import annotations`: see layouts/models.py

from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from kitpress.layouts.models import MAX_TEXT_SIZE, BaseLayout, Length, Line, Spacing, Strict
from kitpress.units import Whole

# Phones read a printed QR code reliably from about this size up (the code's own
# squares; the quiet zone around it comes on top).
MIN_QR = 0.8 * 72
MIN_QUIET_ZONE = 4  # modules of white all round: what the QR standard asks for
MAX_QUIET_ZONE = 20
MAX_QR = 5 * 72


def _qr_size(value: float) -> float:
    if value < MIN_QR - 1e-6:
        raise ValueError(
            f"is {value / 72:.2f}in; a QR code must be at least {MIN_QR / 72:.1f}in across "
            "for a phone to read it"
        )
    return value


class Entries(Strict):
    columns: Annotated[Whole, Field(ge=1, le=3)] = 2  # entries side by side
    gap: Spacing = 14  # between columns
    bar_width: Line = 3  # a dark bar at the left of each entry, as the checklist's reasons
    bar_gap: Spacing = 8  # from the bar to the text
    label_gap: Spacing = 6  # from a detail's label to its value
    space_after: Spacing = 8  # under each row of entries


class Qr(Strict):
    # the code, quiet zone not counted (at most MAX_QR: larger never reads better)
    size: Annotated[Length, AfterValidator(_qr_size), Field(le=MAX_QR)]
    # in modules
    quiet_zone: Annotated[Whole, Field(ge=MIN_QUIET_ZONE, le=MAX_QUIET_ZONE)] = MIN_QUIET_ZONE
    level: Literal["L", "M", "Q", "H"] = "M"  # error correction: M survives a smudge
    gap: Spacing = 2  # between the details and the code's quiet zone
    # the address printed under it
    text_size: Annotated[Length, Field(ge=11, le=MAX_TEXT_SIZE)] = 11


class ResourcesLayout(BaseLayout):
    entries: Entries = Entries()
    qr: Qr
