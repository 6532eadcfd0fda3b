"""How a qualifier of data/observations.csv (about, over, at_least, nearly, at_most) is
written around a number in each edition: 约1357万元, 30余家, 300平方米以上, 超过71%; about
1,357, over 30."""

from __future__ import annotations

from analysis.core.language import Language, Text

# How a qualifier is written around a number ("{}").
QUALIFIER_FORMS: dict[str, Text] = {
    "about": Text("约{}", "about {}"),
    "over": Text("{}余", "over {}"),
    "at_least": Text("{}以上", "at least {}"),
    "nearly": Text("近{}", "nearly {}"),
    "at_most": Text("{}以下", "at most {}"),
}


def qualified(number: str, words: str, qualifier: str, language: Language) -> str:
    """A number and its unit with the qualifier where the edition puts it. Chinese: 约 before
    the number, 余 between the number and its measure word (30余家, 5600余万元), 以上 and 以下
    after the unit (300平方米以上, 55%以上), and "more than a percentage" as 超过71%; English:
    the qualifier before the number."""
    if language == "zh":
        if qualifier in ("at_least", "at_most"):
            return f"{number}{words}{'以上' if qualifier == 'at_least' else '以下'}"
        if qualifier == "over" and words.strip() == "%":
            return f"超过{number}{words}"
    return QUALIFIER_FORMS.get(qualifier, Text("{}", "{}"))[language].format(number) + words
