"""Report structure: headings, top-level parts and numbering."""
