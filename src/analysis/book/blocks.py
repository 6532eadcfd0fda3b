"""The blocks of the book's pages: each `show_*` puts one table or chart on a chapter page."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
from IPython.display import HTML, display

from analysis.book.context import ChapterContext, show_markdown, show_table
from analysis.book.narrative import findings
from analysis.book.tables import (
    format_number,
    format_rate,
    observations_table,
    projection_text,
    status_table,
    target_text,
    verdict_check,
)
from analysis.inputs.locations import project_root
from analysis.inputs.parameters import Parameters, Thresholds
from analysis.methods.audit import run_audit
from analysis.methods.progress import label

KEY_INDICATORS_SECTION = "一"
DATA_FILES = {
    "data/series.csv": "one row per quantity: names, unit, direction, kind, the report's verdict",
    "data/observations.csv": "one row per statement of a value, with date, section and quote",
    "data/targets.csv": "the published 2025 targets, with their source",
    "data/relations.csv": "the rules the report states between two series",
    "data/repairs.csv": "the damaged places of the web copy and how they were read",
    "data/source/report.txt": "the report's text as published on the web, verbatim",
    "data/datapackage.json": "the Frictionless Data Package of these files: every column with "
    "its type, unit and constraints, the keys, the source and the licence",
}


def display_html(markup: str) -> None:
    display(HTML(markup))


def chapter_sections(context: ChapterContext) -> str:
    sections = sorted(set(context.observations()["section"]))
    return ", ".join(sections) if sections else context.chapter.report_section


def key_indicators(context: ChapterContext) -> pd.DataFrame:
    """The assessment rows of the 19 key indicators, in the report's order."""
    rows = context.assessment[context.assessment["headline"].notna()]
    return rows.sort_values("headline", kind="stable")


# Domain chapters -------------------------------------------------------------------------------


def show_findings(context: ChapterContext) -> None:
    """Sentences on every series with a trend or a target, numbers computed."""
    text = findings(context.assessment, context.target_year)
    show_markdown(text or "No series of this chapter has a trend or a target to assess.")


def show_status(context: ChapterContext) -> None:
    assessed = context.assessment[context.assessment["n_points"] > 0]
    show_table(
        context,
        status_table(assessed),
        context.assessment,  # every series, as results/indicators.csv holds them
        "status",
        f"{context.chapter.title_en} · {context.chapter.title_zh}: base, latest, growth, "
        f"projection to {context.target_year} and status",
        chapter_sections(context),
    )


def show_report_figures(context: ChapterContext) -> None:
    """Every figure the report gives for this chapter's series, with its quote."""
    observations = context.observations()
    show_table(
        context,
        observations_table(observations, context.dataset.series),
        observations,
        "report_figures",
        f"Every figure of the report on {context.chapter.title_en.lower()}, verbatim",
        chapter_sections(context),
        computed=False,
    )


def show_relations(context: ChapterContext) -> None:
    """Rules the report states between two series, checked now and as projected."""
    relations = context.relations()
    relations = relations[relations["left_series_id"].isin(context.series_ids())]
    if relations.empty:
        show_markdown("The report states no rule between series of this chapter.")
        return
    names = context.dataset.series.set_index("series_id")["name_zh"]
    table = pd.DataFrame(
        {
            "Rule": [
                f"{names[row.left_series_id]} {row.comparator} {format_number(row.factor)} × "
                f"{names[row.right_series_id]}"
                for row in relations.itertuples()
            ],
            "Section": relations["section"],
            "Latest date": relations["date"].fillna("–"),
            "Holds now": relations["holds"].map(holds_text),
            "Margin now": relations["margin"].map(format_number),
            "Holds when projected": relations["projected_holds"].map(holds_text),
            "Projected margin": relations["projected_margin"].map(format_number),
            "Why not checked": relations["reason"].fillna(""),
        }
    )
    show_table(
        context,
        table,
        relations,
        "relations",
        f"Rules stated in the report, checked on its figures and as projected to "
        f"{context.target_year}",
        ", ".join(sorted(set(relations["section"]))),
    )


