"""The explanation attached to every decision: a sentence and the article it rests on."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Reason:
    text: str
    ref: str

    def to_json(self) -> dict[str, str]:
        return {"text": self.text, "ref": self.ref}
