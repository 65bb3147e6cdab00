"""Reading inputs: bytes on disk -> text lines, each with its origin, and metadata.

raw.py (RawDocument, LineOrigin, text decoding) is imported by every reader;
readers.py only dispatches by suffix, so imports run one way.
"""
