"""The parameters in words: the name of each parameter and of each value a parameter takes by
name, in each language. Readers see these; the keys and named values themselves (`as_of`,
`mid`) are written only where an analyst writes a parameter file (the reproducing page) and in
the downloads."""

from __future__ import annotations

import math
import typing

import pandas as pd

from analysis.core.language import Language, Text
from analysis.inputs.parameters import Parameters, Thresholds, changed_settings

# Each key of parameter_reference(): a parameter, or `thresholds.<name>` for a threshold.
PARAMETER_NAMES: dict[str, Text] = {
    "as_of": Text("评估截止日期", "As-of date"),
    "base_year": Text("基期年份", "Base year"),
    "target_year": Text("目标年份", "Target year"),
    "projection_method": Text("预测方法", "Projection method"),
    "series_methods": Text("单项指标的预测方法", "Projection method of single series"),
    "thresholds.on_track": Text("进展比：按进度推进", "Ratio for on track"),
    "thresholds.acceleration_needed": Text("进展比：有进展，需加快", "Ratio for progress"),
    "thresholds.limited_progress": Text("进展比：进展有限", "Ratio for limited progress"),
    "thresholds.substantial_growth": Text(
        "无目标时的增速：增长较快", "Growth counted as fast (no target)"
    ),
    "thresholds.moderate_growth": Text(
        "无目标时的增速：增长一般", "Growth counted as moderate (no target)"
    ),
    "thresholds.limited_growth": Text(
        "无目标时的增速：增长缓慢", "Growth counted as slow, not the wrong way (no target)"
    ),
    "thresholds.bound_exponent": Text("上限折减指数", "Exponent of the bound scaling"),
    "thresholds.unsd_on_track": Text(
        "联合国统计司比率：按期推进或已达标", "UNSD ratio for on track or met"
    ),
    "thresholds.unsd_fair": Text("联合国统计司比率：进展尚可", "UNSD ratio for fair progress"),
    "thresholds.unsd_met_margin": Text(
        "联合国统计司：视为达标的差距（百分点）", "UNSD margin counted as met (points)"
    ),
    "thresholds.unsd_growth_on_track": Text(
        "联合国统计司，无目标时的增速：增速较快", "UNSD growth counted as fast (no target)"
    ),
    "thresholds.unsd_growth_fair": Text(
        "联合国统计司，无目标时的增速：增速一般", "UNSD growth counted as moderate (no target)"
    ),
    "midterm_tolerance": Text("中期评估的容差", "Mid-term tolerance"),
    "range_rule": Text("区间的取值", "Value taken from a range"),
    "min_points_for_interval": Text(
        "预测区间所需的观测值个数", "Observations for a prediction interval"
    ),
    "target_overrides": Text("替代的目标值", "Target overrides"),
    "series": Text("显示的指标", "Series shown"),
    "interval_alpha": Text("预测区间的显著性水平", "Significance level of the interval"),
    "bounded_transform": Text("有上限百分比的外推", "Projection of bounded percentages"),
    "max_projection_multiple": Text("加注提示的预测倍数", "Projection multiple flagged"),
    "max_compound_multiple": Text("视为极端外推的复利倍数", "Compound multiple flagged as extreme"),
    "negative_base": Text("基期为负时的增长率", "Growth from a negative base"),
    "unsd_projection": Text("联合国统计司比率所用的预测", "Projection behind the UNSD ratio"),
}

# Each value a parameter takes by name (its type's Literal options).
VALUE_WORDS: dict[str, Text] = {
    "auto": Text(
        "按指标类型（政策标准复利，其余线性）", "by kind (standards compound, others linear)"
    ),
    "cagr": Text("复利", "compound"),
    "linear": Text("线性", "linear"),
    "ols": Text("最小二乘", "least squares"),
    "low": Text("下限", "low end"),
    "mid": Text("中值", "midpoint"),
    "high": Text("上限", "high end"),
    "logit": Text("logit 尺度", "on the logit scale"),
    "cap": Text("截断于上限", "capped at the bound"),
    "undefined": Text("不计算复合增长率", "no compound rate"),
    "open_sdg": Text("Open SDG 的符号调整增长率", "Open SDG's sign-adjusted rate"),
    "method": Text("该指标本身的预测", "the series' own projection"),
    # The kinds of series a method per kind names.
    "level": Text("水平值", "levels"),
    "rate": Text("比率", "rates"),
    "count": Text("数量", "counts"),
    "standard": Text("政策标准", "standards"),
}

