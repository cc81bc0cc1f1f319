"""The documentation: a README of one screenful that links every page, and the pages of docs/
built as a site by MkDocs, strictly: a link to a page or a heading that does not exist, or a
page left out of the site's navigation, fails the build."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.python.helpers import ROOT

DOCS = ROOT / "docs"


def build_site(project: Path, site: Path) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict`, as `make site` runs it, of the mkdocs.yml in `project`."""
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(project / "mkdocs.yml")]
    return subprocess.run([*command, "--site-dir", str(site)], capture_output=True, text=True)


def nav_pages() -> list[str]:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    return [page for entry in config["nav"] for page in entry.values()]


def test_the_site_builds_every_page_and_loads_nothing_from_the_network(tmp_path: Path) -> None:
    run = build_site(ROOT, tmp_path / "site")
    assert run.returncode == 0, run.stderr
    assert sorted(nav_pages()) == sorted(page.name for page in DOCS.glob("*.md"))
    for page in DOCS.glob("*.md"):
        html = (tmp_path / "site" / page.with_suffix(".html").name).read_text(encoding="utf-8")
        title = page.read_text(encoding="utf-8").splitlines()[0].removeprefix("# ")
        assert "<h1" in html and title.split("`")[0].strip() in html, page.name
        # A script, style sheet or image from elsewhere would not load offline (highlight.js came from a CDN).
        assert not re.findall(r"<(?:script|link|img)\b[^>]*\b(?:src|href)=\"(?:https?:)?//", html), page.name


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ("See [the refresh](loading.md#no-such-heading).", "loading.md#no-such-heading"),
        ("See [the refresh](loding.md).", "loding.md"),
        ("See [the tables](#no-such-heading).", "#no-such-heading"),
    ],
    ids=["heading", "page", "heading-on-the-page"],
)
def test_a_broken_link_fails_the_site_naming_the_page_and_the_link(tmp_path: Path, change: str, says: str) -> None:
    shutil.copytree(DOCS, tmp_path / "docs")
    shutil.copy(ROOT / "mkdocs.yml", tmp_path)
    page = tmp_path / "docs" / "tables.md"
    page.write_text(page.read_text(encoding="utf-8") + f"\n{change}\n", encoding="utf-8")
    run = build_site(tmp_path, tmp_path / "site")
    assert run.returncode == 1
    warnings = [line for line in run.stderr.splitlines() if line.startswith("WARNING")]
    assert any("tables.md" in line and says in line for line in warnings), run.stderr


def test_a_page_left_out_of_the_navigation_fails_the_site(tmp_path: Path) -> None:
    shutil.copytree(DOCS, tmp_path / "docs")
    shutil.copy(ROOT / "mkdocs.yml", tmp_path)
    (tmp_path / "docs" / "orphan.md").write_text("# A page no one can reach\n", encoding="utf-8")
    run = build_site(tmp_path, tmp_path / "site")
    assert run.returncode == 1
    assert "orphan.md" in run.stderr and 'not included in the "nav"' in run.stderr, run.stderr


def test_the_readme_is_one_screenful_that_links_every_page() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 150
    links = [target for target in re.findall(r"\]\(([^)\s]+)\)", readme) if not target.startswith("http")]
    for target in links:
        assert (ROOT / target.split("#")[0]).is_file(), f"README links {target}: no such file"
    linked = {target.split("#")[0] for target in links}
    assert {f"docs/{page}" for page in nav_pages()} <= linked
    # The two questions a newcomer asks first, one click each.
    rows = {row.split("|")[1].strip(): row.split("|")[2].strip() for row in readme.splitlines() if row.startswith("| ")}
    assert rows["connect a BI tool (Superset, SQLAlchemy), a notebook, Parquet, a spreadsheet; charts"].endswith(
        "(docs/bi-tools.md)"
    )
    assert rows["find your way in the code; change a limit or a default"].endswith("(docs/layout.md)")
    assert "## Where to change what" in (DOCS / "layout.md").read_text(encoding="utf-8")
