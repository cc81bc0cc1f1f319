"""Render a variant once: the file name carries a hash of everything it depends on.

The hash covers the variant's options, its spec (the truth) and the source of
``corpus`` and ``replica``; a file of that name already on disk is reused, so
only what changed is rendered again (as ``bench.decade`` caches its decade).
Files are written under a temporary name and renamed when complete.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import cache
from pathlib import Path

from corpus.variant import Variant
from project import ROOT

DEFAULT_OUT = ROOT / "data" / "corpus"
# Modules that do not change what a file holds.
NOT_RENDERING = {"truth.py", "__main__.py", "catalogue.py"}


@cache
def source_digest() -> str:
    digest = hashlib.sha256()
    for package in ("corpus", "replica"):
        for path in sorted((ROOT / package).glob("*.py")):
            if path.name in NOT_RENDERING:
                continue
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


@cache
def _spec_digest(spec_repr: str) -> str:
    return hashlib.sha256(spec_repr.encode()).hexdigest()


def file_name(variant: Variant) -> str:
    digest = hashlib.sha256()
    digest.update(variant.options.encode())
    digest.update(_spec_digest(repr(variant.spec)).encode())
    digest.update(source_digest().encode())
    return f"{variant.name}-{digest.hexdigest()[:12]}.{variant.kind}"


def _renderer(variant: Variant) -> Callable[[Variant, Path], None]:
    if variant.producer == "reportlab":
        from replica.render import render_pdf

        return lambda v, out: render_pdf(v.spec, out)
    if variant.producer == "chromium":
        from corpus.html import render_chromium

        return render_chromium
    if variant.producer == "fpdf2":
        from corpus.fpdf2 import render_fpdf2

        return render_fpdf2
    if variant.producer == "libreoffice":
        from corpus.calc import render_libreoffice

        return render_libreoffice
    if variant.producer == "openpyxl":
        from corpus.sheets import render_openpyxl

        return render_openpyxl
    from corpus.sheets import render_resaved

    return render_resaved


def render(variant: Variant, out_dir: Path = DEFAULT_OUT) -> Path:
    """The variant's file in `out_dir`, rendered unless already there."""
    out_dir = out_dir.resolve()
    out = out_dir / file_name(variant)
    if out.exists():
        return out
    out_dir.mkdir(parents=True, exist_ok=True)
    work = out_dir / f".{out.stem}.partial"
    work.mkdir(exist_ok=True)
    try:
        partial = work / out.name
        _renderer(variant)(variant, partial)
        partial.rename(out)
    finally:
        for leftover in work.iterdir():
            leftover.unlink()
        work.rmdir()
    return out
