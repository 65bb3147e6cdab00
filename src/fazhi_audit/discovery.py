"""Expand the command line's paths (files, folders, globs) into input files."""

from __future__ import annotations

import glob
from dataclasses import dataclass, field
from pathlib import Path

from .errors import UsageError
from .ingest.readers import SUPPORTED_SUFFIXES, UNSUPPORTED_SUFFIXES


@dataclass
class Inputs:
    files: list[str] = field(default_factory=list)
    skipped: int = 0  # files in folders that are not reports by extension


def discover(paths: list[str]) -> Inputs:
    out = Inputs()
    seen: set[str] = set()

    def add(p: str) -> None:
        if p not in seen:
            seen.add(p)
            out.files.append(p)

    for raw in paths:
        if raw == "-":
            add("-")
            continue
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if not child.is_file() or any(part.startswith(".") for part in child.relative_to(path).parts):
                    continue
                suffix = child.suffix.lower()
                # Unsupported office formats are reported (exit 3), not silently skipped.
                if suffix in SUPPORTED_SUFFIXES or suffix in UNSUPPORTED_SUFFIXES:
                    add(str(child))
                else:
                    out.skipped += 1
        elif path.exists():
            add(str(path))
        elif any(ch in raw for ch in "*?["):
            matches = sorted(glob.glob(raw, recursive=True))
            if not matches:
                raise UsageError(f"通配符没有匹配到任何文件：{raw}")
            for m in matches:
                if Path(m).is_file():
                    add(m)
        else:
            raise UsageError(f"路径不存在：{raw}（请检查路径拼写，或用引号包住含空格的路径）")
    return out
