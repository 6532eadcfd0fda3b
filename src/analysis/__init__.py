"""Data, checks and progress analysis for the 宿州 civil-affairs mid-term evaluation book.

The package is layered; a module imports only from its own layer or the layers below it
(tests/test_layers.py fails otherwise):

    core      facts shared by all: the report's citation, dates, input problems, tolerances
    inputs    the data files and parameter files, loaded and validated; the chapter list
    methods   growth, projection, progress, the assessment table, relations, the audit
    book      what the chapter notebooks call: page blocks, charts, tables, sentences
    runner    executing the chapters, the cache, building and publishing the site, verify
    cli       the command line, `python -m analysis`
"""
