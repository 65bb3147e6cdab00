"""What the CLI and the web routes ask of the desk, one module per job."""
