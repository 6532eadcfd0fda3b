"""The units of the data, how the English edition writes them, and how Chinese writes a large
quantity (in 万 or 亿).

A unit of measure (元/人·月, %, 平方米) translates the same way in every series, so its English is
written here, once. A measure word (个, 家, 张) names nothing by itself: 415个 is "415 outlets"
and 70个 "70 stations". The English of a measure word is therefore the thing counted, given by
each series in `data/series.csv` (`unit_en`).
"""

from __future__ import annotations

import re

# Unit of measure -> its English, as the number's unit ("707 yuan/person/month").
UNITS_OF_MEASURE = {
    "元/人·月": "yuan/person/month",
    "元/人·年": "yuan/person/year",
    "元/月": "yuan/month",
    "元": "yuan",
    "%": "%",
    "倍": "times",
    "平方米": "m²",
    "平方米/百户": "m²/100 households",
    "亩": "mu",
    "岁": "years of age",
    "次": "times",
    "次/月": "times a month",
    "人次": "person-times",
}
# Measure words: what is counted, in English, comes from the series (`unit_en`).
MEASURE_WORDS = (
    "张", "个", "人", "名", "家", "条", "块", "辆", "台", "处", "部", "本", "类", "级", "项", "批",
    "面", "岗", "户",
)  # fmt: skip
# Units in use. A new unit is added here on purpose, so that a typo in a unit is caught.
KNOWN_UNITS = (*UNITS_OF_MEASURE, *MEASURE_WORDS)

# Frequencies English says in words for one and two: 1次/月 is "once a month", 2次 "twice".
FREQUENCY_UNITS = ("次", "次/月")
TIMES_IN_WORDS = {1: "once", 2: "twice"}

# English nouns whose singular no rule gives.
IRREGULAR_SINGULARS = {
    "people": "person",
    "children": "child",
    "staff": "staff",
    "times": "time",
    "times a month": "time a month",
    "person-times": "person-time",
}
ENGLISH_NOUN = re.compile(r"^[A-Za-z][A-Za-z ()'-]*$")


class Unit(str):
    """A unit as the data write it (the Chinese `unit` of a series) that knows its English.

    It compares, hashes and prints as the Chinese unit, so every rule on units (money in 万,
    no space before %) sees the data's unit in both editions; the English edition writes `en`.
    """

    en: str

    def __new__(cls, unit: str, unit_en: str = "") -> Unit:
        made = super().__new__(cls, unit)
        made.en = english_unit(unit, unit_en)
        return made

    def __reduce__(self):  # pickled (sent to a worker process) with its English
        return (Unit, (str(self), self.en))


def in_english(unit: str) -> str:
    """How the English edition writes `unit`: a `Unit`'s English; a plain unit of measure from
    the vocabulary; a plain measure word as it is (a series' noun is needed to say more)."""
    if isinstance(unit, Unit):
        return unit.en
    return UNITS_OF_MEASURE.get(unit, unit)


def english_unit(unit: str, unit_en: str = "") -> str:
    """The unit as the English edition writes it: the vocabulary's English for a unit of
    measure, the series' own noun (`unit_en`) for a measure word; '' without a unit."""
    if unit in UNITS_OF_MEASURE:
        return UNITS_OF_MEASURE[unit]
    return unit_en


def singular(noun: str) -> str:
    """The singular of a plural English noun of the data: 'outlets' -> 'outlet', 'people' ->
    'person', 'categories' -> 'category'; a unit of measure with a slash is left alone."""
    if noun in IRREGULAR_SINGULARS:
        return IRREGULAR_SINGULARS[noun]
    if "/" in noun or noun in UNITS_OF_MEASURE.values():
        return noun
    head, _, last = noun.rpartition(" ")
    if last.endswith("ies"):
        last = last[:-3] + "y"
    elif last.endswith("s") and not last.endswith("ss"):
        last = last[:-1]
    return f"{head} {last}" if head else last


def agreeing(noun: str, value: float) -> str:
    """An English unit that agrees with its number: 'outlets' for 415, 'outlet' for 1."""
    return singular(noun) if value == 1 else noun


def frequency_in_words(value: float, unit: str) -> tuple[str, str] | None:
    """A frequency of one or two as English says it, as (number, what follows): (1, 次/月) ->
    ('once', ' a month'), (2, 次) -> ('twice', ''); None for any other quantity."""
    if str(unit) not in FREQUENCY_UNITS or value not in TIMES_IN_WORDS:
        return None
    return TIMES_IN_WORDS[int(value)], in_english(unit).removeprefix("times")


def zh_number(value: float) -> str:
    """A number as Chinese writes it: no thousands separator, at most two decimals."""
    value = float(value)
    if value == round(value):
        return f"{value:.0f}"
    return f"{value:.2f}".rstrip("0").rstrip(".")


def zh_quantity_parts(value: float, unit: str = "") -> tuple[str, str]:
    """(number, what follows it) as Chinese writes a quantity: in 万 or 亿 for money from 1万元
    and for other quantities from 10万: ('4500', '万元'), ('39', '万平方米'),
    ('707', '元/人·月')."""
    value = float(value)
    threshold = 1e4 if unit.startswith("元") and "/" not in unit else 1e5
    if unit != "%":
        for size, word in ((1e8, "亿"), (1e4, "万")):
            if abs(value) >= max(size, threshold):
                return zh_number(round(value / size, 4)), word + unit
    return zh_number(value), unit