EMPTY = Text("（空）", "empty")
ALL = Text("全部", "all")


def literal_values(annotation: object) -> set[str]:
    """The values a parameter's type allows by name: its Literal options, also inside unions
    and mappings."""
    if typing.get_origin(annotation) is typing.Literal:
        return {str(value) for value in typing.get_args(annotation)}
    return {value for arg in typing.get_args(annotation) for value in literal_values(arg)}


def named_values() -> set[str]:
    """Every value some parameter takes by name."""
    fields = [*Parameters.model_fields.values(), *Thresholds.model_fields.values()]
    return {value for field in fields for value in literal_values(field.annotation)}


def value_words(
    value: object, language: Language, series_names: dict[str, str] | None = None
) -> str:
    """A parameter's value as readers read it: a number as a number, a named value in words,
    a mapping as its entries (a series by its name), nothing as empty."""
    separator = "；" if language == "zh" else "; "
    names = series_names or {}
    if value is None or value == {} or value == []:
        return EMPTY[language]
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and math.isfinite(value):
        return f"{value:g}"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dict):
        colon = "：" if language == "zh" else ": "
        return separator.join(
            f"{value_words(k, language, names)}{colon}{value_words(v, language, names)}"
            for k, v in value.items()
        )
    if isinstance(value, list):
        return separator.join(value_words(item, language, names) for item in value)
    text = str(value)
    if text in VALUE_WORDS:
        return VALUE_WORDS[text][language]
    return names.get(text, text)


# What an empty value of a parameter means, where "empty" alone would not say it.
EMPTY_MEANS: dict[str, Text] = {
    "as_of": Text("全部数据", "every figure"),
    "series": Text("本章全部指标", "every series of the chapter"),
}
NONE = Text("无", "none set")  # not "none": a word of the data's codes (direction)


def setting_words(
    key: str, value: object, language: Language, series_names: dict[str, str] | None = None
) -> str:
    """The value of the parameter `key` in words (`value_words`); an empty one says what it
    means for that parameter: every figure (as_of), every series of the chapter (series),
    else none."""
    if value is None or value == {} or value == []:
        return EMPTY_MEANS.get(key, NONE)[language]
    return value_words(value, language, series_names)


def parameter_value(values: dict, key: str) -> object:
    """A value of a dumped parameter model by its key in `parameter_reference()`
    (`thresholds.on_track` is a threshold's)."""
    for part in key.split("."):
        values = values[part]
    return values


def parameter_reference() -> pd.DataFrame:
    """Every chapter parameter with its default and meaning, from the schema itself."""
    rows = []
    for name, field in Parameters.model_fields.items():
        default = field.get_default(call_default_factory=True)
        if hasattr(default, "model_dump"):
            for key, sub in type(default).model_fields.items():
                rows.append(
                    {
                        "key": f"{name}.{key}",
                        "default": str(sub.default),
                        "meaning": sub.description or "",
                    }
                )
            continue
        rows.append(
            {
                "key": name,
                "default": "" if default in (None, {}, []) else str(default),
                "meaning": field.description or "",
            }
        )
    return pd.DataFrame(rows)


def parameters_in_force(
    parameters: Parameters, language: Language, series_names: dict[str, str] | None = None
) -> str:
    """The settings of `parameters` that differ from the book's defaults, as a sentence with
    each default beside it ('' when every setting is the default): a page computed with other
    parameters says so above its findings."""
    changed = changed_settings(parameters)
    if not changed:
        return ""
    defaults = Parameters().model_dump()

    def words(key: str, value: object) -> str:
        return setting_words(key, value, language, series_names)

    if language == "zh":
        settings = "；".join(
            f"{PARAMETER_NAMES[key].zh}为{words(key, value)}"
            f"（默认：{words(key, parameter_value(defaults, key))}）"
            for key, value in changed.items()
        )
        return f"本章的计算参数与本书默认值不同：{settings}。"
    settings = "; ".join(
        f"{in_sentence(PARAMETER_NAMES[key].en)} {words(key, value)}"
        f" (default: {words(key, parameter_value(defaults, key))})"
        for key, value in changed.items()
    )
    return f"This chapter is computed with parameters other than the book's defaults: {settings}."


def in_sentence(name: str) -> str:
    """A name as it reads inside a sentence: 'Target year' as 'target year', 'UNSD ratio'
    as it is."""
    return name[:1].lower() + name[1:] if name[1:2].islower() else name
