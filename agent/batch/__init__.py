"""`summarise batch`: many articles into one output directory, concurrently, rate-limited,
incrementally, under a lock, with a run report. docs/batch.md describes the behaviour."""
