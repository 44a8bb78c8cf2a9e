"""Validate loaded YAML against a pydantic model; turn each error into one clear line.

pydantic reports errors as (loc, type); we map loc back to file:line:col with the
positions the YAML loader recorded, and say in plain words what to do.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from kitpress.errors import InputError, Located, clip, quoted
from kitpress.units import POINTS_PER_UNIT
from kitpress.yamlio import KeyPath, YamlDoc

M = TypeVar("M", bound=BaseModel)


def validate(model: type[M], doc: YamlDoc, context: dict[str, Any] | None = None) -> M:
    """The file's data as `model`, or InputError: the first problem in the file, with
    every other one pydantic found in `others` (`kitpress check` lists them all)."""
    if doc.data is None:
        required = [f.alias or n for n, f in model.model_fields.items() if f.is_required()]
        raise InputError(
            "the file is empty; it needs " + _keys(required) + " (see the README)",
            doc.mark(()),
        )
    try:
        return model.model_validate(doc.data, context=context)
    except ValidationError as e:
        first, *rest = _errors(model, doc, e)
        first.others = tuple(rest)
        raise first from None


def _errors(model: type[BaseModel], doc: YamlDoc, err: ValidationError) -> list[InputError]:
    """Every problem pydantic found, one message each, in the order of the file."""
    found = []
    # each item's dict lives as long as `items`, so no later dict takes its id()
    items = err.errors()
    branches: dict[int, int] = {}  # id(item): where its loc went into a union's member
    for item in items:
        shown, fields, branch = _follow(model, item["loc"])
        found.append((item, shown, fields))
        if branch is not None:
            branches[id(item)] = branch
    # A misspelt required key shows up twice: unknown 'itmes' and missing 'items'.
    # The unknown key is the one to report: it points at the typo.
    misspelt = {shown[:-1] for item, shown, _ in found if item["type"] == "extra_forbidden"}
    found = [f for f in found if not (f[0]["type"] == "missing" and f[1][:-1] in misspelt)]

    for i, (item, shown, fields) in enumerate(found):  # a cross-field check names its key
        error = (item.get("ctx") or {}).get("error")
        if item["type"] == "value_error" and isinstance(error, Located):
            blamed = [((*shown, *k), m) for k, m in ((error.key_path, error.message), *error.also)]
            own = [b for b in blamed if doc.mark(b[0]).file == doc.path]
            where, message = (own or blamed)[0]
            found[i] = ({**item, "msg": message, "ctx": {"error": message}}, where, fields)
    made = [(item, shown, _error(model, doc, item, shown, fields)) for item, shown, fields in found]
    errors: dict[str, InputError] = {}  # one line once (a union may fail alike twice)
    for error in _one_per_union(made, branches):
        errors.setdefault(str(error), error)

    def position(error: InputError) -> tuple[int, int]:
        m = error.mark
        return (m.line or 0, m.column or 0) if m is not None else (0, 0)

    return sorted(errors.values(), key=position)


def _error(
    model: type[BaseModel], doc: YamlDoc, item: Any, shown: KeyPath, fields: list[str]
) -> InputError:
    kind = item["type"]
    if kind == "extra_forbidden":
        key = str(shown[-1])
        return InputError(_unknown_key(key, fields), doc.mark(shown, key=True), shown)
    if kind == "missing":
        parent = shown[:-1]
        return InputError(f"missing required key '{shown[-1]}'; add it", doc.mark(parent), parent)
    if kind in {"model_type", "model_attributes_type"}:
        keys = _walk(model, (*item["loc"], ""))[1]  # the keys the expected mapping takes
        return InputError(
            f"expected 'key: value' lines ({', '.join(keys)}), got {_got(item.get('input'))}",
            doc.mark(shown),
            shown,
        )
    return InputError(_describe(item, shown), doc.mark(shown), shown)


def _keys(names: list[str]) -> str:
    quoted = [f"'{n}'" for n in names]
    if len(quoted) < 2:
        return "".join(quoted) or "its keys"
    return ", ".join(quoted[:-1]) + " and " + quoted[-1]


def _unknown_key(key: str, allowed: list[str]) -> str:
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    if close:
        return f"unknown key; did you mean '{close[0]}'?"
    if allowed:
        return "unknown key; allowed keys here: " + ", ".join(allowed)
    return "unknown key; remove it"


def _got(value: Any) -> str:
    if isinstance(value, bool):
        return "a yes/no value"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping (key: value pairs)"
    if value is None:
        return "nothing"
    return type(value).__name__


def _describe(item: Mapping[str, Any], shown: KeyPath) -> str:
    """The problem in words; `shown`: where it is, as the user wrote it."""
    kind, ctx = item["type"], item.get("ctx") or {}
    value: Any = item.get("input")
    if kind == "string_type":
        if isinstance(value, (bool, int, float)):
            return f"expected text, got {_got(value)}; put the text in double quotes"
        if value is None:
            last = shown[-1] if shown else None  # (not loc's: a union's member is named there)
            if isinstance(last, str):
                return f"expected text, got nothing; write it after '{last}:'"
            return "expected text, got nothing; write the text, or remove this '-' line"
        if isinstance(value, dict):  # `- Remember: keep it short` is a mapping to YAML
            if any(str(k).startswith(_CURLY) for k in value):
                return (
                    "curly quotes “ ” are not quotes to YAML, so the ': ' in the text starts "
                    'a key; use straight double quotes "…"'
                )
            return (
                "expected text, got 'key: value'; if the text holds ': ', put all of it in "
                "double quotes"
            )
        return f"expected text, got {_got(value)}"
    if kind in {"list_type", "tuple_type"}:
        return f"expected a list (lines starting with '- '), got {_got(value)}"
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        return f"expected a mapping of 'key: value' lines, got {_got(value)}"
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return f"expected a whole number, got {_got(value)}"
    if kind in {"float_type", "float_parsing"}:
        return f"expected a number, got {_got(value)}"
    if kind in {"bool_type", "bool_parsing"}:
        return f"expected true or false, got {_got(value)}"
    if kind == "too_short":
        if isinstance(value, str):
            return "must not be empty; write some text"
        n = ctx.get("min_length", 1)
        return "must not be empty; add at least one item" if n == 1 else f"needs at least {n} items"
    if kind == "too_long":
        n = ctx.get("max_length")
        if isinstance(value, str):
            return f"is too long ({len(value):,} characters); keep it to {n:,} or fewer"
        return f"has {len(value):,} items; at most {n:,} are allowed"
    if kind == "string_too_short":
        return "must not be empty; write some text"
    if kind == "string_too_long":
        n = ctx.get("max_length")
        return f"is too long ({len(value):,} characters); keep it to {n:,} or fewer"
    if kind == "literal_error":
        expected = ctx.get("expected", "")
        choices = [c.strip().strip("'") for c in re.split(r",| or ", expected) if c.strip()]
        if not isinstance(value, str):  # a number, a yes/no value: not as Python says it
            said = "an empty value" if value is None else _got(value)
            return f"{said} is not allowed here; use one of {expected}"
        same = [c for c in choices if c.lower() == value.lower()]
        close = same or difflib.get_close_matches(value, choices, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"use one of {expected}"
        return f"{quoted(value)} is not allowed here; {hint}"
    if kind in _LIMITS:
        return f"is {clip(value, 30)}; it must be {_LIMITS[kind]} {_limit(ctx, value)}"
    if kind == "value_error":
        return str(ctx.get("error", item["msg"]))
    if kind == "union_tag_invalid":
        tags = [t.strip().strip("'") for t in str(ctx.get("expected_tags", "")).split(",")]
        close = difflib.get_close_matches(str(ctx.get("tag")), tags, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"use one of {ctx.get('expected_tags')}"
        return f"{quoted(ctx.get('tag'))} is not a known type; {hint}"
    if kind == "union_tag_not_found":
        return f"missing required key '{ctx.get('discriminator', 'type').strip(chr(39))}'; add it"
    return item["msg"]


_CURLY = ("“", "”", "„", "‘", "’", "«")  # quotes a word processor types
_LIMITS = {
    "greater_than": "more than",
    "greater_than_equal": "at least",
    "less_than": "less than",
    "less_than_equal": "at most",
}


def _number(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _limit(ctx: Mapping[str, Any], value: Any) -> str:
    """The limit of a range, in the unit the value was written in (limits are in pt):
    'is 0.2in; it must be at least 0.5in'."""
    limit = next(iter(ctx.values()))
    if not isinstance(value, str):
        return _number(limit)
    unit = next((u for u in POINTS_PER_UNIT if value.strip().endswith(u)), "pt")
    return f"{round(float(limit) / POINTS_PER_UNIT[unit], 2):g}{unit}"


def _unwrap(tp: Any) -> Any:
    """Strip Optional/Annotated to the interesting type."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(args) != 1:
                return tp
            tp = args[0]
        else:
            return tp


