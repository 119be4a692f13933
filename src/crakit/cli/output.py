"""Shared printing helpers: JSON to stdout, rich for people, messages to stderr."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO, TypeVar, cast

import click

FORMAT_JSON = "json"

F = TypeVar("F", bound=Callable[..., Any])


def format_option(*choices: str, default: str = "text") -> Callable[[F], F]:
    """The ``--format`` option every command carries (``json`` always among the choices)."""
    values = list(dict.fromkeys([*choices, FORMAT_JSON]))
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(values),
        default=default,
        show_default=True,
        help="Output format; json is a stable machine contract.",
    )


def emit_json(data: Any) -> None:
    """Write ``data`` as pretty JSON on stdout (orjson: fast, handles dataclasses and dates)."""
    import orjson

    click.echo(orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS).decode())


def console(stderr: bool = False) -> Any:
    """A rich console (imported lazily: rich costs ~40 ms to import)."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def for_stderr(line: str) -> str:
    """``line`` folded at spaces to the terminal's width when stderr is a terminal, so that a
    date, path or id is never cut by the terminal's own hard wrap; unchanged for a pipe or a log
    (one message, one line, for tools that read them)."""
    import sys

    if not sys.stderr.isatty():
        return line
    import shutil
    import textwrap

    width = shutil.get_terminal_size((80, 24)).columns
    if len(line) <= width:
        return line
    return textwrap.fill(
        line, width=width, subsequent_indent="  ", break_long_words=False, break_on_hyphens=False
    )


def warn(message: str) -> None:
    click.echo(for_stderr(f"crakit: warning: {message}"), err=True)


def info(message: str) -> None:
    click.echo(message, err=True)


def check_writable(path: Path, what: str = "output", *, create_folder: bool = False) -> None:
    """Refuse, before any work is done, an output path that cannot be written (exit 2).

    ``create_folder``: one missing folder level is created (crakit's own ``.crakit/`` for the
    database, as the README does) when its parent exists; a deeper missing path is refused like
    any other (``no/such/folder`` is a typo, and a report written into a folder that does not
    exist is one too)."""
    from crakit.errors import InputError

    parent = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise InputError(f"{path} is a directory", hint=f"give a file name for the {what}")
    if create_folder and not parent.exists() and parent.parent.is_dir():
        try:
            parent.mkdir(exist_ok=True)  # another crakit may create it between the check and here
        except OSError as exc:
            raise InputError(f"cannot create the folder {parent}: {exc.strerror or exc}") from None
    if not parent.is_dir():
        raise InputError(f"cannot write {path}: the folder {parent} does not exist", hint="create it first")
    if not os.access(parent, os.W_OK):
        raise InputError(f"cannot write {path}: the folder {parent} is not writable")


@contextmanager
def atomic_output(path: Path, what: str = "output") -> Iterator[BinaryIO]:
    """A binary file that appears at ``path`` only when everything was written.

    Written beside the target and renamed into place: an error, a full disk or Ctrl-C leaves the
    old file (or nothing) instead of half a report. The new file takes the old one's permissions
    (a published advisory stays readable to the web server), a symbolic link is written through
    (the file it names is replaced, the link kept), and a write that fails is an input error
    naming the file (exit 2).
    """
    from crakit.errors import InputError

    check_writable(path, what)
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        found: int | None = target.stat().st_mode
    except OSError:
        found = None  # nothing there yet: the usual permissions (0o666 less the umask)
    if found is not None and not stat.S_ISREG(found):
        # /dev/null, /dev/stdout, a pipe: written to as it is. Renaming a file over a device
        # would replace it (as root, /dev/null itself).
        try:
            with open(target, "wb") as handle:
                yield cast(BinaryIO, handle)
        except OSError as exc:
            raise InputError(f"cannot write {path}: {exc.strerror or exc}") from None
        return
    folder = target.parent if str(target.parent) else Path(".")
    # A private, never-existing name beside the target, made here rather than with tempfile
    # (whose import costs a scan 4 ms of its start-up): O_EXCL refuses a name already taken.
    # The name is ours from before the file exists until it is known to be someone else's: a
    # Ctrl-C arriving just as the file is created must still remove it.
    temporary: Path | None = None
    try:
        for _ in range(100):
            temporary = folder / f".{target.name}.{os.urandom(6).hex()}"
            try:
                fd = os.open(
                    temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666
                )
                break
            except FileExistsError:
                temporary = None  # another writer's file: never ours to remove
                continue
            except OSError as exc:
                temporary = None
                raise InputError(f"cannot write {path}: {exc.strerror or exc}") from None
        else:
            raise InputError(f"cannot write {path}: no free temporary name in {folder}")
        try:
            if found is not None:
                os.chmod(fd, stat.S_IMODE(found))
            with os.fdopen(fd, "wb") as handle:
                yield cast(BinaryIO, handle)
            os.replace(temporary, target)
        except OSError as exc:  # a full disk, a quota, a file system gone read-only
            raise InputError(
                f"cannot write {path}: {exc.strerror or exc}", hint="the old file was kept"
            ) from None
    except BaseException:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        raise


def write_file(path: Path, data: bytes, what: str = "output") -> None:
    """``data`` written to ``path`` whole or not at all (:func:`atomic_output`)."""
    with atomic_output(path, what) as handle:
        handle.write(data)


@contextmanager
def progress(
    description: str, total: int | None, *, show: bool = True, threaded: bool = True
) -> Iterator[Callable[[int, int | None], None] | None]:
    """A progress bar on stderr for work that takes a while; ``update(done, total)`` moves it.

    Shown only when ``show`` and stderr is a terminal, so it never reaches stdout, a pipe or a CI log.
    Otherwise ``None``: the work then skips what it does only for the bar (e.g. counting files).
    ``threaded=False``: the bar is redrawn by ``update`` only, with no refresh thread (for work
    that may fork, which is safe only in a process with one thread).
    """
    import sys

    if not show or not sys.stderr.isatty():
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console(stderr=True),
        transient=True,
        auto_refresh=threaded,
    ) as bar:
        task = bar.add_task(description, total=total)

        def update(done: int, new_total: int | None = None) -> None:
            if new_total is not None:
                bar.update(task, completed=done, total=new_total)
            else:
                bar.update(task, completed=done)
            if not threaded:
                bar.refresh()

        yield update
