"""The bottom layer: errors, exit codes, limits, paths, atomic files, signals, locks and sanitising; nothing of the domain."""
