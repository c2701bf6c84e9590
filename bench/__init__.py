"""Benchmarks: each prints its measurements and, last, the ratio it is judged by."""