def _union_member(tp: Any, tag: str) -> Any | None:
    """The member of a (discriminated) union that pydantic named in a loc."""
    for member in typing.get_args(tp):
        member = _unwrap(member)
        if isinstance(member, type) and issubclass(member, BaseModel):
            if member.__name__ == tag:
                return member
            for f in member.model_fields.values():
                if typing.get_origin(f.annotation) is typing.Literal and tag in typing.get_args(
                    f.annotation
                ):
                    return member
    return None


def _union_tags(tp: Any) -> tuple[str, list[str]] | None:
    """('type', ['text', 'tip', …]) for a union told apart by a Literal field."""
    for member in typing.get_args(tp):
        member = _unwrap(member)
        if isinstance(member, type) and issubclass(member, BaseModel):
            for name, f in member.model_fields.items():
                if typing.get_origin(f.annotation) is typing.Literal:
                    values = []
                    for m in typing.get_args(tp):
                        m = _unwrap(m)
                        is_model = isinstance(m, type) and issubclass(m, BaseModel)
                        field = m.model_fields.get(name) if is_model else None
                        if field is not None:
                            values += [str(v) for v in typing.get_args(field.annotation)]
                    return f.alias or name, values
    return None


# what pydantic says when a value has not the shape a type takes (text, a number, a
# list, a mapping, a Literal such as `noticed: false`): for a union, one such error per
# member it tried
_SHAPES = frozenset(
    {
        "literal_error",
        "string_type",
        "int_type",
        "int_parsing",
        "int_from_float",
        "float_type",
        "float_parsing",
        "bool_type",
        "bool_parsing",
        "list_type",
        "tuple_type",
        "dict_type",
        "model_type",
        "model_attributes_type",
    }
)
_EXPECTED = re.compile(r"expected (.+?), got ([^;]+)(;.*)?", re.DOTALL)


