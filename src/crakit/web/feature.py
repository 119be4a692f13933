"""What a feature (the reporting platform, the workbench) hands the app factory."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter

from crakit.accounts import Principal
from crakit.store import MigrationTree, Store


@dataclass(frozen=True, slots=True)
class NavItem:
    label: str  # message id, translated when rendered
    path: str
    visible: Callable[[Principal], bool]


@dataclass(frozen=True, slots=True)
class Feature:
    name: str
    routers: Sequence[APIRouter]
    trees: Sequence[MigrationTree] = ()
    nav: Sequence[NavItem] = ()
    error_statuses: Sequence[tuple[type[Exception], int]] = ()
    home: Callable[[Principal], str] = lambda _principal: "/"
    footer: str = ""  # message id shown at the foot of every page
    background: Sequence[Callable[[Store], None]] = ()
    state: dict[str, Any] = field(default_factory=dict)
