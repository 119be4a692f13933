"""The ENISA SRP form as versioned data: the Glossary v1.3 field list (``data/enisa_glossary_v1_3.yaml``).

Each field carries its number, track, status per stage, character limit and the CRA
article it serves. Code holds only the reading rules (STYLE.md 6).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from crakit.reporting.errors import FieldTooLong, ReportingError
from crakit.reporting.kinds import Kind, Stage

GLOSSARY_FILE = "enisa_glossary_v1_3.yaml"
STATUS_LABEL = {
    "R": "required",
    "O": "optional",
    "I": "required if available",
    "C": "carried forward",
    "-": "not applicable",
}
_STAGE_COLUMN = {Stage.EARLY_WARNING: 0, Stage.NOTIFICATION: 1, Stage.FINAL: 2}


@dataclass(frozen=True, slots=True)
class FormField:
    """One user-entered field of the SRP notification form."""

    number: str  # "2", "v21", "i37"
    key: str
    name: str
    track: str  # both | vulnerability | incident
    status: tuple[str, str, str]  # early warning, notification, final
    limit: int | None
    type: str
    cra: str
    choices: tuple[str, ...] = ()

    def applies_to(self, kind: Kind) -> bool:
        return self.track in ("both", kind.value)

    def status_at(self, stage: Stage) -> str:
        """Status code at ``stage``; an intermediate report (Art 14(6)) is an update of the
        notification on the SRP, so it uses the notification column."""
        column = _STAGE_COLUMN.get(stage, 1)
        return self.status[column]

    def required_at(self, stage: Stage) -> bool:
        """Required now: R at this stage, or carried forward (C) from a stage where it was required."""
        column = _STAGE_COLUMN.get(stage, 1)
        code = self.status[column]
        if code == "R":
            return True
        if code == "C":
            earlier = [c for c in self.status[:column] if c not in ("C",)]
            return bool(earlier) and earlier[-1] == "R"
        return False


@dataclass(frozen=True, slots=True)
class PecGround:
    code: str
    key: str
    text: str
    cra: str


@dataclass(frozen=True, slots=True)
class ActContent:
    """A field the Act asks for at a stage (where available) although the form marks it optional."""

    key: str
    stages: tuple[Stage, ...]
    cra: str
    what: str


@dataclass(frozen=True, slots=True)
class Glossary:
    spec: str
    version: str
    date: str
    fields: tuple[FormField, ...]
    pec_grounds: tuple[PecGround, ...]
    act_content: tuple[ActContent, ...] = ()

    def act_requirement(self, key: str, stage: Stage) -> ActContent | None:
        return next((a for a in self.act_content if a.key == key and stage in a.stages), None)

    def for_kind(self, kind: Kind) -> tuple[FormField, ...]:
        return tuple(f for f in self.fields if f.applies_to(kind))

    def field(self, name: str, kind: Kind | None = None) -> FormField:
        """Look a field up by key (``summary``) or number (``3``, ``v21``)."""
        wanted = name.strip().lower().replace("-", "_")
        for item in self.fields:
            if wanted in (item.key, item.number.lower()):
                if kind is not None and not item.applies_to(kind):
                    raise ReportingError(
                        f"field {name!r} belongs to the {item.track} track, not to {kind.value}"
                    )
                return item
        raise ReportingError(f"unknown form field {name!r}", hint="see `crakit report fields` for the keys")

    def ground(self, text: str) -> PecGround:
        wanted = text.strip().lower()
        for ground in self.pec_grounds:
            if wanted in (ground.code, ground.key):
                return ground
        raise ReportingError(
            f"unknown PEC ground {text!r}", hint="use a, b or c (Art 16(2), third subparagraph)"
        )


@cache
def glossary() -> Glossary:
    """The packaged ENISA Glossary v1.3."""
    text = resources.files("crakit.reporting").joinpath("data", GLOSSARY_FILE).read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    fields = tuple(
        FormField(
            number=str(item["number"]),
            key=str(item["key"]),
            name=str(item["name"]),
            track=str(item["track"]),
            status=(str(item["status"][0]), str(item["status"][1]), str(item["status"][2])),
            limit=item.get("limit"),
            type=str(item["type"]),
            cra=str(item["cra"]),
            choices=tuple(str(c) for c in item.get("choices", ())),
        )
        for item in data["fields"]
    )
    grounds = tuple(
        PecGround(str(g["code"]), str(g["key"]), str(g["text"]), str(g["cra"])) for g in data["pec_grounds"]
    )
    act = tuple(
        ActContent(str(a["key"]), tuple(Stage(x) for x in a["stages"]), str(a["cra"]), str(a["what"]))
        for a in data.get("act_content") or ()
    )
    return Glossary(
        str(data["spec"]), str(data["spec_version"]), str(data["spec_date"]), fields, grounds, act
    )


def check_limit(item: FormField, text: str) -> None:
    """Refuse text longer than the field's character limit (the SRP would cut or reject it)."""
    if item.limit is not None and len(text) > item.limit:
        raise FieldTooLong(
            f"field {item.number} '{item.name}' has {len(text)} characters, over its limit of {item.limit}",
            hint="shorten the text; the ENISA form refuses longer input",
        )


def normalise_choice(item: FormField, text: str) -> str:
    """Match an enum value case-insensitively (``yes`` -> ``Yes``); refuse anything else."""
    if item.type == "bool":
        choices: tuple[str, ...] = ("Yes", "No")
    else:
        choices = item.choices
    for choice in choices:
        if text.strip().lower() == choice.lower():
            return choice
    raise ReportingError(
        f"field {item.number} '{item.name}' takes one of: {', '.join(choices)}; got {text!r}"
    )
