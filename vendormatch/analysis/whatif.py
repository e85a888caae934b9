"""What-if settings: `users.sales=30`, `budget=none` and the like, applied to a loaded strategy.

A setting is `PATH=VALUE`. The value is read as a YAML 1.2 plain scalar (`30` is a number, `must`
text, `null` or `~` nothing), and `none` also means nothing, so `budget=none` removes the budget.
The changed strategy is validated again as a `Strategy`, so a bad value gets the message the same
value would get in the file. Settings apply in order; a later one wins over an earlier one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from vendormatch.files.currencies import ISO_4217
from vendormatch.files.diagnostics import Diagnostic, VendormatchError, truncate
from vendormatch.files.loader import Document, resolve_plain
from vendormatch.files.models import Requirement, Strategy
from vendormatch.files.schema_errors import did_you_mean, schema_diagnostics

#: The file name every what-if diagnostic carries: settings come from the command line.
SETTINGS_FILE = "--set"

#: What can be set, as patterns; `<...>` stands for a key the strategy already has.
SETTABLE = (
    "horizon_years", "budget", "min_department_coverage", "users.<department>", "exchange_rates.<currency>",
    "objectives.<objective>.weight", "requirements.<requirement>.priority", "requirements.<requirement>.weight",
)
_TOP_LEVEL = ("horizon_years", "budget", "min_department_coverage")
_REQUIREMENT_FIELDS = ("priority", "weight")
# Words that mean "no value" besides YAML's own null spellings: `budget=none` reads naturally.
_NONE_WORDS = frozenset(["none", "None", "NONE"])


@dataclass(frozen=True)
class Setting:
    """One parsed `PATH=VALUE`: the path's parts and the value as YAML reads it."""

    text: str
    path: tuple[str, ...]
    value: Any


def _error(code: str, message: str) -> Diagnostic:
    return Diagnostic(SETTINGS_FILE, 0, 0, "error", code, message)


def settable_paths(strategy: Strategy) -> list[str]:
    """Every path that can be set on this strategy, in the order of `SETTABLE`."""
    paths = list(_TOP_LEVEL)
    paths += [f"users.{d}" for d in sorted(strategy.users)]
    paths += [f"exchange_rates.{c}" for c in sorted(strategy.exchange_rates)]
    paths += [f"objectives.{o}.weight" for o in sorted(strategy.objectives)]
    paths += [f"requirements.{r.id}.{f}" for r in strategy.requirements for f in _REQUIREMENT_FIELDS]
    return paths


def _summary(strategy: Strategy) -> str:
    """The settable patterns, each with (some of) the keys this strategy has for it."""

    def keys(names: Sequence[str]) -> str:
        shown = ", ".join(names[:6]) + (f", ... ({len(names) - 6} more)" if len(names) > 6 else "")
        return f" ({shown})" if names else ""

    requirement_ids = [r.id for r in strategy.requirements]
    return ", ".join([
        *_TOP_LEVEL,
        f"users.<department>{keys(sorted(strategy.users))}",
        "exchange_rates.<currency>",
        f"objectives.<objective>.weight{keys(sorted(strategy.objectives))}",
        f"requirements.<requirement>.priority|weight{keys(requirement_ids)}",
    ])


def parse_setting(text: str) -> Setting | Diagnostic:
    """Split `PATH=VALUE` and read the value as a YAML scalar; a diagnostic when there is no `=`."""
    path_text, equals, value_text = text.partition("=")
    path_text, value_text = path_text.strip(), value_text.strip()
    if not equals or not path_text:
        return _error("bad-setting", f"'{truncate(text)}' is not a setting: write PATH=VALUE, like users.sales=30 "
                                     "or budget=none")
    value = None if value_text in _NONE_WORDS else resolve_plain(value_text)
    return Setting(text, tuple(path_text.split(".")), value)


# What each family's keys are called in messages, and the fields that can be set below a key.
_FAMILIES = {"users": ("department", ()), "exchange_rates": ("currency", ()),
             "objectives": ("objective", ("weight",)), "requirements": ("requirement", _REQUIREMENT_FIELDS)}


def _family_keys(family: str, strategy: Strategy) -> list[str]:
    if family == "users":
        return sorted(strategy.users)
    if family == "exchange_rates":
        return sorted(strategy.exchange_rates)
    if family == "objectives":
        return sorted(strategy.objectives)
    return [r.id for r in strategy.requirements]


