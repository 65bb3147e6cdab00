"""The one door: run(Options) -> Run. Config, discovery, rule-set loading, the audit of one document, the process pool, baseline, last year's report."""
