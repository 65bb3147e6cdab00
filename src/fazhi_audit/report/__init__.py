"""The result model and the formatters that render it."""
