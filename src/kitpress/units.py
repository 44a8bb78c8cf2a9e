"""Lengths in layouts: '0.5in', '12mm', '1.2cm', '14pt' or a bare number of points; and
whole numbers (counts) in kits and layouts, which a yes/no value is not."""

from __future__ import annotations

import math
import re
from typing import Annotated, Any

from pydantic import BeforeValidator, GetCoreSchemaHandler
from pydantic_core import PydanticCustomError, core_schema

from kitpress.errors import quoted

POINTS_PER_UNIT = {"pt": 1.0, "in": 72.0, "mm": 72.0 / 25.4, "cm": 72.0 / 2.54}

_LENGTH = re.compile(r"^\s*(-?\d+(?:\.\d+)?|-?\.\d+)\s*(pt|in|mm|cm)?\s*$")


class LengthInput:
    """How a length may be written, for the JSON Schemas an editor checks layouts with
    (schema.py): a number of points, or text like 0.5in. Only the JSON Schemas read it
    (each length field's json_schema_input_type), so its core schema is written out
    here: pydantic would otherwise work out the same union (float | str with the
    pattern) for each of the ~70 length fields of the layouts, 6 ms of every start."""

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.union_schema(
            [core_schema.float_schema(), core_schema.str_schema(pattern=_LENGTH.pattern)]
        )


# Nothing on a handout is longer than a tabloid sheet; beyond this a number is a typo
# (and an infinite or huge one would break the layout arithmetic).
MAX_LENGTH = 17 * 72.0


def parse_length(value: object) -> float:
    """Return the length in PostScript points; raise ValueError with a hint if unreadable."""
    if isinstance(value, bool):
        raise ValueError("expected a length such as 0.5in, 12mm or 14pt")
    points = None
    if isinstance(value, (int, float)):
        points = float(value)
    elif isinstance(value, str):
        m = _LENGTH.match(value)
        if m:
            points = float(m.group(1)) * POINTS_PER_UNIT[m.group(2) or "pt"]
    if points is None or math.isnan(points):
        raise ValueError(
            f"{quoted(value)} is not a length; write it like 0.5in, 12mm, 1.2cm or 14pt"
        )
    if abs(points) > MAX_LENGTH:
        raise ValueError(
            f"{quoted(value)} is longer than a sheet of paper; check the number and unit"
        )
    return points


def _not_yes_no(value: object) -> object:
    """YAML reads `copies: yes` (or true, on) as a yes/no value, which pydantic would
    take for the number 1 (false for 0): refused, as the wrong kind of value is."""
    if isinstance(value, bool):
        raise PydanticCustomError("int_type", "Input should be a valid integer")
    return value


# a whole number, as written; a yes/no value is not one (validation.py words the error)
Whole = Annotated[int, BeforeValidator(_not_yes_no)]
