"""The page cache, and the content version that tells it when a kept page is stale."""
