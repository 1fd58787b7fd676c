"""Knowledge: ingest -> chunk -> index (Chroma + lexical) -> retrieve -> cite."""
