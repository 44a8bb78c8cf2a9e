"""Building one kit per facility (build/check --facility, --jobs, --shard): the shipped
example read back from its PDFs, the print plan of them all, sharding, usage errors,
all or nothing across facilities, and Ctrl-C stopping the workers."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from kitpress.cli import cli
from kitpress.content.resources import website_uri
from kitpress.errors import InputError
from kitpress.facilities import load_table
from kitpress.outreach import Shard, _one, choose, parse_shard
from tests.pdfread import all_text, norm
from tests.test_bad_inputs import snapshot
from tests.test_facilities import small_kit
from tests.test_interrupt import ENV, kitpress, read_until
from tests.test_resources import decode

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "outreach-kit"
BUILD_ONE = _one
EPOCH = "1700000000"  # the same date in every PDF, so files can be compared


def facilities() -> list[dict[str, str]]:
    with open(EXAMPLE / "facilities.csv", encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped example kit built once, for every facility, in two processes."""
    out = tmp_path_factory.mktemp("example") / "out"
    result = CliRunner().invoke(
        cli,
        ["build", str(EXAMPLE), "-o", str(out), "--facility", "all", "--jobs", "2"],
        env={"SOURCE_DATE_EPOCH": EPOCH},
    )
    assert result.exit_code == 0, result.output
    return out


def test_the_example_has_three_fictional_facilities_in_csv():
    rows = facilities()
    assert len(rows) == 3
    assert all("(example)" in row["name"] for row in rows)
    assert all(row["phone"].startswith("555-01") for row in rows)


def test_each_facility_has_its_own_hours_on_its_visiting_day_sheet(example):
    rows = facilities()
    for lang, pdf, column in (
        ("en", "visiting-day.pdf", "visiting_hours"),
        ("es", "dia-de-visita.pdf", "visiting_hours_es"),
    ):
        for row in rows:
            text = norm(all_text(example / row["id"] / lang / pdf))
            assert norm(row[column]) in text, (row["id"], lang)
            assert norm(row["mail_box"].splitlines()[0]) in text
            for other in rows:
                if other is not row:
                    assert norm(other[column]) not in text
                    assert other["short_name"] not in text


def test_each_facility_is_named_on_its_kits_cover(example):
    for row in facilities():
        for lang in ("en", "es"):
            cover = norm(all_text(example / row["id"] / lang / "kit.pdf").split("\f")[0])
            assert row["short_name"] in cover


def test_each_facilitys_qr_code_decodes_to_its_own_website(example, tmp_path):
    for row in facilities():
        found = [
            text
            for text, _, _ in decode(example / row["id"] / "en" / "visiting-day.pdf", 1, tmp_path)
        ]
        assert website_uri(row["website"]) in found, (row["id"], found)


def sheets(block: str) -> dict[str, int]:
    """'  325 sheets of Letter …' lines of a print plan's block: paper -> sheets."""
    return {m[2]: int(m[1]) for m in re.finditer(r"^ +(\d+) sheets of (.+)$", block, re.M)}


def test_the_print_plan_has_a_block_per_facility_and_grand_totals(example):
    plan = (example / "print-plan.txt").read_text(encoding="utf-8")
    rows = facilities()
    assert plan.startswith("Print plan: Staying Close / Seguimos cerca, 3 facilities\n")
    totals: dict[str, int] = {}
    for row in rows:
        assert f"== {row['id']}/: {row['name']}\n" in plan
        own = (example / row["id"] / "print-plan.txt").read_text(encoding="utf-8")
        # the facility's copies per language, from its copies_en and copies_es
        assert f"en: {row['copies_en']} kits" in own
        assert f"es: {row['copies_es']} kits" in own
        for paper, n in sheets(own.split("Paper for all the kits:")[1]).items():
            totals[paper] = totals.get(paper, 0) + n
    grand = plan.split("Paper for all the kits of all 3 facilities:")[1]
    assert sheets(grand.split("  in all:")[1]) == totals
    by_lang = grand.split("  in all:")[0]
    per_lang = [sheets(b) for b in re.split(r"^  \w+:$", by_lang, flags=re.M)[1:]]
    assert len(per_lang) == 2
    assert {p: per_lang[0].get(p, 0) + per_lang[1].get(p, 0) for p in totals} == totals


def test_no_staging_folder_is_left(example):
    assert sorted(p.name for p in example.iterdir()) == [
        "maple-hollow",
        "north-ridge",
        "print-plan.txt",
        "riverbend",
    ]


