"""dbt's Jinja templates compiled once per machine (`tilt100.warehouse.jinja_code`): the next process loads what
one compiled, a changed template is compiled afresh, and a cache that cannot be trusted or written is passed
over, the templates rendering as before."""

from __future__ import annotations

import marshal
import os
import subprocess
import sys
from pathlib import Path

from tilt100.settings import ROOT

# A dbt process in small: the cache kept, then dbt's templates compiled and rendered as dbt does; it prints
# what it rendered and how many templates Jinja compiled (the cache's misses).
SCRIPT = """
import sys
import jinja2
compiled = []
compile_ = jinja2.Environment.compile
def counted(self, source, *args, **kwargs):
    compiled.append(source)
    return compile_(self, source, *args, **kwargs)
jinja2.Environment.compile = counted
from tilt100.warehouse import jinja_code
jinja_code.KEPT = int(sys.argv[1])
jinja_code.keep_compiled_templates()
if sys.argv[2] == "debug":  # dbt's --macro-debugging
    from dbt_common.clients import jinja
    jinja.MACRO_DEBUGGING = True
from dbt_common.clients.jinja import get_template, render_template
print("|".join(render_template(get_template(source, {}), {"x": "a"}) for source in sys.argv[3:]), len(compiled))
"""


def render(cache: Path, *sources: str, kept: int = 100, debug: bool = False) -> tuple[str, int]:
    """What a new process rendered of `sources` with the cache in `cache`, and how many it compiled."""
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(kept), "debug" if debug else "-", *sources],
        cwd=ROOT,
        env={**os.environ, "TILT100_CACHE": str(cache)},
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0 and not run.stderr, run.stderr
    rendered, compiled = run.stdout.split()
    return rendered, int(compiled)


def cache_files(cache: Path) -> list[Path]:
    return sorted((cache / "jinja").glob("*"))


def test_a_template_compiled_once_is_loaded_by_the_next_process_and_a_changed_one_compiled_afresh(
    tmp_path: Path,
) -> None:
    assert render(tmp_path, "{{ 6 * 7 }}{{ x }}") == ("42a", 1)
    assert render(tmp_path, "{{ 6 * 7 }}{{ x }}") == ("42a", 0)  # loaded, not compiled
    assert render(tmp_path, "{{ 6 * 8 }}{{ x }}", "{{ 6 * 7 }}{{ x }}") == ("48a|42a", 1)  # the changed one alone
    assert render(tmp_path, "{{ 6 * 8 }}{{ x }}", "{{ 6 * 7 }}{{ x }}") == ("48a|42a", 0)
    assert len(cache_files(tmp_path)) == 1  # one file, written whole (no part left beside it)


def test_the_file_keeps_the_templates_last_used(tmp_path: Path) -> None:
    assert render(tmp_path, "{{ 1 }}", "{{ 2 }}", kept=2) == ("1|2", 2)
    assert render(tmp_path, "{{ 1 }}", "{{ 3 }}", kept=2) == ("1|3", 1)  # 2 went unused longest: dropped
    assert render(tmp_path, "{{ 1 }}", "{{ 3 }}", kept=2) == ("1|3", 0)
    assert render(tmp_path, "{{ 2 }}", kept=2) == ("2", 1)


def test_a_cache_that_cannot_be_trusted_read_or_written_is_passed_over(tmp_path: Path) -> None:
    template = "{{ 6 * 7 }}{{ x }}"
    assert render(tmp_path, template) == ("42a", 1)
    [kept] = cache_files(tmp_path)
    kept.chmod(0o666)  # anyone could have written its code
    assert render(tmp_path, template) == ("42a", 1)
    kept.chmod(0o644)
    assert render(tmp_path, template) == ("42a", 0)
    kept.write_bytes(marshal.dumps(dict.fromkeys(marshal.loads(kept.read_bytes()), "not code")))
    assert render(tmp_path, template) == ("42a", 1)
    kept.write_bytes(b"not marshal")  # a file cut short, say
    assert render(tmp_path, template) == ("42a", 1)
    assert render(tmp_path, template) == ("42a", 0)  # written whole again
    assert render(tmp_path, template, debug=True) == ("42a", 1)  # dbt's macro debugging: compiled as dbt does
    unwritable = tmp_path / "read-only"
    unwritable.mkdir(mode=0o500)
    if os.access(unwritable, os.W_OK):  # root writes anywhere: a file where the cache's folder should be
        unwritable = tmp_path / "a-file"
        unwritable.write_text("")
    assert render(unwritable, template) == ("42a", 1)
    assert render(unwritable, template) == ("42a", 1)
