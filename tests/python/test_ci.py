"""CI for the people who fork the warehouse: the GitHub Actions workflow and the pre-commit hooks,
linted as GitHub reads them (actionlint, zizmor) and run: the slim dbt job's two steps against a
state saved from this project, the hooks on a bad file of each kind."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import yaml

from tests.python.helpers import ROOT, Build

BIN = Path(sys.executable).parent  # the environment's actionlint, zizmor, pre-commit
WORKFLOWS = ROOT / ".github" / "workflows"
WORKFLOW = yaml.safe_load((WORKFLOWS / "ci.yml").read_text(encoding="utf-8"))


def step(job: str, name: str) -> str:
    """The shell line of one named step of the workflow."""
    [run] = [s["run"] for s in WORKFLOW["jobs"][job]["steps"] if s.get("name") == name]
    return run


def lint(tool: str, folder: Path) -> subprocess.CompletedProcess[str]:
    command = {"actionlint": ["actionlint", "-no-color"], "zizmor": ["zizmor", "--offline", "--no-progress"]}[tool]
    files = sorted(map(str, folder.glob("*.yml")))
    assert files, f"no workflow in {folder}"
    return subprocess.run([str(BIN / command[0]), *command[1:], *files], capture_output=True, text=True)


def test_the_workflow_passes_actionlint_and_zizmor() -> None:
    for tool in ("actionlint", "zizmor"):
        run = lint(tool, WORKFLOWS)
        assert run.returncode == 0, f"{tool}:\n{run.stdout}{run.stderr}"


WRONG_WORKFLOWS = {
    # A pull request's title in a shell line: anyone who opens one runs their code in CI.
    "zizmor": (
        "on: pull_request\npermissions: {}\njobs:\n  greet:\n    runs-on: ubuntu-24.04\n    steps:\n"
        '      - run: echo "${{ github.event.pull_request.title }}"\n',
        "template-injection",
    ),
    # A job that needs one that does not exist: GitHub refuses the whole workflow.
    "actionlint": (
        "on: push\njobs:\n  test:\n    runs-on: ubuntu-24.04\n    needs: biuld\n    steps:\n      - run: make test\n",
        'job "test" needs job "biuld" which does not exist',
    ),
}


@pytest.mark.parametrize("tool", sorted(WRONG_WORKFLOWS))
def test_a_wrong_workflow_fails_its_linter_naming_the_fault(tool: str, tmp_path: Path) -> None:
    workflow, says = WRONG_WORKFLOWS[tool]
    (tmp_path / "wrong.yml").write_text(workflow, encoding="utf-8")
    run = lint(tool, tmp_path)
    assert run.returncode != 0
    assert says in run.stdout + run.stderr


def test_ci_runs_the_readme_test_command() -> None:
    assert step("test", "make test") == "bash .ci/run"
    assert (ROOT / ".ci" / "run").read_text(encoding="utf-8").rstrip().endswith("\nmake test")
    assert "make test   #" in (ROOT / "README.md").read_text(encoding="utf-8")


def project_copy(folder: Path) -> Path:
    """The dbt project as a fresh checkout has it (no warehouse, no target/), with this environment as .venv."""
    for name in ("models", "seeds", "macros", "analyses"):
        shutil.copytree(ROOT / name, folder / name)
    shutil.copytree(ROOT / "tests", folder / "tests", ignore=shutil.ignore_patterns("python", "fixtures"))
    for name in ("dbt_project.yml", "profiles.yml", ".sqlfluff", ".sqlfluffignore", "pyproject.toml"):
        shutil.copy(ROOT / name, folder / name)
    shutil.copy(ROOT / ".pre-commit-config.yaml", folder)
    (folder / ".venv").symlink_to(Path(sys.prefix))
    return folder


def shell(line: str, cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    """A workflow step's line, by bash, as the runner runs it: no warehouse or target named by us."""
    env = {k: v for k, v in os.environ.items() if k not in ("WAREHOUSE_DB", "DBT_TARGET", "DBT_PROFILES_DIR")}
    env["HOME"] = str(home)
    return subprocess.run(["bash", "-ec", line], cwd=cwd, env=env, capture_output=True, text=True)


def descendants(manifest: dict, node: str) -> set[str]:
    found, todo = set(), [node]
    while todo:
        found.add(current := todo.pop())
        todo += [child for child in manifest["child_map"].get(current, []) if child not in found]
    return found


def test_the_slim_job_builds_what_a_change_touches_and_no_more(text_build: Build, tmp_path: Path) -> None:
    # main: its warehouse built, then the workflow's step saves dbt's state beside it.
    checkout = project_copy(tmp_path / "main")
    shutil.copyfile(text_build.db, checkout / "warehouse.duckdb")
    saved = shell(step("test", "save dbt's state for pull requests"), checkout, tmp_path)
    assert saved.returncode == 0, saved.stdout + saved.stderr
    state = tmp_path / "dbt-state"
    shutil.move(checkout / "dbt-state", state)

    # A pull request changes one model; its checkout gets main's state as the artifact.
    pull = project_copy(tmp_path / "pull")
    changed = pull / "models" / "intermediate" / "int_reference__kommune_today.sql"
    changed.write_text(changed.read_text(encoding="utf-8") + "-- a change in review\n", encoding="utf-8")
    shutil.copytree(state, pull / "dbt-state")
    slim = shell(step("slim-dbt", "dbt build, state:modified+"), pull, tmp_path)
    assert slim.returncode == 0, slim.stdout + slim.stderr

    manifest = json.loads((state / "manifest.json").read_text(encoding="utf-8"))
    built = {r["unique_id"] for r in json.loads((pull / "target" / "run_results.json").read_text())["results"]}
    runnable = ("model.", "test.", "seed.")
    touched = descendants(manifest, "model.tilt100.int_reference__kommune_today")
    expected = {n for n in touched if n.startswith(runnable)}
    assert {n for n in built if n.startswith(runnable)} == expected
    marts = ["fct_participants_by_kommune", "fct_participants_by_fylke_today"]
    assert {f"model.tilt100.{mart}" for mart in marts} < expected and len(expected) < len(manifest["nodes"]) / 4
    # Rebuilt on the copy of main's warehouse, from the same reports: the same rows.
    with duckdb.connect(str(pull / "warehouse.duckdb"), read_only=True) as con:
        for mart in marts:
            rebuilt = con.sql(f"select * from marts.{mart} order by all").fetchall()
            assert rebuilt and rebuilt == text_build.query(f"select * from marts.{mart} order by all"), mart


def test_the_pre_commit_hooks_stop_a_bad_python_file_and_a_bad_model(tmp_path: Path) -> None:
    repo = project_copy(tmp_path / "repo")
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    (repo / "good.py").write_text('"""Fine."""\n\nGREETING = "hei"\n', encoding="utf-8")
    (repo / "bad.py").write_text("import os\n", encoding="utf-8")  # imported, never used: F401
    (repo / "models" / "bad_model.sql").write_text("SELECT 1 AS one\n", encoding="utf-8")  # upper case: CP01
    files = ["good.py", "bad.py", "models/bad_model.sql"]
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit"), "HOME": str(tmp_path)}
    run = subprocess.run(
        [str(BIN / "pre-commit"), "run", "--files", *files], cwd=repo, env=env, capture_output=True, text=True
    )
    out = run.stdout + run.stderr
    assert run.returncode == 1, out
    assert "F401" in out and "--> bad.py:1:8" in out, out  # ruff check
    assert "[models/bad_model.sql] FAIL" in out and "CP01" in out, out  # sqlfluff lint
    assert "good.py" not in out
