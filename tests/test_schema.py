"""JSON Schemas for editors (kitpress schema, kitpress init): the default kit's files
and the bundled layouts validate against them with the jsonschema library; a broken
file does not; the loader reads past the schema line and folder."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from kitpress import schema
from kitpress.cli import cli
from kitpress.paths import bundled

KIT_FILES = sorted(
    p.relative_to(bundled("kit")).as_posix()
    for p in [bundled("kit") / "kit.yaml", *bundled("kit").glob("*/*.yaml")]
)


def validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(schema.schema(name))


def kit_file(rel: str) -> tuple[str, Any]:
    data = yaml.safe_load((bundled("kit") / rel).read_text(encoding="utf-8"))
    name = schema.for_kit_file(data, Path(rel).name)
    assert name is not None, rel
    return name, data


def messages(name: str, data: Any) -> list[str]:
    """Every error, and those under an anyOf (a list that may also be left out)."""
    found: list[str] = []

    def walk(errors: Any) -> None:
        for e in errors:
            found.append(e.message)
            walk(e.context or [])

    walk(validator(name).iter_errors(data))
    return found


@pytest.mark.parametrize("name", schema.names())
def test_each_schema_is_draft_2020_12(name: str):
    made = schema.schema(name)
    assert made["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(made)
    if name == "facilities":  # a list of rows, each with columns of its own
        assert made["$defs"]["Facility"]["propertyNames"]["pattern"]
        return
    assert made["additionalProperties"] is False  # unknown keys are flagged


def test_there_is_a_schema_for_every_file_a_kit_holds():
    assert schema.names()[:3] == ["kit", "labels", "cover"]
    assert {"checklist", "card-deck", "worksheet", "resource-sheet"} <= set(schema.names())
    assert {"layout", "layout-checklist", "layout-cover"} <= set(schema.names())


@pytest.mark.parametrize("rel", KIT_FILES)
def test_every_file_of_the_default_kit_validates(rel: str):
    assert len(KIT_FILES) == 13  # kit.yaml and six files in each of en/ and es/
    name, data = kit_file(rel)
    assert messages(name, data) == []


def _layout_kind(path: Path) -> str | None:
    """The kind a bundled layout draws, following its extends chain."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    while "kind" not in data and "extends" in data:
        near = path.parent / f"{data['extends']}.yaml"
        path = near if near.exists() and near != path else bundled("layouts") / near.name
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return data.get("kind")


LAYOUTS = sorted(bundled("layouts").rglob("*.yaml"))


@pytest.mark.parametrize(
    "path", LAYOUTS, ids=lambda p: p.relative_to(bundled("layouts")).as_posix()
)
def test_every_bundled_layout_validates(path: Path):
    kind = _layout_kind(path)
    name = f"layout-{kind}" if kind else "layout"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    assert messages(name, data) == []


def test_a_layout_that_sets_one_thing_validates_and_a_wrong_length_does_not():
    assert messages("layout-checklist", {"extends": "checklist", "max_pages": 4}) == []
    margins = {"top": "0.75in", "bottom": 54, "left": "2cm", "right": "20mm"}
    assert messages("layout", {"extends": "base", "page": {"margins": margins}}) == []
    assert messages("layout", {"extends": "base", "page": {"margins": {"top": "wide"}}})
    assert messages("layout", {"extends": "base", "pgae": {}})


def test_an_unknown_key_is_flagged_at_any_depth():
    name, data = kit_file("en/withdrawal-signs-checklist.yaml")
    data["colour"] = "blue"
    assert messages(name, data) == [
        "Additional properties are not allowed ('colour' was unexpected)"
    ]
    name, data = kit_file("en/withdrawal-signs-checklist.yaml")
    section = next(s for s in data["sections"] if "items" in s)
    section["itmes"] = section.pop("items")
    assert any("'itmes' was unexpected" in m for m in messages(name, data))


def test_a_wrong_type_is_flagged():
    name, data = kit_file("en/letter-prompt-cards.yaml")
    data["categories"][0]["cards"] = "just one text"
    assert messages(name, data)
    name, data = kit_file("kit.yaml")
    data["paper"] = 11
    assert messages(name, data)
    name, data = kit_file("en/cover.yaml")
    del data["intro"]  # required
    assert messages(name, data) == ["'intro' is a required property"]


def test_aliases_are_the_keys_written():
    """A swap's `try:` (try_ in Python) and a box part's `list:` are what a file says."""
    name, data = kit_file("en/withdrawal-signs-checklist.yaml")
    swaps = next(s for s in data["sections"] if "swaps" in s)["swaps"]
    assert "try" in swaps[0]
    swaps[0]["try_"] = swaps[0].pop("try")
    assert any("'try_' was unexpected" in m for m in messages(name, data))


