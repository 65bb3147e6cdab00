"""The result model every layer above reads: Evidence, Finding, ReportResult, Run, the summary, fingerprints, severities."""
