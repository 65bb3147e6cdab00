"""Peak memory of reading a .docx whose document.xml is ~195 MB of empty paragraphs (issue 23, item 1).

The package is about 1 MB and compresses under the 200:1 limit, so only the
streamed element/paragraph count refuses it. Prints the file size, ratio,
the reader's answer, its time and the process's peak resident memory, for
the median of several runs (each in a fresh process).

    python benchmarks/bench_docx_paragraph_bomb.py [runs]
"""

from __future__ import annotations

import io
import json
import random
import statistics
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

XML_MB = 195
CHILD = """
import json, resource, sys, time
from pathlib import Path
from fazhi_audit.text.ingest.readers import read_path
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
start = time.perf_counter()
try:
    read_path(Path(sys.argv[1])); answer = "read"
except Exception as exc:
    answer = f"{type(exc).__name__}: {exc}"
print(json.dumps({"seconds": time.perf_counter() - start, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "answer": answer, "base_mb": base}))
"""


def build(path: Path, xml_mb: int = XML_MB) -> float:
    """Write the package; returns the compression ratio of document.xml."""
    import docx

    document = docx.Document()
    document.add_paragraph("某县人民政府2024年法治政府建设年度报告")
    buffer = io.BytesIO()
    document.save(buffer)
    rng = random.Random(23)
    # a space after one paragraph in 48, at random: enough entropy for a ratio under 200:1
    pieces = [b"<w:p/> " if rng.random() < 1 / 48 else b"<w:p/>" for _ in range(1 << 16)]
    block = b"".join(pieces)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                head = data.split(b"<w:body>")[0] + b"<w:body>"
                body = block * (xml_mb * 1024 * 1024 // len(block))
                data = head + body + b"</w:body></w:document>"
            out.writestr(info.filename, data, compress_type=zipfile.ZIP_DEFLATED)
    with zipfile.ZipFile(path) as package:
        info = package.getinfo("word/document.xml")
        return info.file_size / info.compress_size


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "bomb.docx")
        ratio = build(path)
        print(f"fixture: {path.stat().st_size / 1e6:.2f} MB, document.xml {XML_MB} MB, ratio {ratio:.0f}:1")
        results = [json.loads(subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, check=True).stdout) for _ in range(runs)]
    print(f"answer: {results[0]['answer']}")
    print(f"median of {runs}: {statistics.median(r['seconds'] for r in results):.2f} s, peak RSS {statistics.median(r['peak_mb'] for r in results):.0f} MB (after imports, before reading: {statistics.median(r['base_mb'] for r in results):.0f} MB)")


if __name__ == "__main__":
    main()