def _one_per_union(
    made: list[tuple[Any, KeyPath, InputError]], branches: dict[int, int]
) -> list[InputError]:
    """The errors, with those of a value that fits no member of a union (`copies: lots`
    for a number, or a mapping of numbers) made one: pydantic gives one for each member
    it tried. A member the value has the shape of says what is wrong (`copies: 0`: at
    least 1; `copies: {en: many}`: en is not a number); a value with none of their
    shapes gets one line naming them all: expected a whole number or a mapping …"""
    groups: dict[tuple, list[tuple[Any, KeyPath, InputError]]] = {}
    for entry in made:
        branch = branches.get(id(entry[0]))
        if branch is not None:
            groups.setdefault((branch, entry[1][:branch]), []).append(entry)
    merged: dict[int, InputError | None] = {}  # id(error): its group's line, or None
    for (branch, _), entries in groups.items():
        at = [(item, e) for item, shown, e in entries if len(shown) == branch]
        shape = [e for item, e in at if item["type"] in _SHAPES]
        if len(shape) == len(entries):  # no member took it: one line for them all
            said = [_said(item, e) for item, e in at]
            got = next((m[1] for m in said if m and m[1]), "")
            if len(shape) > 1 and all(said) and got:
                wanted = " or ".join(dict.fromkeys(m[0] for m in said if m))
                hint = next((m[2] for m in said if m and m[2]), "")  # put it in quotes …
                line = f"expected {wanted}, got {got}{hint}"
                one = InputError(line, shape[0].mark, shape[0].key_path)
                merged.update({id(e): None for e in shape})
                merged[id(shape[0])] = one
        elif not (at and _all_keys_unknown(at[0][0].get("input"), entries)):
            # a member took its shape: what is wrong there is what to say
            merged.update({id(e): None for e in shape})
    out = []
    for _, _, error in made:
        kept = merged.get(id(error), error)
        if kept is not None:
            out.append(kept)
    return out


