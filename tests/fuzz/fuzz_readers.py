"""Coverage-guided fuzzing of the input readers with atheris (libFuzzer).

    python tests/fuzz/fuzz_readers.py -runs=3000                  # the short run CI does (test_fuzz_readers.py)
    python tests/fuzz/fuzz_readers.py -max_total_time=3600 corpus/  # a long run; corpus/ keeps what it learnt

The first byte of an input picks the suffix (.txt, .html, .docx, .pdf), the
rest is the file. A crash is any exception but InputError escaping
`read_bytes`, lines and origins that disagree, or lines the normaliser cannot
take; libFuzzer then writes the input to crash-<hash> (`-artifact_prefix=`)
and the script exits non-zero. Reproduce one with
`python tests/fuzz/fuzz_readers.py crash-<hash>`. An input that takes more
than -timeout seconds (default here 10) is reported as a hang.

The seed corpus, one small valid report per format built in code, is written
into the first corpus folder given (a temporary one if none) when it is empty.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import atheris

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # tests/: pdf_build, docx_build

# The readers import their libraries lazily: import them here too, so they are instrumented.
with atheris.instrument_imports(include=["fazhi_audit", "docx", "pypdf", "bs4", "charset_normalizer"]):
    import bs4  # noqa: F401
    import charset_normalizer  # noqa: F401
    import docx  # noqa: F401
    import pypdf  # noqa: F401

    from fazhi_audit.base.errors import InputError
    from fazhi_audit.text.ingest.normalize import normalize
    from fazhi_audit.text.ingest.readers import read_bytes

SUFFIXES = (".txt", ".html", ".docx", ".pdf")

LINES = [
    "某县2024年度法治政府建设工作报告",
    "一、2024年推进法治政府建设的主要举措和成效",
    "（一）坚持依法决策。严格落实公众参与、专家论证、风险评估、合法性审查、集体讨论决定程序。",
    "二、存在的不足和原因",
    "三、党政主要负责人履行推进法治建设第一责任人职责情况",
    "四、2025年主要安排",
    "2025年2月28日",
]


def seed_files() -> dict[str, bytes]:
    from docx import Document
    from docx_build import docx_bytes
    from pdf_build import cjk_pdf

    document = Document()
    for line in LINES:
        document.add_paragraph(line)
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "合法性审查", "12件"
    html = "<html><head><meta charset='utf-8'><title>报告</title></head><body><div>首页 > 政务公开</div>"
    html += "".join(f"<p>{line}</p>" for line in LINES) + "<div>发布时间：2025-03-01</div></body></html>"
    return {
        ".txt": "\n".join(LINES).encode("gb18030"),
        ".html": html.encode("utf-8"),
        ".docx": docx_bytes(document),
        ".pdf": cjk_pdf([(760 - 20 * i, line) for i, line in enumerate(LINES)]),
    }


def write_seeds(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    if any(folder.iterdir()):
        return
    for suffix, data in seed_files().items():
        (folder / f"seed{suffix}").write_bytes(bytes([SUFFIXES.index(suffix)]) + data)


def test_one_input(data: bytes) -> None:
    if not data:
        return
    suffix = SUFFIXES[data[0] % len(SUFFIXES)]
    try:
        raw = read_bytes(data[1:], suffix)
    except InputError:
        return
    origins = raw.line_origins()  # ValueError if the reader's lines and origins disagree
    if any(o.line < 1 for o in origins):
        raise AssertionError(f"line number below 1 from the {suffix} reader")
    normalize(raw.text, raw.origins)


def main(argv: list[str]) -> None:
    args = list(argv)
    if not any(a.startswith("-timeout=") for a in args):
        args.insert(1, "-timeout=10")
    positional = [a for a in args[1:] if not a.startswith("-")]
    if not any(Path(a).is_file() for a in positional):  # fuzzing, not replaying crash files
        if positional:
            write_seeds(Path(positional[0]))
        else:
            corpus = Path(tempfile.mkdtemp(prefix="fazhi-fuzz-"))
            write_seeds(corpus)
            args.append(str(corpus))
    atheris.Setup(args, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
