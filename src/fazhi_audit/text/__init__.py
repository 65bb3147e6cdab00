"""Text in, structure out: readers (ingest/), parts and headings (structure/), the parsed Document, segmentation and matching, figures, numerals, dates."""
