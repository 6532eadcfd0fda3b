"""Facts every layer shares and that depend on nothing else: the report's citation and source
name, report dates, the problems found in input, and numeric tolerances.

Imports: the standard library only (and numpy).
"""
