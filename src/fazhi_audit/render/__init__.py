"""What people read: the formatters, the terminal report, explanations, statistics, output files."""
