"""Render a variant once: the file name carries a hash of everything it depends on.

The hash covers the variant's options, its spec (the truth), the source of
``corpus`` and ``replica`` and the versions of what renders it (the Debian
packages of Chromium, LibreOffice and the fonts, the Python producers); a file of
that name already on disk is reused, so only what changed is rendered again (as
``bench.decade`` caches its decade), and a new Chromium or LibreOffice renders
afresh. The files live in the user's cache (``project.cache_dir()``), outside the
checkout: every clone on the machine shares them. Files are written under a
temporary name and renamed when complete.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from tilt100.settings import ROOT, cache_dir
from tooling.corpus.variant import Producer, Variant

DEFAULT_OUT = cache_dir() / "corpus"
# What renders each producer's files, beside the fonts every PDF is drawn with:
# Debian packages (their installed version) and Python distributions.
FONT_PACKAGES = ("fonts-dejavu-core", "fonts-dejavu-extra", "fonts-liberation")
PRODUCER_PACKAGES: dict[Producer, tuple[str, ...]] = {
    "chromium": ("deb:chromium",),
    "libreoffice": ("deb:libreoffice-calc-nogui", "deb:libreoffice-writer-nogui", "py:openpyxl"),
    "libreoffice-resave": ("deb:libreoffice-calc-nogui", "py:openpyxl"),
    "fpdf2": ("py:fpdf2",),
    "openpyxl": ("py:openpyxl",),
    "reportlab": ("py:reportlab",),
}
# Modules that do not change what a file holds.
NOT_RENDERING = {"truth.py", "__main__.py", "catalogue.py"}


@cache
def source_digest() -> str:
    digest = hashlib.sha256()
    for package in ("corpus", "replica"):
        for path in sorted((ROOT / "tooling" / package).glob("*.py")):
            if path.name in NOT_RENDERING:
                continue
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


@cache
def _spec_digest(spec_repr: str) -> str:
    return hashlib.sha256(spec_repr.encode()).hexdigest()


@cache
def _package_version(package: str) -> str:
    """``deb:<name>``'s installed version (dpkg), or ``py:<name>``'s; "absent" if neither has it."""
    kind, name = package.split(":", 1)
    if kind == "py":
        try:
            return version(name)
        except PackageNotFoundError:
            return "absent"
    try:
        done = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", name], capture_output=True, text=True)
    except FileNotFoundError:  # not Debian: the producer's own word on its version
        done = subprocess.run([name.split("-")[0], "--version"], capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 else "absent"


def producer_versions(producer: Producer) -> str:
    """The versions of what renders `producer`'s files (a part of the cache key)."""
    packages = (*PRODUCER_PACKAGES[producer], *(f"deb:{font}" for font in FONT_PACKAGES))
    return ";".join(f"{package}={_package_version(package)}" for package in packages)


def file_name(variant: Variant) -> str:
    digest = hashlib.sha256()
    digest.update(variant.options.encode())
    digest.update(_spec_digest(repr(variant.spec)).encode())
    digest.update(source_digest().encode())
    digest.update(producer_versions(variant.producer).encode())
    return f"{variant.name}-{digest.hexdigest()[:12]}.{variant.kind}"


def _renderer(variant: Variant) -> Callable[[Variant, Path], None]:
    if variant.producer == "reportlab":
        from tooling.replica.render import render_pdf

        return lambda v, out: render_pdf(v.spec, out)
    if variant.producer == "chromium":
        from tooling.corpus.html import render_chromium

        return render_chromium
    if variant.producer == "fpdf2":
        from tooling.corpus.fpdf2 import render_fpdf2

        return render_fpdf2
    if variant.producer == "libreoffice":
        from tooling.corpus.calc import render_libreoffice

        return render_libreoffice
    if variant.producer == "openpyxl":
        from tooling.corpus.sheets import render_openpyxl

        return render_openpyxl
    from tooling.corpus.sheets import render_resaved

    return render_resaved


def render(variant: Variant, out_dir: Path = DEFAULT_OUT) -> Path:
    """The variant's file in `out_dir`, rendered unless already there."""
    out_dir = out_dir.resolve()
    out = out_dir / file_name(variant)
    if out.exists():
        return out
    out_dir.mkdir(parents=True, exist_ok=True)
    # A folder of this process's own: two renders of one variant at once (test workers,
    # two clones) each finish their file, and the last rename wins with the same content.
    work = Path(tempfile.mkdtemp(prefix=f".{out.stem}.", suffix=".partial", dir=out_dir))
    try:
        partial = work / out.name
        _renderer(variant)(variant, partial)
        partial.rename(out)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return out
