"""Rules are data: YAML files validated on load into Rule objects."""