def _all_keys_unknown(value: Any, entries: list[tuple[Any, KeyPath, InputError]]) -> bool:
    """Whether a mapping has a model member's shape alone: every key of it is unknown
    there. A row label `- Calls: weekly` is text with ': ' to a reader, and the text
    member's error (put it in double quotes) is worth saying too."""
    unknown = {shown for item, shown, _ in entries if item["type"] == "extra_forbidden"}
    return isinstance(value, dict) and len(unknown) == len(value) > 0


def _said(item: Any, error: InputError) -> tuple[str, str, str] | None:
    """(what is expected, what it got, a hint) of a shape error, or None."""
    if item["type"] == "literal_error":  # expected: "False" (YAML's false), "'a' or 'b'"
        expected = str((item.get("ctx") or {}).get("expected", ""))
        return re.sub(r"\b(True|False)\b", lambda m: m[0].lower(), expected), "", ""
    m = _EXPECTED.fullmatch(error.message)
    return (m[1], m[2], m[3] or "") if m else None


def _walk(model: type[BaseModel], loc: tuple) -> tuple[KeyPath, list[str]]:
    """Follow loc through the model: the loc as the user sees it (union tags dropped)
    and the keys allowed in the mapping where it ends (for 'did you mean')."""
    shown, fields, _ = _follow(model, loc)
    return shown, fields


def _follow(model: type[BaseModel], loc: tuple) -> tuple[KeyPath, list[str], int | None]:
    """_walk, and where loc last went into a member of a union (None: it did not): the
    number of keys shown before it. pydantic names the member it tried in loc (a model,
    a tag, 'constrained-int', 'dict[str,constrained-int]'): never a key the user wrote."""
    tp: Any = model
    shown: list[str | int] = []
    fields: list[str] = []
    branch: int | None = None
    for part in loc:
        tp = _unwrap(tp)
        origin = typing.get_origin(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            fields = [f.alias or name for name, f in tp.model_fields.items()]
            shown.append(part)
            f = tp.model_fields.get(part) if isinstance(part, str) else None
            tp = f.annotation if f else None
        elif origin in (list, tuple) and isinstance(part, int):
            shown.append(part)
            tp = typing.get_args(tp)[0] if typing.get_args(tp) else None
        elif origin is dict:
            shown.append(part)
            args = typing.get_args(tp)
            tp = args[1] if args else None
        elif origin in (typing.Union, types.UnionType) and isinstance(part, str):
            member = _union_member(tp, part) or _plain_member(tp, part)
            if member is not None:  # part names the member pydantic tried, not a key
                branch, tp = len(shown), member
            else:
                shown.append(part)
                # not yet known which member: what they all take is their tag key
                tags = _union_tags(tp)
                fields = [f"{tags[0]}: {' / '.join(tags[1])}"] if tags else []
                tp = None
        else:
            shown.append(part)
            tp = None
    return tuple(shown), fields, branch


_CONTAINERS = (dict, list, tuple, set, frozenset)


def _plain_member(tp: Any, label: str) -> Any | None:
    """The member of a union that pydantic named `label` in a loc, when it is no model:
    a container by its name ('dict[str,constrained-int]': the dict), anything else the
    union's one member that is neither a container nor a model ('constrained-int')."""
    kind = label.split("[", 1)[0]
    containers = {c.__name__ for c in _CONTAINERS}
    for member in typing.get_args(tp):
        member = _unwrap(member)
        origin = typing.get_origin(member)
        if origin in _CONTAINERS:
            if kind == origin.__name__:
                return member
        elif kind not in containers and not (
            isinstance(member, type) and issubclass(member, BaseModel)
        ):
            return member
    return None
