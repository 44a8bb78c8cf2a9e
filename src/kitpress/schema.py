"""JSON Schemas (draft 2020-12) of a kit's files, made from the pydantic models that
check them, so an editor with a YAML extension completes keys, shows what each one is
for, and underlines a misspelt key or a wrong type as it is typed.

They say what the models say about each file on its own (keys, types, allowed values,
lengths, unknown keys); what needs the whole kit (a layout name that exists, a card
that fits) stays with `kitpress check`.

`kitpress init` writes them into the new kit's .schemas/ folder and points each file
at its schema with a first line the YAML extension of VS Code reads:

    # yaml-language-server: $schema=../.schemas/checklist.schema.json
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema

DIALECT = "https://json-schema.org/draft/2020-12/schema"
FOLDER = ".schemas"  # in a kit made by `kitpress init`; the loader never reads it
MODELINE = "# yaml-language-server: $schema="


class _Generator(GenerateJsonSchema):
    """pydantic's draft 2020-12 schemas, with the dialect named at the top."""

    def generate(self, schema: Any, mode: Any = "validation") -> Any:
        made = super().generate(schema, mode=mode)
        return {"$schema": DIALECT, **made}


def _schema(model: type[BaseModel], title: str, about: str) -> dict[str, Any]:
    made = model.model_json_schema(by_alias=True, schema_generator=_Generator)
    _tidy(made)
    made["title"] = title
    made["description"] = about
    return made


# pydantic's names for a range it cannot say in JSON Schema, left beside a length that
# may be a number or text (0.5in): kitpress checks the range in points
_RANGES = ("gt", "ge", "lt", "le")


def _tidy(node: Any) -> None:
    if isinstance(node, dict):
        if "anyOf" in node:
            for key in _RANGES:
                node.pop(key, None)
        for value in node.values():
            _tidy(value)
    elif isinstance(node, list):
        for value in node:
            _tidy(value)


def names() -> list[str]:
    """Every schema's name, in the order listed: kit, labels, cover, each kind, layouts."""
    from kitpress import kinds

    handouts = kinds.names()
    layouts = ["layout", *(f"layout-{k}" for k in handouts), "layout-cover"]
    return ["kit", "labels", "cover", *handouts, *layouts, "facilities"]


def described() -> list[tuple[str, str]]:
    """(name, the files it is for), for `kitpress schema` with no name."""
    from kitpress import kinds

    rows = [
        ("kit", "kit.yaml"),
        ("labels", "<language>/labels.yaml"),
        ("cover", "<language>/cover.yaml"),
        *((k, f"handouts of kind: {k}") for k in kinds.names()),
        ("layout", "layouts/*.yaml shared by every kind (like base.yaml)"),
        *((f"layout-{k}", f"layouts/*.yaml for {k} handouts") for k in kinds.names()),
        ("layout-cover", "layouts/*.yaml for the cover"),
        ("facilities", "facilities.yaml, for a kit built once per facility"),
    ]
    return rows


def schema(name: str) -> dict[str, Any]:
    """The schema called `name` (one of names())."""
    from kitpress import kinds
    from kitpress.content.cover import Cover
    from kitpress.content.manifest import Manifest, labels_model
    from kitpress.layouts.models import BaseLayout, CoverLayout

    if name == "kit":
        return _schema(
            Manifest,
            "kit.yaml",
            "The kit's manifest: its title, who hands it out, its languages and handouts.",
        )
    if name == "labels":
        labels = labels_model(frozenset(kinds.all_words()))
        return _schema(
            labels, "labels.yaml", "Small words printed on the handouts, in one language."
        )
    if name == "cover":
        return _schema(Cover, "cover.yaml", "The cover of the combined kit.pdf, in one language.")
    if name in kinds.names():
        kind = kinds.kind(name)
        made = _schema(kind.content, f"{name} handout", f"A handout of kind: {name}.")
        made["properties"]["file"] = {
            "type": "string",
            "pattern": "^[a-z0-9][a-z0-9-]{0,79}$",
            "description": "The name of this handout's PDF in this language, without .pdf "
            "(default: the handout's name in kit.yaml).",
        }
        return made
    if name == "facilities":
        return _facilities()
    if name.startswith("layout"):
        made_for = name.removeprefix("layout").removeprefix("-")
        model: type[BaseModel] = BaseLayout
        if made_for == "cover":
            model = CoverLayout
        elif made_for:
            model = kinds.kind(made_for).layout
        return _layout(model, name, made_for)
    raise KeyError(name)