def _problem(path: tuple[str, ...], strategy: Strategy) -> str | None:
    """Why the path names nothing settable on this strategy, or None when it does."""
    head = path[0]
    if head not in _FAMILIES:
        if len(path) == 1 and head in _TOP_LEVEL:
            return None
        return did_you_mean(head, [*_TOP_LEVEL, *_FAMILIES])
    noun, fields = _FAMILIES[head]
    if len(path) == 1:
        return f": name the {noun}, like {head}.<{noun}>" + (f".{fields[0]}" if fields else "")
    keys = _family_keys(head, strategy)
    key = path[1]
    # A rate the strategy lacks may be added, as long as it is a real currency.
    if key not in keys and not (head == "exchange_rates" and key in ISO_4217):
        if head == "exchange_rates":
            hint = f"; did you mean '{key.upper()}'?" if key.upper() in ISO_4217 else did_you_mean(key, keys)
            return f": '{truncate(key)}' is not an ISO 4217 currency code{hint}"
        # Ids share words and hyphens, so a loose match would propose unrelated ones.
        return f": the strategy has no {noun} '{truncate(key)}'{did_you_mean(key, keys, cutoff=75)}"
    if len(path) == 2 and not fields:
        return None
    if len(path) == 3 and path[2] in fields:
        return None
    if not fields:
        return f": write {head}.<{noun}>=VALUE"
    hint = did_you_mean(path[2], fields) if len(path) == 3 else ""
    article = "an" if noun[0] in "aeiou" else "a"
    return f": {article} {noun} has {' and '.join(fields)} to set{hint}"


def _diagnostics(model: type[BaseModel], error: ValidationError, data: Any, setting: Setting, where: str) -> list[Diagnostic]:
    """The schema's messages for a bad value, naming the setting instead of a place in a file."""
    found = []
    for diagnostic in schema_diagnostics(model, error, Document(SETTINGS_FILE, data)):
        message = diagnostic.message.removeprefix(f"{where}: ")
        found.append(_error(diagnostic.code, f"{truncate(setting.text)}: {message}"))
    return found


def _apply(data: dict[str, Any], setting: Setting) -> list[Diagnostic]:
    """Apply one known setting to the strategy's plain data in place, or return why it cannot be."""
    path = setting.path
    if path[0] == "requirements":
        _, requirement_id, field = path
        index = next(i for i, r in enumerate(data["requirements"]) if r["id"] == requirement_id)
        changed = {**data["requirements"][index], field: setting.value}
        try:
            Requirement.model_validate(changed)
        except ValidationError as exc:
            return _diagnostics(Requirement, exc, changed, setting, field)
        data["requirements"][index] = changed
        return []
    candidate = {**data}
    if len(path) == 1:
        candidate[path[0]] = setting.value
    elif path[0] == "objectives":
        candidate["objectives"] = {**data["objectives"], path[1]: {**data["objectives"][path[1]], "weight": setting.value}}
    else:
        candidate[path[0]] = {**data[path[0]], path[1]: setting.value}
    try:
        Strategy.model_validate(candidate)
    except ValidationError as exc:
        return _diagnostics(Strategy, exc, candidate, setting, ".".join(path))
    data.clear()
    data.update(candidate)
    return []


class SettingError(VendormatchError):
    """A bad `--set`: a usage error like any other bad option (exit code 2), not a finding in the files."""

    exit_code = 2


def apply_settings(strategy: Strategy, settings: Sequence[str]) -> Strategy:
    """Return the strategy with each `PATH=VALUE` setting applied, validated again as a Strategy.

    Raises SettingError with one `--set:0:0` diagnostic per bad setting (unknown path, with a
    did-you-mean and the settable paths; or a value the strategy's schema rejects).
    """
    if not settings:
        return strategy
    data = strategy.model_dump()
    data["requirements"] = list(data["requirements"])
    errors: list[Diagnostic] = []
    for text in settings:
        parsed = parse_setting(text)
        if isinstance(parsed, Diagnostic):
            errors.append(parsed)
            continue
        problem = _problem(parsed.path, strategy)
        if problem is not None:
            dotted = truncate(".".join(parsed.path))
            errors.append(_error("unknown-setting", f"{truncate(parsed.text)}: unknown setting '{dotted}'{problem} "
                                                    f"(settable: {_summary(strategy)})"))
            continue
        errors.extend(_apply(data, parsed))
    if errors:
        raise SettingError(errors)
    return Strategy.model_validate(data)