def test_the_example_needs_a_facility_to_build(tmp_path):
    result = CliRunner().invoke(cli, ["build", str(EXAMPLE), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "add --facility all, or --facility and an id" in result.stderr
    assert not (tmp_path / "out").exists()


def test_check_without_facility_checks_every_facility_of_a_kit_built_per_facility(tmp_path):
    kit = tiny_kit(tmp_path / "kit", IDS[:2])
    result = CliRunner().invoke(cli, ["check", str(kit)])
    assert result.exit_code == 0, result.output
    assert re.findall(r"^ok (\w+) ", result.stdout, re.M) == ["a", "b"]
    assert result.stdout.rstrip().endswith("2 facilities ready to build")


def test_the_preview_shows_the_first_facility(tmp_path):
    from kitpress.options import Options
    from kitpress.preview.live import Live

    shot = Live(EXAMPLE, Options()).update()
    assert shot.issues == ()
    first = facilities()[0]
    visiting = next(p for p in shot.files if p.endswith("en/visiting-day.pdf"))
    path = tmp_path / "v.pdf"
    path.write_bytes(shot.files[visiting])
    assert norm(first["visiting_hours"]) in norm(all_text(path))


def test_the_preview_says_which_facilitys_value_a_problem_comes_from(tmp_path):
    """A bad phone in the first row: shown at the text that uses it, naming the facility."""
    from kitpress.options import Options
    from kitpress.preview.live import Live

    kit = tmp_path / "kit"
    shutil.copytree(EXAMPLE, kit)
    rows = list(csv.reader((kit / "facilities.csv").open(encoding="utf-8-sig", newline="")))
    rows[1][rows[0].index("phone")] = "call us"
    with (kit / "facilities.csv").open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    shot = Live(kit, Options()).update()
    first = facilities()[0]["id"]
    texts = [i.text for i in shot.issues]
    assert texts and all(f"(facility '{first}', facilities.csv line 2)" in t for t in texts)
    assert all("visiting-day.yaml" in i.where or "dia-de-visita" in i.where for i in shot.issues)


# ---- a small kit: one handout, quick to build ---------------------------------------

IDS = ["a", "b", "c", "d", "e"]


def tiny_kit(root: Path, ids: list[str] = IDS, phone: dict[str, str] | None = None) -> Path:
    phones = phone or {}
    rows = "".join(
        f"{i},{i.upper()} (example),Sat {n} am,Sáb {n} a. m.,{phones.get(i, '555-0100')},{n}\n"
        for n, i in enumerate(ids, 1)
    )
    small_kit(root, "id,name,visiting_hours,visiting_hours_es,phone,copies_es\n" + rows)
    manifest = root / "kit.yaml"
    text = manifest.read_text(encoding="utf-8")
    start = text.index("handouts:")
    end = text.index("\n#", start)
    manifest.write_text(text[:start] + "handouts: [visiting-day]" + text[end:], encoding="utf-8")
    return root


def test_a_run_lets_go_of_its_kit_and_kept_handouts_when_it_ends(tmp_path):
    """In one process (a library caller, a test run) the run's loaded kit and the
    handouts kept for its facilities are not held after it, done or failed."""
    from kitpress import outreach
    from kitpress.kept import KEPT

    kit = tiny_kit(tmp_path / "kit", IDS[:2])
    args = ["build", str(kit), "-o", str(tmp_path / "out"), "--facility", "all", "-j", "1"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert outreach._RUN is None and not KEPT
    (kit / "en" / "visiting-day.yaml").write_text("title: [", encoding="utf-8")
    assert CliRunner().invoke(cli, [*args[:-2], "-j", "1"]).exit_code == 1
    assert outreach._RUN is None and not KEPT


def test_json_gives_every_facilitys_files_and_the_grand_totals(tmp_path):
    kit = tiny_kit(tmp_path / "kit", IDS[:2])
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["build", str(kit), "-o", str(out), "--facility", "all", "--json", "-j", "1"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [f["id"] for f in data["facilities"]] == ["a", "b"]
    assert data["print_plan"] == str(out / "print-plan.txt")
    expected: dict[str, dict[str, int]] = {}
    for facility in data["facilities"]:
        for f in facility["files"]:
            assert Path(f["path"]).is_file()
            if f["kits"] is not None:
                for key in (f["language"], "all"):
                    by_paper = expected.setdefault(key, {})
                    by_paper[f["paper"]] = by_paper.get(f["paper"], 0) + f["sheets"] * f["kits"]
    assert data["totals"] == expected
    es = [f for f in data["facilities"][1]["files"] if f["language"] == "es" and f["kits"]]
    es_kits = {f["kits"] for f in es}
    assert es_kits == {2}  # b's copies_es


@pytest.mark.parametrize(
    ("text", "shard"), [("1/1", Shard(1, 1)), ("2/4", Shard(2, 4)), (" 3 / 3 ", Shard(3, 3))]
)
def test_a_shard_is_k_of_n_counted_from_one(text, shard):
    assert parse_shard(text) == shard


@pytest.mark.parametrize("text", ["0/3", "4/3", "1/0", "a/b", "2", "-1/3", "1/3/5", ""])
def test_a_bad_shard_is_a_usage_error(tmp_path, text):
    with pytest.raises(ValueError):
        parse_shard(text)
    result = CliRunner().invoke(cli, ["build", "--facility", "all", "--shard", text])
    assert result.exit_code == 2
    assert "Invalid value for '--shard'" in result.stderr


@pytest.mark.parametrize(
    ("text", "said"),
    [("1/0", "N is how many shares, at least 1"), ("3/2", "like 1/2 … 2/2"), ("0/4", "1/4 … 4/4")],
)
def test_a_bad_shard_says_what_to_write(text, said):
    with pytest.raises(ValueError, match=said):
        parse_shard(text)


def test_shards_split_the_chosen_facilities_between_them(tmp_path):
    kit = tiny_kit(tmp_path / "kit")
    table = load_table(kit)
    assert table is not None
    picked = {k: [r.id for r in choose(table, ("all",), Shard(k, 2))] for k in (1, 2)}
    assert picked == {1: ["a", "c", "e"], 2: ["b", "d"]}
    # chosen ids in the file's order, then shared out; a share may be empty
    assert [r.id for r in choose(table, ("e,a", "c"), Shard(2, 3))] == ["c"]
    assert choose(table, ("a",), Shard(2, 2)) == []


def test_a_shard_builds_only_its_facilities(tmp_path):
    kit = tiny_kit(tmp_path / "kit")
    out = tmp_path / "out"
    args = ["build", str(kit), "-o", str(out), "--facility", "all", "--shard", "2/2", "-j", "2"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["b", "d", "print-plan.txt"]
    assert "(shard 2/2)" in (out / "print-plan.txt").read_text(encoding="utf-8").splitlines()[0]
    check = CliRunner().invoke(cli, ["check", str(kit), "--facility", "all", "--shard", "1/2"])
    assert check.exit_code == 0, check.output
    assert re.findall(r"^ok (\w+) ", check.stdout, re.M) == ["a", "c", "e"]


def test_an_empty_shard_writes_nothing_and_says_so(tmp_path):
    kit = tiny_kit(tmp_path / "kit", IDS[:1])
    out = tmp_path / "out"
    args = ["build", str(kit), "-o", str(out), "--facility", "all", "--shard", "2/2"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0
    assert "shard 2/2: no facilities in this share; nothing was written" in result.stdout
    assert not out.exists()


def test_an_unknown_id_is_a_usage_error_listing_the_ids(tmp_path):
    kit = tiny_kit(tmp_path / "kit")
    result = CliRunner().invoke(cli, ["build", str(kit), "--facility", "a,bb"])
    assert result.exit_code == 2
    assert "--facility 'bb': facilities.csv has no facility with that id" in result.stderr
    assert "use all, or one of: a, b, c, d, e" in result.stderr


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_unknown_only_name_is_one_usage_error_for_every_facility(tmp_path, jobs):
    """--only names a handout the kit lacks: the command line's mistake, the same for
    every facility, so no facility is named in it (a worker's error comes back whole)."""
    kit, out = tiny_kit(tmp_path / "kit"), tmp_path / "out"
    args = ["build", str(kit), "-o", str(out), "--facility", "all", "--only", "nope", "-j", jobs]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines()[-1].startswith(
        "Error: Invalid value for '--only': no handout is named 'nope'; choose from: "
    )
    assert "facility" not in result.stderr.splitlines()[-1]
    assert not out.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        # a build's --jobs also builds its languages side by side (test_forked.py)
        (["check", "--jobs", "2"], "--jobs works with --facility"),
        (["build", "--shard", "1/2"], "--shard works with --facility"),
        (["check", "--shard", "1/2"], "--shard works with --facility"),
        (["build", "--jobs", "2", "--shard", "1/2"], "--shard works with --facility"),
    ],
)
def test_jobs_and_shard_need_facility(args, message):
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_facility_without_a_facilities_file_is_a_usage_error(kit_copy):
    result = CliRunner().invoke(cli, ["build", str(kit_copy), "--facility", "all"])
    assert result.exit_code == 2
    assert "this kit has no facilities.csv or facilities.yaml" in result.stderr


def test_chosen_ids_build_only_those_facilities(tmp_path):
    kit = tiny_kit(tmp_path / "kit")
    out = tmp_path / "out"
    args = ["build", str(kit), "-o", str(out), "--facility", "e", "--facility", "b", "-q"]
    assert CliRunner().invoke(cli, args).exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == ["b", "e", "print-plan.txt"]
    text = norm(all_text(out / "e" / "es" / "dia-de-visita.pdf"))
    assert "Sáb 5 a. m." in text and "Sáb 2 a. m." not in text


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_failure_in_any_facility_writes_nothing_for_any(tmp_path, jobs):
    kit = tiny_kit(tmp_path / "kit", IDS[:3])
    out = tmp_path / "out"
    runner = CliRunner()
    first = runner.invoke(cli, ["build", str(kit), "-o", str(out), "--facility", "all", "-q"])
    assert first.exit_code == 0, first.output
    before = snapshot(out)
    tiny_kit(_fresh(tmp_path / "kit"), IDS[:3], phone={"c": "call the front desk"})
    # the other facilities changed too (their hours), so a half-written build would show
    text = (kit / "facilities.csv").read_text(encoding="utf-8").replace("Sat", "Sun")
    (kit / "facilities.csv").write_text(text, encoding="utf-8")
    result = runner.invoke(
        cli, ["build", str(kit), "-o", str(out), "--facility", "all", "-j", jobs]
    )
    assert result.exit_code == 1
    line = result.stderr.strip()
    assert "\n" not in line
    assert re.match(rf"^{re.escape(str(kit))}/en/visiting-day.yaml:\d+:\d+: ", line)
    assert line.endswith("(facility 'c', facilities.csv line 4)")
    assert snapshot(out) == before  # no new file, no staging folder, nothing half-written


def _fresh(root: Path) -> Path:
    shutil.rmtree(root)
    return root


def test_a_text_too_long_for_one_facility_names_it(tmp_path):
    kit = tiny_kit(tmp_path / "kit", IDS[:2])
    rows = (kit / "facilities.csv").read_text(encoding="utf-8").splitlines()
    long = "Open " + " and ".join(f"on day {n}" for n in range(300))
    rows[2] = rows[2].replace("Sat 2 am", long)
    (kit / "facilities.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(kit), "--facility", "all", "-j", "1"])
    assert result.exit_code == 1
    assert result.stderr.strip().endswith("(facility 'b', facilities.csv line 3)")
    assert "visiting-day.yaml" in result.stderr


def test_ctrl_c_stops_the_workers_and_leaves_no_temporary_files(tmp_path):
    kit = tmp_path / "kit"
    shutil.copytree(EXAMPLE, kit)
    rows = facilities()
    with open(kit / "facilities.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        for n in range(40):  # about a minute of work for two processes
            writer.writerow({**rows[n % 3], "id": f"f{n:02d}"})
    out = tmp_path / "out"
    out.mkdir()
    (out / "earlier.txt").write_text("kept")
    before = snapshot(out)
    leader, follower = os.openpty()
    proc = subprocess.Popen(
        kitpress("build", "kit", "-o", "out", "--facility", "all", "--jobs", "2"),
        cwd=tmp_path,
        env=ENV,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=follower,
        start_new_session=True,  # its own process group, as a terminal gives a command
    )
    os.close(follower)
    try:
        started = read_until(leader, b"/40", timeout=120)  # the bar: a facility is done
        assert b"/40" in started, started
        staging = [p.name for p in out.iterdir() if p.name.startswith(".kitpress-facilities")]
        assert len(staging) == 1  # the workers are writing there
        os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C: every process of the group gets it
        said = read_until(leader, b"as they were", timeout=60)
        code = proc.wait(timeout=60)
    finally:
        with _gone():
            os.killpg(proc.pid, signal.SIGKILL)
        os.close(leader)
    assert code == 128 + signal.SIGINT
    assert (
        said.decode()
        .splitlines()[-1]
        .endswith("interrupted; nothing was written, earlier outputs are as they were")
    )
    assert snapshot(out) == before
    with pytest.raises(ProcessLookupError):  # no worker outlived the build
        os.killpg(proc.pid, 0)


def test_workers_die_with_a_parent_killed_outright(tmp_path):
    kit = tmp_path / "kit"
    shutil.copytree(EXAMPLE, kit)
    rows = facilities()
    with open(kit / "facilities.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        for n in range(40):
            writer.writerow({**rows[n % 3], "id": f"f{n:02d}"})
    leader, follower = os.openpty()
    proc = subprocess.Popen(
        kitpress("build", "kit", "-o", "out", "--facility", "all", "--jobs", "2"),
        cwd=tmp_path,
        env=ENV,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=follower,
        start_new_session=True,
    )
    os.close(follower)
    try:
        started = read_until(leader, b"/40", timeout=120)
        assert b"/40" in started, started
        proc.kill()  # kill -9: no clean-up in the parent at all
        proc.wait(timeout=60)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                os.killpg(proc.pid, 0)
            except ProcessLookupError:
                break  # no worker left in the group
            time.sleep(0.1)
        with pytest.raises(ProcessLookupError):
            os.killpg(proc.pid, 0)
    finally:
        with _gone():
            os.killpg(proc.pid, signal.SIGKILL)
        os.close(leader)


class _gone:
    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, *rest) -> bool:
        return kind is ProcessLookupError


def test_check_names_every_facility(tmp_path):
    kit = tiny_kit(tmp_path / "kit", IDS[:2])
    result = CliRunner().invoke(cli, ["check", str(kit), "--facility", "all", "-j", "2"])
    assert result.exit_code == 0, result.output
    assert re.findall(r"^ok (\w+) \((\d+) handouts", result.stdout, re.M) == [
        ("a", "2"),
        ("b", "2"),
    ]
    assert result.stdout.rstrip().endswith("2 facilities ready to build")


def test_unknown_field_is_said_once_without_a_facility_name(tmp_path):
    kit = tiny_kit(tmp_path / "kit", IDS[:2])
    path = kit / "es" / "visiting-day.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("{facility.phone}", "{facility.telefono}"),
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        cli, ["build", str(kit), "--facility", "all", "-o", str(tmp_path / "o")]
    )
    assert result.exit_code == 1
    assert "unknown field {facility.telefono}" in result.stderr
    assert "(facility" not in result.stderr
    assert not (tmp_path / "o").exists()


def test_input_error_class_survives_the_pool(tmp_path):
    # errors come back from a worker as values and are raised as the same class
    kit = tiny_kit(tmp_path / "kit", IDS[:2], phone={"b": "no phone"})
    from kitpress.options import Options
    from kitpress.outreach import check_facilities

    with pytest.raises(InputError, match=r"\(facility 'b', facilities.csv line 3\)$"):
        check_facilities(kit, Options(), (), (), ("all",), jobs=2)


if sys.platform != "linux":  # fork, process groups and pseudo-terminals
    pytestmark = pytest.mark.skip(reason="Linux only")


def dies_at_the_second(i: int):
    """outreach._one, but the worker building the second facility dies."""
    if i == 1:
        os._exit(9)  # as the out-of-memory killer would end it
    return BUILD_ONE(i)


def test_a_worker_that_dies_is_an_error_not_a_hang(tmp_path, monkeypatch):
    from kitpress import outreach
    from kitpress.errors import OutputError
    from kitpress.options import Options

    kit = tiny_kit(tmp_path / "kit", IDS[:3])
    monkeypatch.setattr(outreach, "_one", dies_at_the_second)
    with pytest.raises(OutputError, match="a worker process stopped without a word"):
        outreach.check_facilities(kit, Options(), (), (), ("all",), jobs=2)


def test_reused_handouts_give_the_same_files_as_a_facility_built_alone(example, tmp_path):
    """A worker lays out a handout that reads the same for every facility once: the
    files of the last facility built after the others are those it gets alone."""
    out = tmp_path / "out"
    args = ["build", str(EXAMPLE), "-o", str(out), "--facility", "riverbend", "-q"]
    result = CliRunner().invoke(cli, args, env={"SOURCE_DATE_EPOCH": EPOCH})
    assert result.exit_code == 0, result.output
    alone = snapshot(out / "riverbend")
    assert alone == snapshot(example / "riverbend")


def test_a_staging_folder_a_killed_run_left_is_removed_by_the_next(tmp_path):
    kit = tiny_kit(tmp_path / "kit", IDS[:1])
    out = tmp_path / "out"
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    left = out / f".kitpress-facilities.{dead}.abc123" / "a" / "en"
    left.mkdir(parents=True)
    (left / "visiting-day.pdf").write_bytes(b"half")
    alive = out / f".kitpress-facilities.{os.getpid()}.def456"  # a run still going
    alive.mkdir()
    args = ["build", str(kit), "-o", str(out), "--facility", "all", "-q"]
    assert CliRunner().invoke(cli, args).exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == [alive.name, "a", "print-plan.txt"]


def test_a_first_run_that_fails_leaves_no_new_folders(tmp_path):
    kit = tiny_kit(tmp_path / "kit", IDS[:2], phone={"b": "no phone"})
    out = tmp_path / "new" / "deeper" / "out"
    args = ["build", str(kit), "-o", str(out), "--facility", "all", "-j", "2"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert "(facility 'b', facilities.csv line 3)" in result.stderr
    assert not (tmp_path / "new").exists()


def test_without_syncfs_each_staged_file_is_synced(tmp_path, monkeypatch):
    import ctypes

    from kitpress import outreach
    from kitpress.output import Staged

    synced: list[int] = []
    real_fsync = os.fsync

    def no_syncfs(*args, **kwargs):
        raise AttributeError("syncfs")  # as where libc has none

    def counted(fd: int) -> None:
        synced.append(fd)
        real_fsync(fd)

    files = [tmp_path / f"{n}.pdf" for n in range(3)]
    for f in files:
        f.write_bytes(b"%PDF")
    monkeypatch.setattr(ctypes, "CDLL", no_syncfs)
    monkeypatch.setattr(os, "fsync", counted)
    outreach._flush(tmp_path, [Staged(f) for f in files])
    assert len(synced) == 3


def test_check_lists_every_problem_of_a_kit_built_per_facility(tmp_path):
    """`kitpress check` lists every problem of a facility kit, as it does for any kit:
    two mistakes in the kit's own words and a bad value in two facilities' rows."""
    kit = tiny_kit(tmp_path / "kit", IDS[:3], phone={"a": "no phone", "c": "nope"})
    for lang in ("en", "es"):
        path = kit / lang / "visiting-day.yaml"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("kind: resource-sheet", "kind: resource-sheet\nfoo: 1"))
    result = CliRunner().invoke(cli, ["check", str(kit)])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    unknown = [line for line in lines if "foo: unknown key" in line]
    assert [line.split(":")[0] for line in unknown] == [
        str(kit / "en" / "visiting-day.yaml"),
        str(kit / "es" / "visiting-day.yaml"),
    ]
    # the same mistake for every facility is said once, not once per facility
    assert all("and 2 other facilities" in line for line in unknown)
    phones = [line for line in lines if "is not a phone number" in line]
    assert len(phones) == 4  # en and es, for a and for c
    assert sum("(facility 'a', facilities.csv line 2)" in line for line in phones) == 2
    assert sum("(facility 'c', facilities.csv line 4)" in line for line in phones) == 2
    assert len(lines) == 6


def _many_facilities(kit: Path, n: int) -> None:
    """The example's first facility, n times under new ids."""
    with open(EXAMPLE / "facilities.csv", encoding="utf-8-sig", newline="") as f:
        header, first, *_ = list(csv.reader(f))
    with open(kit / "facilities.csv", "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([header, *([f"f{i}", *first[1:]] for i in range(n))])


def test_a_run_of_many_facilities_does_not_keep_each_facilitys_garbage(tmp_path):
    """A kitpress process runs without the cycle collector (__main__), and each
    facility's kit leaves cycles behind; a run of 10,000 facilities (the limit) grew
    past 5 GB. What is left uncollected after a run must not grow with its length."""
    import gc

    from kitpress.options import Options
    from kitpress.outreach import check_facilities

    kit = tmp_path / "kit"
    shutil.copytree(EXAMPLE, kit)
    left = {}
    was_on = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        for n in (1, 6):
            _many_facilities(kit, n)
            check_facilities(kit, Options(), (), (), ("all",), jobs=1)
            left[n] = gc.collect()  # what the run left for a collector that never came
    finally:
        if was_on:
            gc.enable()
    assert left[6] <= left[1] * 2, left
