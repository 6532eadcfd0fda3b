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


# The ways the report writes "more than" around a number ({n}) and its unit ({w}), the most
# specific first: 超5600多万元, 200多万元, 超过71%, 30余家.
OVER_AS_WRITTEN = ("超{n}多{w}", "超过{n}{w}", "超{n}{w}", "{n}多{w}", "{n}余{w}")


def qualified(number: str, words: str, qualifier: str, language: Language, quote: str = "") -> str:
    """A number and its unit with the qualifier where the edition puts it. Chinese: as the
    report's `quote` writes it when it does (超5600多万元, 200多万元), else 约 before the
    number, 余 between the number and its measure word (30余家, 5600余万元), 以上 and 以下
    after the unit (300平方米以上, 55%以上), and "more than a percentage" as 超过71%; English:
    the qualifier before the number."""
    if language == "zh":
        if qualifier == "over" and quote:
            for form in OVER_AS_WRITTEN:
                written = form.format(n=number, w=words)
                if written in quote:
                    return written
        if qualifier in ("at_least", "at_most"):
            return f"{number}{words}{'以上' if qualifier == 'at_least' else '以下'}"
        if qualifier == "over" and words.strip() == "%":
            return f"超过{number}{words}"
    return QUALIFIER_FORMS.get(qualifier, Text("{}", "{}"))[language].format(number) + words
