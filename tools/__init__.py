"""Developer tools that are not part of the running forum: run from the repo root as `python -m tools.<name>`."""
