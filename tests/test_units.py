"""The English edition's units: a unit of measure from the vocabulary, a measure word as the
thing it counts (data/series.csv `unit_en`), agreeing with its number."""

from __future__ import annotations

import pickle

import pytest

from analysis.book.tables import change_per_year, observed_value, quantity
from analysis.core.units import (
    MEASURE_WORDS,
    UNITS_OF_MEASURE,
    Unit,
    agreeing,
    singular,
    zh_quantity_parts,
)
from analysis.inputs.dataset import load_dataset


@pytest.mark.parametrize(
    ("plural", "expected"),
    [
        ("outlets", "outlet"),
        ("meal points", "meal point"),
        ("categories", "category"),
        ("people", "person"),
        ("children", "child"),
        ("staff", "staff"),
        ("person-times", "person-time"),
        ("times a month", "time a month"),
        ("m²/100 households", "m²/100 households"),  # a unit of measure: no number agreement
        ("yuan", "yuan"),
    ],
)
def test_a_noun_of_the_data_has_its_singular(plural: str, expected: str) -> None:
    assert singular(plural) == expected


def test_a_unit_is_the_data_s_unit_and_knows_its_english() -> None:
    outlets = Unit("个", "outlets")
    assert outlets == "个" and hash(outlets) == hash("个") and f"{outlets}" == "个"
    assert outlets.en == "outlets"
    assert Unit("元/人·月").en == "yuan/person/month"  # from the vocabulary, for every series
    copied = pickle.loads(pickle.dumps(outlets))  # sent to a worker process
    assert copied == "个" and copied.en == "outlets"


def test_figures_are_written_in_each_edition_s_units() -> None:
    # 福利彩票销售网点数415个 (一.14); 社会组织共青团1个 (二.(五).1): one, singular
    assert quantity(415, Unit("个", "outlets"), "zh") == "415个"
    assert quantity(415, Unit("个", "outlets"), "en") == "415 outlets"
    assert quantity(1, Unit("个", "organisations"), "en") == "1 organisation"
    assert quantity(707, Unit("元/人·月"), "en") == "707 yuan/person/month"
    assert quantity(62.5, Unit("%"), "en") == "62.5 %"
    # money keeps its Chinese notation in the Chinese edition whatever the English says
    assert quantity(13570000, Unit("元"), "zh") == "1357万元"
    assert quantity(13570000, Unit("元"), "en") == "13,570,000 yuan"
    row = {"value": 50.0, "value_low": None, "value_high": None, "qualifier": "nearly"}
    assert observed_value(row, Unit("人", "residents"), "en") == "nearly 50 residents"
    assert observed_value(row, Unit("人", "residents"), "zh") == "近50人"
    # (43 - 0) / 3 years = 14.33 a year, the self-care standard of 一.3
    change = {"annual_change": 43 / 3, "unit": Unit("元/人·月")}
    assert change_per_year(change, "en") == "+14.3 yuan/person/month a year"
    assert change_per_year(change, "zh") == "+14.3 元/人·月/年"


def test_once_and_twice_are_said_in_words() -> None:
    # 济安医院每月巡诊一次 (二.(三).3): 1次/月
    assert quantity(1, Unit("次/月"), "en") == "once a month"
    assert quantity(2, Unit("次/月"), "en") == "twice a month"
    assert quantity(3, Unit("次/月"), "en") == "3 times a month"
    assert quantity(1, Unit("次"), "en") == "once"
    assert quantity(1, Unit("次/月"), "zh") == "1次/月"
    row = {"value": 1.0, "value_low": None, "value_high": None, "qualifier": "about"}
    assert observed_value(row, Unit("次/月"), "en") == "about once a month"
    # a multiple is not a frequency: 1.3倍 stays a number
    assert quantity(1.3, Unit("倍"), "en") == "1.3 times"


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (45_000_000, "元", ("4500", "万元")),  # money from 1万元: 45000000 / 10^4
        (12_000, "元", ("1.2", "万元")),
        (150_000_000, "元", ("1.5", "亿元")),  # from 1亿: 150000000 / 10^8
        (390_000, "平方米", ("39", "万平方米")),  # other quantities from 10万
        (90_000, "人", ("90000", "人")),  # under 10万: as it is
        (12_000, "元/人·年", ("12000", "元/人·年")),  # a rate of money is not money
        (62.5, "%", ("62.5", "%")),
        (1234.567, "元", ("1234.57", "元")),  # two decimals at most
    ],
)
def test_chinese_writes_large_quantities_in_wan_and_yi(
    value: float, unit: str, expected: tuple[str, str]
) -> None:
    assert zh_quantity_parts(value, unit) == expected


def test_every_series_of_the_data_has_an_english_unit() -> None:
    series = load_dataset().series
    assert set(UNITS_OF_MEASURE).isdisjoint(MEASURE_WORDS)
    for sid, kind, unit in zip(series["series_id"], series["kind"], series["unit"], strict=True):
        assert isinstance(unit, Unit), sid
        if kind == "date":
            assert unit == "" and unit.en == "", sid
            continue
        assert unit.en and not any("\u4e00" <= ch <= "\u9fff" for ch in unit.en), sid
        assert agreeing(unit.en, 2) == unit.en


@pytest.mark.parametrize(
    ("quote", "expected"),
    [
        ("总投入超5600多万元", "超5600多万元"),
        ("总投入5600多万元", "5600多万元"),
        ("总投入5600余万元", "5600余万元"),
        ("", "5600余万元"),  # no quote: the book's own form
        ("共5600万元", "5600余万元"),  # the quote does not write it with a qualifier
    ],
)
def test_more_than_a_number_is_written_as_the_quote_writes_it(quote: str, expected: str) -> None:
    from analysis.core.qualifiers import qualified

    assert qualified("5600", "万元", "over", "zh", quote) == expected
    assert qualified("5600", "万元", "over", "en", quote) == "over 5600万元"