def test_a_handout_may_name_its_pdf():
    name, data = kit_file("es/withdrawal-signs-checklist.yaml")
    assert data["file"] == "cuando-se-alejan"
    data["file"] = "Cuando se alejan.pdf"
    assert messages(name, data)


def _described(node: Any, path: str = "") -> list[str]:
    """Properties with no description, anywhere in a schema."""
    missing = []
    if isinstance(node, dict):
        for key, prop in (node.get("properties") or {}).items():
            if "description" not in prop and key != "kind":
                missing.append(f"{path}.{key}")
        for key, value in node.items():
            missing += _described(value, f"{path}/{key}")
    elif isinstance(node, list):
        for value in node:
            missing += _described(value, path)
    return missing


@pytest.mark.parametrize(
    "name", ["kit", "labels", "cover", "checklist", "card-deck", "worksheet", "resource-sheet"]
)
def test_every_key_a_volunteer_writes_is_described(name: str):
    made = schema.schema(name)
    skip = {"/$defs/Labels", "/$defs/WebWords"} if name == "labels" else set()
    missing = [m for m in _described(made) if not any(m.startswith(s) for s in skip)]
    # labels.yaml's words for the kinds are made on the fly (labels_model)
    missing = [m for m in missing if not (name == "labels" and m.count(".") == 1)]
    assert missing == []


# --- kitpress schema ---------------------------------------------------------------


def invoke(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args), prog_name="kitpress")


def test_schema_lists_prints_and_writes(tmp_path: Path):
    listed = invoke("schema")
    assert listed.exit_code == 0
    assert [line.split()[0] for line in listed.stdout.splitlines()[: len(schema.names())]] == (
        schema.names()
    )
    one = invoke("schema", "cover")
    assert one.exit_code == 0 and json.loads(one.stdout) == schema.schema("cover")
    written = invoke("schema", "--out", str(tmp_path / "schemas"))
    assert written.exit_code == 0, written.output
    files = sorted(p.name for p in (tmp_path / "schemas").iterdir())
    assert files == sorted(f"{n}.schema.json" for n in schema.names())
    wrong = invoke("schema", "covr")
    assert wrong.exit_code == 2 and "did you mean 'cover'?" in wrong.stderr


def test_the_schema_code_is_not_imported_for_help():
    code = (
        "import sys, kitpress.cli; "
        "print('kitpress.schema' in sys.modules, 'jsonschema' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


# --- kitpress init -----------------------------------------------------------------


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("init")
    kit = root / "mine"
    result = invoke("init", str(kit))
    assert result.exit_code == 0, result.output
    return kit


def test_init_points_each_file_at_its_schema(made: Path):
    for rel in KIT_FILES:
        first = (made / rel).read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), rel
        target = (made / rel).parent / first.split("$schema=", 1)[1]
        name, data = kit_file(rel)
        assert target.resolve() == (made / ".schemas" / f"{name}.schema.json").resolve()
        on_disk = json.loads(target.read_text(encoding="utf-8"))
        assert Draft202012Validator(on_disk).iter_errors(data) is not None
        assert list(Draft202012Validator(on_disk).iter_errors(data)) == []


def test_the_loader_reads_past_the_schema_line_and_folder(made: Path):
    result = invoke("check", str(made))
    assert result.exit_code == 0, result.output
    # nothing but the warnings of the example's stand-ins, which `init` copied
    assert all(line.startswith("warning: ") for line in result.stderr.splitlines())


def test_init_copies_carry_the_example_marks(made: Path):
    """A group sees on its own copy what to change: the example's group name."""
    manifest = yaml.safe_load((made / "kit.yaml").read_text(encoding="utf-8"))
    assert manifest["organization"]["name"] == {
        "en": "Your group's name here",
        "es": "El nombre de su grupo aquí",
    }


def test_facilities_yaml_has_a_schema():
    """The example outreach kit's facilities, written as facilities.yaml, validate; an
    id that is not a folder name, a column kitpress refuses, or no name do not."""
    import csv

    example = Path(__file__).resolve().parents[1] / "examples" / "outreach-kit"
    with open(example / "facilities.csv", encoding="utf-8-sig", newline="") as f:
        rows: list[dict[str, Any]] = list(csv.DictReader(f))
    rows[0]["copies_es"] = 25  # a number, as YAML reads it, is fine
    assert schema.for_kit_file(rows, "facilities.yaml") == "facilities"
    assert messages("facilities", rows) == []
    for broken in ({"id": "../up"}, {"Visiting Hours": "9 am"}, {"name": None}):
        row = {**rows[1], **broken}
        if broken == {"name": None}:
            del row["name"]
        assert messages("facilities", [row]), broken
