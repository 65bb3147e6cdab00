"""Comments in the Word file: every problem of a report marked where it is.

    from fazhi_audit.annotate import annotate_path
    annotate_path(Path("报告.docx"), result, Path("报告-审查意见.docx"))

plan.py decides where each comment goes and wording.py what it says;
ranges.py splits runs so a comment covers exactly its sentence; writer.py
writes the copy (or, for .txt/.pdf/.html inputs, a new .docx of the text).
"""

from fazhi_audit.annotate.writer import (
    DEFAULT_AUTHOR,
    AnnotationSummary,
    annotate_docx,
    annotate_path,
    default_target,
    text_to_docx,
)

__all__ = ["DEFAULT_AUTHOR", "AnnotationSummary", "annotate_docx", "annotate_path", "default_target", "text_to_docx"]
