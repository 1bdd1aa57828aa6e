"""Pipeline stages. Each is a callable `stage(analysis) -> None` that adds to `analysis.record` and never
rewrites what an earlier stage wrote; offsets always index `record["text"]`."""