def _facilities() -> dict[str, Any]:
    """facilities.yaml: a list of facilities, each an id, a name and any other columns
    (each a text the kit's files use as {facility.column})."""
    from pydantic import TypeAdapter

    from kitpress.facilities import COLUMN, Facility

    made = TypeAdapter(list[Facility]).json_schema(by_alias=True, schema_generator=_Generator)
    _tidy(made)
    row = made["$defs"]["Facility"]
    row["propertyNames"] = {"pattern": COLUMN.pattern}
    # a number is a text here (a ZIP code, copies_es: 20), as Facility reads it
    row["additionalProperties"] = {
        **row["additionalProperties"],
        "type": ["string", "number"],
        "description": "A column the kit's texts use as {facility.column}.",
    }
    row["properties"]["name"]["type"] = ["string", "number"]
    made["title"] = "facilities.yaml"
    made["description"] = "The facilities a kit is built for, one kit each."
    return made


def _layout(model: type[BaseModel], name: str, made_for: str) -> dict[str, Any]:
    """A layout file sets only what it changes in the layout it extends, so no key is
    required in it; `name` comes from the file's name, and `extends` names the parent."""
    about = f"A layout for {made_for} handouts." if made_for else "A layout any kind may extend."
    made = _schema(model, name, about + " Set only what changes; 'extends' gives the rest.")
    made = _optional(made)
    made["properties"].pop("name", None)
    made["properties"] = {
        "extends": {
            "type": "string",
            "description": "The layout this one changes (a bundled one like checklist, or "
            "another in this kit's layouts/ folder).",
        },
        **made["properties"],
    }
    return made


def _optional(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema with no key required anywhere."""
    schema = copy.deepcopy(schema)

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            node.pop("required", None)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    return schema


def schema_file(name: str) -> str:
    return f"{name}.schema.json"


def text(name: str) -> str:
    """The schema as the file holds it."""
    return json.dumps(schema(name), indent=2, ensure_ascii=False) + "\n"


def for_kit_file(data: Any, file_name: str) -> str | None:
    """The schema a kit file's first line should name: by its name, else its kind:."""
    from kitpress import kinds

    if file_name == "kit.yaml":
        return "kit"
    if file_name in ("labels.yaml", "cover.yaml", "facilities.yaml"):
        return file_name.removesuffix(".yaml")
    kind = data.get("kind") if isinstance(data, dict) else None
    return kind if isinstance(kind, str) and kind in kinds.names() else None


def add_schemas(kit: Path) -> None:
    """Write the schemas into kit/.schemas/ and name each file's schema on its first
    line (a YAML comment: kitpress reads past it)."""
    import yaml

    folder = kit / FOLDER
    folder.mkdir()
    for name in names():
        (folder / schema_file(name)).write_text(text(name), encoding="utf-8")
    facilities = [kit / "facilities.yaml"] if (kit / "facilities.yaml").is_file() else []
    for path in sorted([kit / "kit.yaml", *facilities, *kit.glob("*/*.yaml")]):
        if path.parent.name == "layouts":
            continue  # a layout extends another: which kind it is for, its author knows
        body = path.read_text(encoding="utf-8")
        which = for_kit_file(yaml.safe_load(body), path.name)
        if which is None:
            continue
        up = "" if path.parent == kit else "../"
        line = f"{MODELINE}{up}{FOLDER}/{schema_file(which)}\n"
        path.write_text(line + body, encoding="utf-8")
