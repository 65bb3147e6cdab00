"""The review desk: rounds of submissions kept in a database, reviewers' decisions, history per body, exports.

Another front-end on `engine.run.run()`: it audits through `Options` and
stores what the JSON formatter gives for each report; it never reads or
parses a report itself. `store.open_store(url)` opens (and migrates) a
store; `services` holds what the CLI and the web routes call.
"""
