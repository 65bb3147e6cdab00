"""Reading inputs: bytes on disk -> plain text with a line map and metadata."""
