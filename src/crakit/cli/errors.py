"""Turn exceptions into one-line messages and documented exit codes.

Only this module (and click itself) ends the process; domain code raises
:class:`crakit.errors.CrakitError`.
"""

from __future__ import annotations

import contextlib
import os
import sys
from typing import Any

import click

from crakit.cli.output import for_stderr
from crakit.errors import EXIT_INPUT, EXIT_INTERNAL, CrakitError

_HEAP = {"done": False}


def done_with_heap() -> None:
    """Tell the executable that nothing left in memory needs a clean release (the command's
    output is written and closed): it may end the process at once (see cli.main.command)."""
    _HEAP["done"] = True


def leave(exc: SystemExit | None) -> None:
    """End the process now if the command allowed it, with the exit code ``exc`` carries;
    otherwise return, and the interpreter ends as usual."""
    if not _HEAP["done"]:
        return
    code = 0 if exc is None else exc.code
    if not isinstance(code, int):  # None is success; a message means a normal, printed exit
        if code is not None:
            return
        code = 0
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing more to say
            stream.flush()
    os._exit(code)


def run(cli: click.Group, argv: list[str] | None) -> Any:
    try:
        return cli.main(args=argv, prog_name="crakit", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.exceptions.Abort as exc:
        if isinstance(exc.__cause__, KeyboardInterrupt):  # click turns Ctrl-C into Abort
            click.echo("crakit: interrupted (nothing half-written was kept)", err=True)
            sys.exit(130)
        click.echo("crakit: aborted", err=True)
        sys.exit(EXIT_INPUT)
    except click.UsageError as exc:
        # One line, as for every other bad input; the usage text is one --help away.
        where = exc.ctx.command_path if exc.ctx is not None else "crakit"
        message = " ".join(exc.format_message().split())
        click.echo(for_stderr(f"crakit: error: {message} (see `{where} --help`)"), err=True)
        sys.exit(EXIT_INPUT)
    except click.ClickException as exc:
        click.echo(for_stderr(f"crakit: error: {' '.join(exc.format_message().split())}"), err=True)
        sys.exit(EXIT_INPUT if exc.exit_code in (1, 2) else exc.exit_code)
    except CrakitError as exc:
        click.echo(for_stderr(f"crakit: error: {exc.diagnostics()}"), err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("crakit: interrupted (nothing half-written was kept)", err=True)
        sys.exit(130)
    except BrokenPipeError:
        # `crakit ... | head`: the reader went away, which is not an error.
        sys.stderr.close()
        sys.exit(0)
    except MemoryError:
        click.echo("crakit: error: input too large to process in memory", err=True)
        sys.exit(EXIT_INPUT)
    except Exception as exc:  # a bug: say so briefly, full trace only on request
        if os.environ.get("CRAKIT_DEBUG"):
            import traceback  # only here: a scan's start-up does not pay for it

            traceback.print_exc()
        click.echo(
            f"crakit: internal error: {type(exc).__name__}: {exc} "
            "(set CRAKIT_DEBUG=1 for a trace and please report it)",
            err=True,
        )
        sys.exit(EXIT_INTERNAL)
