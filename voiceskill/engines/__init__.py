"""Adapters for the speech engines. Each imports its engine lazily, inside the adapter."""
