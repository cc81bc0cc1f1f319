"""Tooling for the tests and benchmarks, not the product (not installed by `make setup`): the replica
generator (`replica`), the corpus of other producers' files (`corpus`), the benchmarks (`bench`).
"""
