"""What every file format shares: the base model, text, ids, figures and their ranges."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, Strict, StringConstraints

from vendormatch.files.loader import YamlFloat, YamlInt


def _source_text(value: Any) -> Any:
    """Read a number the user wrote where text belongs as the exact text they wrote."""
    if isinstance(value, (YamlInt, YamlFloat)):
        return value.source
    return value


ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"

Text = Annotated[str, StringConstraints(min_length=1, max_length=10_000), BeforeValidator(_source_text)]
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=80), BeforeValidator(_source_text)]
CurrencyCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
# Numbers are strict so that "12", true or 3.5 users are errors rather than quietly coerced.
# Ranges. Every legal value must reach the solver as a number it handles exactly enough to compare
# costs to the cent and scores to a millionth: no real deployment comes near these limits, and
# anything beyond them is a typo (users: 1e12) that would otherwise break the solve.
MAX_USERS = 10_000_000
MAX_MONEY = 1e12
MAX_CONTACTS = 1_000_000_000
# A cost over the horizon (and so a budget) may be larger: an edition for thousands of users, in a
# currency of many units to the dollar (VND, IDR), passes 1e12. Doubles still hold it to a hundredth.
MAX_COST = 1e14
MAX_RATE = 1e6
MAX_WEIGHT = 1000.0
MIN_WEIGHT = 0.001
Amount = Annotated[float, Strict(), Field(ge=0, le=MAX_MONEY, allow_inf_nan=False)]
Weight = Annotated[float, Strict(), Field(ge=MIN_WEIGHT, le=MAX_WEIGHT, allow_inf_nan=False)]
Rate = Annotated[float, Strict(), Field(ge=1 / MAX_RATE, le=MAX_RATE, allow_inf_nan=False)]
Count = Annotated[int, Strict(), Field(ge=0, le=MAX_USERS)]
Level = Annotated[float, Strict(), Field(gt=0, le=1)]
def _real_day(value: str) -> str:
    """Refuse a day the calendar does not have (2027-02-31), which the pattern alone lets through."""
    try:
        date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"'{value}' is not a day of the calendar; write it YYYY-MM-DD") from None
    return value


#: A calendar day, YYYY-MM-DD (reviews of lock entries, vendors' answers).
Day = Annotated[str, StringConstraints(pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"),
                AfterValidator(_real_day)]
YearMonth = Annotated[
    str,
    StringConstraints(pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?$"),
    BeforeValidator(_source_text),
]


class Model(BaseModel):
    """Base of every format model: unknown keys are errors and values never change."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def is_kebab_id(value: str) -> bool:
    """Tell whether a string is a valid id."""
    return re.match(ID_PATTERN, value) is not None
