"""What the chapter notebooks call: the chapter context, page blocks that show a table, a
chart or a sentence with its source and data download, and the charts and formatting they use.
Nothing here computes a result: it arranges and shows what `analysis.methods` computed.

Imports: `analysis.core`, `analysis.inputs` and `analysis.methods`.
"""