def holds_text(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return "cannot be checked"
    return "yes" if value else "no"


# Overview and introduction ----------------------------------------------------------------------


def dashboard_table(rows: pd.DataFrame) -> pd.DataFrame:
    """The key-indicator dashboard: one row per series of the 19 key indicators."""
    records = rows.to_dict(orient="records")
    return pd.DataFrame(
        {
            "No.": [row["headline"] for row in records],
            "Indicator": [
                f"{r['name_zh']} · {r['name_en']}" + (f" ({r['unit']})" if r["unit"] else "")
                for r in records
            ],
            "Base → latest": [base_to_latest(row) for row in records],
            "Growth a year": [format_rate(row["cagr"]) for row in records],
            "2025 target": [target_text(row) for row in records],
            "Projected": [projection_text(row) for row in records],
            "Status": [label(row["category"]) for row in records],
            "Mid-term": [label(row["midterm_label"], "zh") or "–" for row in records],
            "Report's verdict": [row["report_verdict"] for row in records],
            "Do the numbers support it?": [verdict_check(row) for row in records],
        }
    )


def base_to_latest(row: dict) -> str:
    if not row["n_points"]:
        return "–"
    latest = f"{format_number(row['latest_value'], row['unit'])} ({row['latest_date']})"
    if row["base_date"] == row["latest_date"]:
        return latest
    return f"{format_number(row['base_value'], row['unit'])} ({row['base_date']}) → {latest}"


def show_targets(context: ChapterContext) -> None:
    """The published targets and where they come from."""
    targets = context.dataset.targets.drop(columns=["line"])
    names = context.dataset.series.set_index("series_id")["name_zh"]
    table = pd.DataFrame(
        {
            "Indicator": targets["series_id"].map(names),
            "Target": targets["comparator"] + " " + targets["value"].map(format_number),
            "Year": targets["target_year"],
            "Source": targets["source"],
        }
    )
    show_table(
        context,
        table,
        targets,
        "published_targets",
        "The published 2025 targets that apply to the city's key indicators",
        "published national plans (see Source column)",
        computed=False,
    )


def show_dashboard(context: ChapterContext) -> None:
    rows = key_indicators(context)
    show_table(
        context,
        dashboard_table(rows),
        rows,
        "key_indicators",
        "The 19 key indicators: figures, targets, projection, status and the report's verdict",
        KEY_INDICATORS_SECTION,
    )


# Data quality -----------------------------------------------------------------------------------


def show_repairs(context: ChapterContext) -> None:
    repairs = context.dataset.repairs.drop(columns=["line"])
    table = repairs.rename(
        columns={"damaged": "Damaged text", "reading": "Reading", "reason": "Reason"}
    )
    show_table(
        context,
        table,
        repairs,
        "repairs",
        "Every place where the web copy of the report lost characters, and its reading",
        "the whole report",
        computed=False,
    )


def audit_table(context: ChapterContext) -> pd.DataFrame:
    dataset = context.dataset
    return run_audit(dataset.observations, dataset.series, dataset.relations)


def show_audit_findings(context: ChapterContext) -> None:
    """The checks that fail or cannot be made: findings about the report, never dropped."""
    audit = audit_table(context)
    open_checks = audit[~audit["passed"].fillna(False).astype(bool)]
    table = pd.DataFrame(
        {
            "Check": open_checks["description"],
            "Section": open_checks["section"],
            "Expected": open_checks["expected"].map(format_cell),
            "Found": open_checks["found"].map(format_cell),
            "Result": open_checks["passed"].map(audit_result),
            "Explanation": open_checks["note"],
        }
    )
    show_table(
        context,
        table,
        open_checks,
        "audit_findings",
        "Where the report disagrees with itself, or cannot be checked",
        "the whole report",
        computed=False,
    )


def show_audit(context: ChapterContext) -> None:
    audit = audit_table(context)
    table = pd.DataFrame(
        {
            "Check": audit["description"],
            "Section": audit["section"],
            "Expected": audit["expected"].map(format_cell),
            "Found": audit["found"].map(format_cell),
            "Result": audit["passed"].map(audit_result),
        }
    )
    show_table(
        context,
        table,
        audit,
        "audit",
        "Every arithmetic and consistency check the report allows",
        "the whole report",
        computed=False,
    )


def format_cell(value: object) -> str:
    """A number as the book writes numbers (122.0 -> 122); anything else as text."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format_number(float(value))
    return str(value)


def audit_result(passed: object) -> str:
    if passed is None or passed is pd.NA:
        return "cannot be verified"
    return "passed" if passed else "FAILED"


def audit_counts(context: ChapterContext) -> str:
    audit = audit_table(context)
    failed = int(audit["passed"].eq(False).fillna(False).sum())
    unverifiable = int(audit["passed"].isna().sum())
    return (
        f"The audit makes **{len(audit)}** checks: **{int(audit['passed'].sum())}** pass, "
        f"**{failed}** fail and **{unverifiable}** cannot be verified because the report does "
        f"not give a figure they need. The text of the report was repaired in "
        f"**{len(context.dataset.repairs)}** places."
    )


def show_audit_counts(context: ChapterContext) -> None:
    show_markdown(audit_counts(context))


# Methodology and reproduction -------------------------------------------------------------------


def parameter_reference() -> pd.DataFrame:
    """Every chapter parameter with its default and meaning, from the schema itself."""
    rows = []
    for name, field in Parameters.model_fields.items():
        default = field.get_default(call_default_factory=True)
        if hasattr(default, "model_dump"):
            for key, sub in type(default).model_fields.items():
                rows.append(
                    {
                        "Key": f"{name}.{key}",
                        "Default": str(sub.default),
                        "Meaning": sub.description or "",
                    }
                )
            continue
        rows.append(
            {
                "Key": name,
                "Default": "empty" if default in (None, {}, []) else str(default),
                "Meaning": field.description or "",
            }
        )
    return pd.DataFrame(rows)


def show_parameter_reference(context: ChapterContext) -> None:
    reference = parameter_reference()
    show_table(
        context,
        reference,
        reference,
        "parameters",
        "Chapter parameters (parameters/<chapter>.yaml), their defaults and meaning",
        "not applicable (book parameters)",
        computed=False,
    )


def show_thresholds(context: ChapterContext) -> None:
    """The thresholds in force, as the schema's defaults (the published values)."""
    reference = parameter_reference()
    thresholds = reference[reference["Key"].str.startswith("thresholds.")]
    show_table(
        context,
        thresholds,
        thresholds,
        "thresholds",
        "Thresholds of the progress methods (defaults: the published values)",
        "not applicable (methodology)",
        computed=False,
    )


# Data appendix ----------------------------------------------------------------------------------


def show_data_files(context: ChapterContext) -> None:
    """Every data file, offered for download as it is in the project and where it is in data/,
    so that the downloaded data package finds the files it describes (source/report.txt)."""
    root = project_root()
    rows = []
    for relative, meaning in DATA_FILES.items():
        name = Path(relative).relative_to("data").as_posix()
        (context.downloads / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(root / relative, context.downloads / name)
        rows.append(
            {
                "File": relative,
                "Holds": meaning,
                "Download": f"{context.chapter.name}/{name}",
            }
        )
    frame = pd.DataFrame(rows)
    links = "".join(
        f'<li><a href="{row.Download}" download>{row.File}</a>: {row.Holds}</li>'
        for row in frame.itertuples()
    )
    display_html(f"<ul>{links}</ul>")


def show_data_readme(context: ChapterContext) -> None:
    """The data dictionary: data/README.md itself, so the book and the folder never disagree.
    Its headings are demoted to sit under the page's own."""
    text = (project_root() / "data" / "README.md").read_text(encoding="utf-8")
    demoted = re.sub(r"^(#+) ", lambda match: "#" * (len(match[1]) + 2) + " ", text, flags=re.M)
    # Wrapped in a block that scrolls sideways: its tables are wider than a phone.
    show_markdown(f'<div class="book-readme">\n\n{demoted}\n\n</div>')


def show_series_dictionary(context: ChapterContext) -> None:
    series = context.dataset.series.drop(columns=["line"])
    table = series[["series_id", "name_zh", "name_en", "domain", "unit", "kind", "direction"]]
    show_table(
        context,
        table,
        series,
        "series_dictionary",
        "Every series: identifier, official Chinese name, English name, unit and kind",
        "the whole report",
        computed=False,
    )


def status_meanings(thresholds: Thresholds) -> dict[str, str]:
    """What each status means, with the thresholds in force."""
    t = thresholds
    return {
        "target_achieved": "the latest value already meets the published 2025 target",
        "on_track": f"at the observed pace the target is reached (R >= {t.on_track:g})",
        "acceleration_needed": (
            f"progress, but too slow to reach the target "
            f"({t.acceleration_needed:g} <= R < {t.on_track:g})"
        ),
        "limited_progress": (
            f"little progress towards the target "
            f"({t.limited_progress:g} <= R < {t.acceleration_needed:g})"
        ),
        "deterioration": f"moving away from the target (R < {t.limited_progress:g})",
        "substantial_progress": (
            f"no target: growth of at least {t.substantial_growth:.1%} a year in the good "
            "direction (scaled down near a bound)"
        ),
        "moderate_progress": (
            f"no target: growth from {t.moderate_growth:.1%} to {t.substantial_growth:.1%} a year"
        ),
        "insufficient_data": "fewer than two observations over time: no trend",
        "not_assessed": "a milestone, a context count, or no figure at all",
        "achieved_early": "提前实现: the target is already met at mid-term",
        "ahead": "快于预期: more of the task is done than the share of time elapsed",
        "on_schedule": "基本符合预期: the task done matches the time elapsed",
        "behind": "滞后: less of the task is done than the share of time elapsed",
    }


def show_status_legend(context: ChapterContext) -> None:
    """The status categories with their English and Chinese labels and meaning."""
    legend = pd.DataFrame(
        [
            {"Status": label(code), "中文": label(code, "zh"), "Meaning": meaning}
            for code, meaning in status_meanings(context.parameters.thresholds).items()
        ]
    )
    display_html(legend.to_html(index=False, border=0, classes="book-table"))
