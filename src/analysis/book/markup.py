"""Text from the data files made safe to put into Markdown or HTML.

Names, units, notes, quotes and sources come from CSV files an analyst edits. Put into a
Markdown cell unescaped, `<script>` runs, `*` starts emphasis and `|` splits a table. Every
piece of data text that reaches a Markdown output goes through `escape_markdown`; HTML outputs
use `html.escape` (tables through pandas' `to_html(escape=True)`).
"""

import html
import re

# Characters with a meaning in CommonMark or MyST; a backslash makes each literal.
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+!|~$:])")


def escape_markdown(text: object) -> str:
    """`text` as Markdown that renders as exactly that text, never as markup or HTML."""
    escaped = html.escape(str(text), quote=False)  # & < > first: the entities stay literal
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", escaped)


def quoted(text: str) -> str:
    """`text` in quotation marks; quotation marks inside it become single ones, as Chinese
    and English write a quotation within a quotation: 承认“养老机构‘一床难求’与‘床位空置’并存”."""
    inner = text.replace("“", "‘").replace("”", "’")
    return f"“{inner}”"


# The class of a heading that a notebook's output writes (an indicator card's title): Sphinx
# does not see it as a section, so the site's extension lists it in the page's contents
# (`analysis.book.sphinx_fixes.list_output_headings`).
OUTPUT_HEADING = "book-output-heading"


# A table shown by its title, which opens it (`<details>`; the PDFs print it open).
FOLDED = "book-folded"


def output_heading(level: int, anchor: str, title: str, css_class: str) -> str:
    """A heading `<hN>` of a notebook's output, with its anchor and permalink; `title` is
    escaped."""
    anchor = html.escape(anchor)
    return (
        f'<h{level} class="{css_class} {OUTPUT_HEADING}" id="{anchor}">{html.escape(title)}'
        f'<a class="headerlink" href="#{anchor}">#</a></h{level}>'
    )


def chart_image(src: str, alt: str, size: tuple[int, int]) -> str:
    """An `<img>` of a chart: `size` is its width and height on the page in CSS pixels (its PNG
    has more, `analysis.book.charts.PIXEL_RATIO` times: the browser shows it at this size,
    sharp on a dense screen, and keeps its room before it loads), `alt` the text that says what
    it shows, on one line. Every text is escaped."""
    width, height = size
    return (
        f'<img src="{html.escape(src)}" alt="{html.escape(" ".join(alt.split()))}" '
        f'width="{width}" height="{height}" class="book-chart" loading="lazy">'
    )
