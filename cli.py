"""The `planner` command: parse, call, write, print. No logic a library test could not reach."""

from __future__ import annotations

import gc
import logging
import math
import os
import re
import signal
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

import click

from models import Scenario, SolverSettings, Text, default_time_limit, in_lang
from models.plan import DEFAULT_LIMIT_WORDS
from planner import __version__
from planner.io.errors import InputError, Problem
from planner.io.text import format_number, format_percent

log = logging.getLogger(__name__)

EXIT_INPUT = 2
EXIT_INTERNAL = 1
#: What a shell reports for a program stopped by Ctrl-C (128 + SIGINT).
EXIT_INTERRUPTED = 130


class _AbortNow(BaseException):
    """A second Ctrl-C: leave at once. Not a KeyboardInterrupt, so nothing that stops on one keeps it."""


class _Run:
    """The command under way: its stage (for messages), the Ctrl-C presses so far, the files it wrote.

    The first Ctrl-C raises KeyboardInterrupt where the program is (the solver turns it into its
    best plan so far; before any plan, the command stops and writes nothing); any further one
    raises `_AbortNow`, which leaves at once through the cleanups that remove temporary files.
    """

    def __init__(self) -> None:
        self.stage = ("khởi động", "starting")
        self.interrupts = 0
        #: The stage the first Ctrl-C came in.
        self.interrupted_at: tuple[str, str] | None = None
        self.quiet = False
        self.written: list[Path] = []

    def enter(self, vi: str, en: str, detail: str = "") -> None:
        """Begin a stage; said on stderr unless the command is quiet."""
        self.stage = (vi, en)
        if not self.quiet:
            click.echo(f"… {vi} / {en}{detail}", err=True)

    def arm(self) -> None:
        """Take Ctrl-C (again): a CP-SAT solve with `catch_sigint_signal` on resets it to the default
        (which kills the process without a word), so this is called again after solving."""
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGINT, self.on_sigint)

    def on_sigint(self, signum: int, frame: Any) -> None:
        self.interrupts += 1
        if self.interrupts > 1:
            raise _AbortNow
        self.interrupted_at = self.stage
        raise KeyboardInterrupt

    def stopped(self) -> str:
        """What a Ctrl-C left behind, in both languages."""
        if self.written:
            names = ", ".join(str(path) for path in self.written)
            return f"Đã dừng (Ctrl-C); đã ghi trước đó: {names}. / Stopped by Ctrl-C; written before it: {names}."
        return "Đã dừng (Ctrl-C): không ghi tệp nào. / Stopped by Ctrl-C: no file was written."


def _run() -> _Run:
    return click.get_current_context().obj["run"]


def _leave(ctx: click.Context, code: int) -> None:
    """Exit with `code`; at once when a solver thread still stopping could crash the teardown (only
    then: other daemon threads, a Dask client's say, end with the interpreter as usual)."""
    from planner.solver.levels import SOLVER_THREAD

    if any(thread.name == SOLVER_THREAD and thread.is_alive() for thread in threading.enumerate()):
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    ctx.exit(code)


def _quiet_unraisable(unraisable: Any) -> None:
    """Errors Python cannot raise (openpyxl's unfinished streams collected after a failure): logged, not shown."""
    log.debug("ignored in %r: %r", unraisable.object, unraisable.exc_value)


def _save_trace(error: BaseException) -> Path | None:
    """The traceback, the command line and the version in the temporary folder (the last error's file)."""
    text = "".join(traceback.format_exception(error))
    content = f"planner {__version__}\n{' '.join(sys.argv)}\n{time.strftime('%Y-%m-%d %H:%M:%S')}\n\n{text}"
    path = Path(tempfile.gettempdir()) / "planner-loi-error.txt"
    try:
        path.write_text(content, encoding="utf-8")
    except OSError:  # another user's file in a shared folder: a file of its own
        try:
            handle, name = tempfile.mkstemp(prefix="planner-loi-error-", suffix=".txt")
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                file.write(content)
        except OSError:
            return None
        path = Path(name)
    return path


def _internal_error(error: Exception, run: _Run) -> str:
    """What failed, during which stage, and where its traceback is."""
    what = f"{type(error).__name__}: {error}"
    trace = _save_trace(error)
    kept_vi = f"chi tiết (traceback) đã lưu ở {trace}" if trace else "không lưu được chi tiết"
    kept_en = f"the traceback is saved in {trace}" if trace else "the traceback could not be saved"
    return (
        f"Lỗi nội bộ khi {run.stage[0]}: {what}\n"
        f"Internal error while {run.stage[1]}: {what}\n"
        f"{kept_vi}; chạy lại với `planner --debug …` để in ra màn hình; không ghi tệp kết quả nào. / "
        f"{kept_en}; run again as `planner --debug …` to print it; no output file was written."
    )


def _usage(vi: str, en: str) -> click.UsageError:
    """A usage error said in both languages."""
    error = click.UsageError(en, ctx=click.get_current_context(silent=True))
    error.message_vi = vi  # type: ignore[attr-defined]
    return error


class _Bilingual(click.BadParameter):
    """A refused option value, said in Vietnamese and English."""

    def __init__(
        self,
        vi: str,
        en: str,
        ctx: click.Context | None = None,
        param: click.Parameter | None = None,
        param_hint: str | None = None,
    ):
        super().__init__(en, ctx=ctx, param=param, param_hint=param_hint)
        self.message_vi = vi


#: Vietnamese for click's own messages (English pattern, Vietnamese template of its groups).
_CLICK_VI = [
    (r"^(?:File|Directory|Path) '(.*)' does not exist\.?$", "không tìm thấy '{0}'"),
    (r"^(?:File|Directory|Path) '(.*)' is a directory\.?$", "'{0}' là một thư mục, cần một tệp"),
    (r"^(?:File|Directory|Path) '(.*)' is a file\.?$", "'{0}' là một tệp, cần một thư mục"),
    (r"^(?:File|Directory|Path) '(.*)' is not readable\.?$", "không đọc được '{0}'"),
    (r"^(?:File|Directory|Path) '(.*)' is not writable\.?$", "không ghi được '{0}'"),
    (r"^'(.*)' is not a valid integer", "'{0}' không phải là số nguyên"),
    (r"^'(.*)' is not a valid float", "'{0}' không phải là số"),
    (r"^'(.*)' is not one of (.*)\.$", "'{0}' không phải một trong các giá trị {1}"),
    (r"^'(.*)' is not (.*)\.$", "'{0}' không phải {1}"),
    (r"^(.*) is not in the range (.*)\.$", "{0} nằm ngoài khoảng cho phép {1}"),
    (
        r"^No such command '(.*)'\.\s*\(Did you mean (?:one of: )?(.*)\?\)$",
        "không có lệnh '{0}'; có phải là {1}?",
    ),
    (r"^No such command '(.*)'\.$", "không có lệnh '{0}'"),
    (
        r"^No such option:? '?([^'\s]+?)'?\.?\s*\(?(?:Did you mean|Possible options:) (?:one of: )?(.*?)\??\)?$",
        "không có tùy chọn {0}; có phải là {1}?",
    ),
    (r"^No such option:? '?([^'\s]+?)'?\.?$", "không có tùy chọn {0}"),
    (r"^Got unexpected extra arguments? \((.*)\)$", "thừa đối số: {0}"),
    (r"^Option '(.*)' requires an argument\.$", "tùy chọn '{0}' cần một giá trị"),
    (r"^Option '(.*)' requires (\d+) arguments\.$", "tùy chọn '{0}' cần {1} giá trị"),
    (r"^Missing option '(.*)'\.", "thiếu tùy chọn bắt buộc '{0}'"),
    (r"^Missing argument '(.*)'\.", "thiếu đối số bắt buộc '{0}'"),
    (r"^Missing parameter '(.*)'\.", "thiếu tham số bắt buộc '{0}'"),
    (r"^Missing command\.$", "thiếu tên lệnh (check, plan, compare, ...)"),
    (r"^Could not open file '?(.*?)'?: (.*)$", "không mở được tệp '{0}': {1}"),
]


def _click_vi(error: click.ClickException) -> str:
    """Vietnamese for a usage error of click's, with click's English kept when it has no pattern."""
    vi = getattr(error, "message_vi", None)
    # a bad value: click's message is its own words, prefixed below with the parameter's name
    bad = (
        error
        if isinstance(error, click.BadParameter) and not isinstance(error, click.MissingParameter)
        else None
    )
    message = error.message if bad is not None else error.format_message()
    if vi is None:
        for pattern, template in _CLICK_VI:
            match = re.match(pattern, message.strip(), re.DOTALL)
            if match:
                vi = template.format(*match.groups())
                break
        else:
            vi = f"lệnh không đúng cách dùng ({message})"
    if bad is not None:
        if bad.param is not None:
            hint = bad.param.get_error_hint(bad.ctx) if bad.ctx else bad.param.name
        else:
            hint = bad.param_hint if isinstance(bad.param_hint, str) else " / ".join(bad.param_hint or [])
        if hint:
            vi = f"giá trị không hợp lệ cho {hint}: {vi}"
    return vi


def _show_usage_error(error: click.ClickException) -> None:
    """click's usage block, then the problem in Vietnamese and in English."""
    ctx = getattr(error, "ctx", None)
    if ctx is not None:
        click.echo(ctx.get_usage(), err=True)
        click.echo(f"Xem / try '{ctx.command_path} --help'.", err=True)
        click.echo("", err=True)
    click.echo(f"Lỗi: {_click_vi(error)}", err=True)
    click.echo(f"Error: {error.format_message()}", err=True)


#: The help option's own line, which click says in English only.
HELP_OPTION = "Hiện trợ giúp này rồi thoát / Show this message and exit."


def _bilingual_help(option: click.Option | None) -> click.Option | None:
    if option is not None:
        option.help = HELP_OPTION
    return option


class _Command(click.Command):
    """A command whose --help line is in both languages."""

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        return _bilingual_help(super().get_help_option(ctx))


class _Guarded(click.Group):
    """User errors: one clear message in both languages, exit 2; Ctrl-C: exit 130; anything else: exit 1."""

    command_class = _Command

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        return _bilingual_help(super().get_help_option(ctx))

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **kwargs: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **kwargs)
        previous_hook, sys.unraisablehook = sys.unraisablehook, _quiet_unraisable
        code = 0
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **kwargs)
        except click.exceptions.NoArgsIsHelpError as error:  # `planner` alone: the help
            error.show()
            code = error.exit_code
        except click.ClickException as error:
            _show_usage_error(error)
            code = error.exit_code
        except (click.Abort, KeyboardInterrupt, _AbortNow):  # Ctrl-C while click itself was busy
            click.echo(
                "Đã dừng (Ctrl-C): không ghi tệp nào. / Stopped by Ctrl-C: no file was written.", err=True
            )
            code = EXIT_INTERRUPTED
        finally:
            if code:  # a run cut short: collect what it left (openpyxl's open streams) while still muted
                gc.collect()
            sys.unraisablehook = previous_hook
        sys.exit(code if isinstance(code, int) else 0)

    def invoke(self, ctx: click.Context) -> Any:
        run = _Run()
        ctx.obj = {"run": run, "debug": False}
        in_main_thread = threading.current_thread() is threading.main_thread()
        previous_handler = signal.getsignal(signal.SIGINT) if in_main_thread else None
        if previous_handler is None:  # set outside Python: Python's own on the way out
            previous_handler = signal.default_int_handler
        run.arm()
        try:
            return super().invoke(ctx)
        except InputError as error:
            click.echo(error.report(), err=True)
            ctx.exit(EXIT_INPUT)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("", err=True)
            click.echo(run.stopped(), err=True)
            _leave(ctx, EXIT_INTERRUPTED)
        except _AbortNow:
            click.echo("", err=True)
            click.echo(
                "Đã hủy ngay (Ctrl-C lần hai): không ghi tệp nào. / "
                "Aborted at once (second Ctrl-C): no file was written.",
                err=True,
            )
            _leave(ctx, EXIT_INTERRUPTED)
        except BrokenPipeError:  # output piped into `head` and the like: stop quietly
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(0)
        except Exception as error:  # an internal error: what failed and where, the traceback in a file
            if ctx.obj.get("debug"):
                raise
            click.echo(_internal_error(error, run), err=True)
            ctx.exit(EXIT_INTERNAL)
        finally:
            if in_main_thread:
                signal.signal(signal.SIGINT, previous_handler)


@click.group(cls=_Guarded)
@click.version_option(
    __version__, prog_name="planner", help="Hiện phiên bản rồi thoát / Show the version and exit."
)
@click.option(
    "--debug", is_flag=True, help="In chi tiết lỗi và nhật ký gỡ lỗi / show tracebacks and debug logging."
)
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Kế hoạch cử cán bộ đi đào tạo, bồi dưỡng / training nomination planner.

    Mỗi lệnh có --help với ví dụ. / Every command has --help with an example.

    \b
    Example:
      planner plan planner/data/sample-roster.xlsx --scenario scenarios/plan-2023-2025.toml --out plan.xlsx
    """
    ctx.obj["debug"] = debug
    logging.basicConfig(
        level=logging.DEBUG if debug else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )


def _load(
    roster_path: str, scenario_path: str, budget_factor: float | None = None
) -> tuple[Any, Scenario, Any]:
    from planner.io.scenario import load_scenario
    from planner.solver.cohorts import build_population

    run = _run()
    run.enter("đọc kịch bản", "reading the scenario", f": {scenario_path}")
    scenario = load_scenario(scenario_path, budget_factor=budget_factor)
    roster = _read_roster(roster_path, _known_programs(scenario))
    run.enter("lập nhóm cán bộ theo điều kiện", "grouping the officials by eligibility")
    return roster, scenario, build_population(roster, scenario)


def _known_programs(scenario: Scenario) -> list[str]:
    from models import STANDARD_PROGRAMS

    return sorted(set(STANDARD_PROGRAMS) | {p.code for p in scenario.programs})


def _read_roster(path: str, known_programs: list[str]) -> Any:
    """The roster, refused when it lists nobody (the empty form `planner template` writes)."""
    from planner.io.roster import read_roster

    _run().enter("đọc danh sách cán bộ", "reading the roster", f": {path}")
    roster = read_roster(path, known_programs=known_programs)
    if not roster.officials:
        raise InputError(
            Path(path).name,
            [
                Problem(
                    "danh sách không có cán bộ nào, chỉ có dòng tiêu đề (mẫu trống của `planner template`?): "
                    "điền ít nhất một người rồi chạy lại",
                    "the roster lists no officials, only the header row (the empty form of `planner "
                    "template`?): fill in at least one official and run again",
                )
            ],
        )
    return roster


def _levels_outside(roster: Any, scenarios: list[tuple[str, Scenario]]) -> list[tuple[list[str], Any]]:
    """Officials at levels a scenario does not have: (labels of the scenarios, finding), alike merged."""
    from planner.io.structure import levels_outside

    merged: dict[str, tuple[list[str], Any]] = {}
    for label, scenario in scenarios:
        for found in levels_outside(roster, scenario):
            merged.setdefault(found.message("en"), ([], found))[0].append(label)
    return list(merged.values())


def _warn_levels(roster: Any, scenarios: list[tuple[str, Scenario]]) -> list[Text]:
    """Say on stderr, before solving, which officials sit at levels a scenario does not have; the notes."""
    notes = []
    for labels, found in _levels_outside(roster, scenarios):
        prefix = f"{', '.join(labels)}: " if any(labels) else ""
        notes.append(Text(found.message("vi"), found.message("en")))
        click.echo(f"! {prefix}{found.message('vi')}", err=True)
        click.echo(f"! {prefix}{found.message('en')}", err=True)
    return notes


def _outputs(outputs: Mapping[str, str | None], inputs: list[str], workbooks: tuple[str, ...] = ()) -> Any:
    """The run's output files, checked before any work (exit 2 naming each one that cannot be written)."""
    from planner.io.export import OutputFiles

    files = OutputFiles(outputs, inputs=inputs, workbooks=workbooks)
    files.check()
    return files


def _commit(files: Any) -> None:
    """Rename the run's files into place together (an `InputError` naming the file when one cannot be)."""
    files.commit()
    _run().written += files.written


class _Number(click.ParamType):
    """A finite number within bounds, refused in both languages with the bounds said."""

    def __init__(
        self,
        kind: type[int] | type[float],
        low: float | None = None,
        high: float | None = None,
        low_open: bool = False,
        high_open: bool = False,
    ):
        self.kind, self.low, self.high, self.low_open, self.high_open = kind, low, high, low_open, high_open
        self.name = "integer" if kind is int else "float"

    def _bounds(self) -> tuple[str, str]:
        low, high = self.low, self.high
        if low is not None and high is not None:
            if self.high_open:
                return f"từ {low} đến dưới {high}", f"at least {low} and less than {high}"
            if self.kind is int:  # a count: 1.000 in Vietnamese, 1,000 in English
                return (
                    f"từ {format_number(low)} đến {format_number(high)}",
                    f"from {format_number(low, 'en')} to {format_number(high, 'en')}",
                )
            return f"từ {low} đến {high:,}", f"from {low} to {high:,}"
        if low is not None:
            return (
                (f"lớn hơn {low}", f"greater than {low}")
                if self.low_open
                else (f"từ {low} trở lên", f"{low} or more")
            )
        return "", ""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        whole = self.kind is int
        if isinstance(value, self.kind) and not isinstance(value, bool):
            number = value
        else:
            try:
                number = self.kind(str(value).strip())
            except ValueError:
                raise _Bilingual(
                    f"'{value}' không phải là {'số nguyên' if whole else 'số'}",
                    f"'{value}' is not a {'whole number' if whole else 'number'}",
                    ctx,
                    param,
                ) from None
        low, high = self.low, self.high
        if (
            not math.isfinite(number)
            or (low is not None and (number <= low if self.low_open else number < low))
            or (high is not None and (number >= high if self.high_open else number > high))
        ):
            vi, en = self._bounds()
            kind_vi, kind_en = ("một số nguyên", "a whole number") if whole else ("một số", "a number")
            raise _Bilingual(
                f"phải là {kind_vi} {vi} (giá trị: {value})",
                f"must be {kind_en} {en} (got {value})",
                ctx,
                param,
            )
        return number


#: Options shared by several commands.
_scenario_option = click.option(
    "--scenario",
    "scenario_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False),
    help="Tệp kịch bản (TOML) / scenario file (TOML).",
)
_lang_option = click.option(
    "--lang",
    type=click.Choice(["vi", "en"]),
    default="vi",
    show_default=True,
    help="Ngôn ngữ in ra / language of the output.",
)


def _solver_options(f: Any) -> Any:
    f = click.option(
        "--seed",
        default=0,
        show_default=True,
        type=_Number(int, low=0),
        help="Hạt giống ngẫu nhiên của bộ giải / random seed of the solver.",
    )(f)
    f = click.option(
        "--gap",
        default=0.001,
        show_default=True,
        type=_Number(float, low=0, high=1, high_open=True),
        help="Dừng mỗi mức mục tiêu khi cách cận trong khoảng này / stop each objective level once within this "
        "relative gap of its bound (0.005 = 0.5 %).",
    )(f)
    f = click.option(
        "--workers",
        default=1,
        show_default=True,
        type=_Number(int, low=1, high=64),
        help="Số luồng của bộ giải (1: lần nào cũng cùng kết quả) / solver threads (1 = reproducible, byte-identical plans).",
    )(f)
    f = click.option(
        "--time-limit",
        default=None,
        type=_Number(float, low=0, low_open=True),
        help="Số giây giải, tính cả mọi mức và vòng, không ít hơn thời gian lập phương án tham lam, mô hình và "
        f"LP gốc của mỗi mức; mặc định {DEFAULT_LIMIT_WORDS[0]} / seconds of solving, all levels and rounds, on "
        "the wall clock, never less than the greedy plan, the model and each level's root LP take; default "
        f"{DEFAULT_LIMIT_WORDS[1]} "
        "(1 worker: the same plan every run unless the clock cuts the search, which the plan then says).",
    )(f)
    return f


def _settings(roster: Any, time_limit: float | None, workers: int, seed: int, gap: float) -> SolverSettings:
    """The solver options, the time limit the default for the roster's size unless given."""
    settings = SolverSettings(time_limit=time_limit, workers=workers, seed=seed, gap=gap)
    return settings.for_roster(len(roster.officials))


def _progress_printer(quiet: bool, lang: str) -> Any:
    from planner.report.status import level_name

    if quiet:
        return None
    overwrite = _on_terminal()

    def report(level: str, elapsed: float, value: float, bound: float) -> None:
        gap = abs(value - bound) / max(abs(value), abs(bound), 1e-9) if value != bound else 0.0
        line = (
            f"[{level_name(level, lang)}] {format_number(elapsed, lang, 1):>6} s"
            f"  giá trị/value {format_number(value, lang)}  cận/bound {format_number(bound, lang)}"
            f"  gap {format_percent(gap, lang, 2)}"
        )
        # on a terminal each report overwrites the last; in a log file, one line each
        click.echo(f"\r{line}   " if overwrite else line, err=True, nl=not overwrite)

    return report


def _on_terminal() -> bool:
    """Whether the console's error stream is a terminal (where a line can be written over)."""
    return sys.stderr.isatty()


@main.command(short_help="Lập kế hoạch, ghi danh sách / plan and write the lists")
@click.argument("roster", type=click.Path(exists=True, dir_okay=False))
@_scenario_option
@click.option(
    "--out",
    type=click.Path(dir_okay=False),
    help="Tệp kế hoạch (.xlsx) cần ghi / plan workbook (.xlsx) to write.",
)
@click.option(
    "--csv",
    "csv_path",
    type=click.Path(dir_okay=False),
    help="Tệp danh sách cử (CSV) / nominations.csv to write.",
)
@click.option(
    "--json", "json_path", type=click.Path(dir_okay=False), help="Tệp tổng hợp JSON / JSON summary to write."
)
@click.option(
    "--method",
    type=click.Choice(["cpsat", "greedy"]),
    default="cpsat",
    show_default=True,
    help="cpsat: tối ưu; greedy: tham lam, nhanh / cpsat: optimized; greedy: fast, not optimized.",
)
@click.option(
    "--budget-factor",
    type=_Number(float, low=0, low_open=True),
    help="Nhân dự toán mỗi năm với hệ số này (lớn hơn 0) / multiply every yearly budget by this factor (over 0).",
)
@_lang_option
@click.option("--quiet", is_flag=True, help="Không in dòng tiến độ / no progress line.")
@click.option(
    "--approved",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False),
    help="Kế hoạch đã duyệt: giữ nguyên danh sách, khóa các năm đó / approved plan (workbook or nominations "
    "CSV): its nominations stay fixed, its years closed.",
)
@click.option(
    "--decisions",
    type=click.Path(exists=True, dir_okay=False),
    help="Quyết định cử, không cử (xlsx, csv) / manual pins and exclusions (xlsx or csv).",
)
@click.option(
    "--previous",
    type=click.Path(exists=True, dir_okay=False),
    help="Dự thảo trước: giữ tên người khi số lượng cho phép; --max-changes giới hạn số người thay đổi / "
    "previous draft (workbook or CSV): its names stay where the plan's numbers allow, the solver "
    "starts from it; --max-changes bounds how many names move.",
)
@click.option(
    "--max-changes",
    type=_Number(int, low=0),
    help="Số người thay đổi tối đa so với --previous / at most this many names move against --previous.",
)
@_solver_options
def plan(
    roster: str,
    scenario_path: str,
    out: str | None,
    csv_path: str | None,
    json_path: str | None,
    method: str,
    budget_factor: float | None,
    lang: str,
    quiet: bool,
    approved: tuple[str, ...],
    decisions: str | None,
    previous: str | None,
    max_changes: int | None,
    time_limit: float | None,
    workers: int,
    gap: float,
    seed: int,
) -> None:
    """Lập kế hoạch cử ai đi học chương trình nào, năm nào, và ghi danh sách.

    Plan who goes to which program in which year, and write the lists.

    \b
    Example:
      planner plan planner/data/sample-roster.xlsx --scenario scenarios/plan-2023-2025.toml \\
          --out plan.xlsx --csv nominations.csv --json summary.json --time-limit 30
    """
    from planner.io.missing_data import missing_column_notes
    from planner.solver.solve import solve

    run = _run()
    run.quiet = quiet
    inputs = [roster, scenario_path, *approved, *(p for p in (decisions, previous) if p)]
    if max_changes is not None and not previous:
        raise _usage("--max-changes cần --previous", "--max-changes needs --previous")
    outputs = {"--out": out, "--csv": csv_path, "--json": json_path}
    with _outputs(outputs, inputs, workbooks=("--out",)) as files:
        roster_data, scenario, population = _load(roster, scenario_path, budget_factor)
        level_notes = _warn_levels(roster_data, [("", scenario)])
        replanning = _read_replanning(approved, decisions, previous, _known_programs(scenario))
        settings = _settings(roster_data, time_limit, workers, seed, gap)
        run.enter("giải", "solving", f" (--time-limit {settings.seconds:g} s)")
        result = solve(
            roster_data,
            scenario,
            settings,
            method=method,
            progress=_progress_printer(quiet, lang),
            max_changes=max_changes,
            population=population,
            **replanning,
        )
        run.arm()
        if not quiet and _on_terminal():  # ends the progress line written over
            click.echo("", err=True)
        result = result.model_copy(
            update={"notes": [*missing_column_notes(roster_data, scenario), *level_notes, *result.notes]}
        )
        written = _PlanWriter(files, roster_data, population, result, inputs[:2], lang)
        written.options = {**settings.model_dump(), "method": method, "budget_factor": budget_factor}
        written.approved_classes = {n.class_id for n in replanning.get("approved", ()) if n.class_id}
        try:
            stopped = run.interrupts > 0 or any(level.stopped_by_user for level in result.levels)
            summary = written.write(interrupted=stopped)
        except KeyboardInterrupt:  # the first Ctrl-C, after the plan exists: write it, marked
            files.discard()
            click.echo("", err=True)
            click.echo(
                "Ctrl-C: ghi phương án đã có, đánh dấu là bị dừng (nhấn Ctrl-C lần nữa để hủy ngay, không ghi gì). / "
                "Ctrl-C: writing the plan there is, marked as interrupted (press Ctrl-C again to abort at once, "
                "writing nothing).",
                err=True,
            )
            summary = written.write(interrupted=True)
    _print_plan(summary, lang)
    if summary["interrupted"]:
        names = ", ".join(str(path) for path in files.written) or "-"
        click.echo(
            f"Đã dừng (Ctrl-C): phương án tốt nhất đến lúc dừng, đánh dấu là bị dừng, đã ghi vào: {names}. / "
            f"Stopped by Ctrl-C: the best plan up to then, marked as interrupted, is written to: {names}.",
            err=True,
        )
        _leave(click.get_current_context(), EXIT_INTERRUPTED)


class _PlanWriter:
    """Checks a plan, then writes its workbook, CSV and JSON together; again, marked, after a Ctrl-C."""

    def __init__(
        self, files: Any, roster: Any, population: Any, result: Any, inputs: list[str], lang: str
    ) -> None:
        self.files, self.roster, self.population, self.result = files, roster, population, result
        self.inputs, self.lang = inputs, lang
        self.options: dict[str, Any] = {}
        #: classes of the approved lists (--approved): a member who left leaves them below their minimum
        self.approved_classes: set[str] = set()

    def write(self, interrupted: bool) -> dict[str, Any]:
        """Check, summarise and write the plan; the summary, with `interrupted` set."""
        from planner.analysis.check import assert_valid
        from planner.io import export
        from planner.report.summary import plan_summary

        run = _run()
        result = self.result
        if interrupted and not any(level.stopped_by_user for level in result.levels):
            at_vi, at_en = run.interrupted_at or run.stage
            note = Text(
                f"Dừng theo yêu cầu (Ctrl-C) khi {at_vi}: đây là phương án đã có lúc đó.",
                f"Stopped by Ctrl-C while {at_en}: this is the plan there was at that moment.",
            )
            result = result.model_copy(update={"notes": [*result.notes, note]})
        run.enter("kiểm tra phương án", "checking the plan")
        assert_valid(
            self.roster, self.population.scenario, result.nominations, result.classes, self.approved_classes
        )
        summary = {**plan_summary(self.population, result), "interrupted": interrupted}
        outputs = self.files.outputs
        if outputs:
            run.enter("ghi kết quả", "writing the results", f": {', '.join(map(str, outputs.values()))}")
        if "--out" in outputs:
            from planner.report.workbook import write_workbook

            roster_path, scenario_path = self.inputs
            options = {**self.options, "lang": self.lang, "run_at": time.strftime("%Y-%m-%d %H:%M:%S")}
            self.files.write(
                outputs["--out"],
                lambda path: write_workbook(
                    path,
                    self.roster,
                    self.population.scenario,
                    result,
                    self.population,
                    inputs={"roster": roster_path, "scenario": scenario_path},
                    options=options,
                    lang=self.lang,
                ),
            )
        if "--csv" in outputs:
            self.files.write(
                outputs["--csv"], lambda path: export.write_nominations_csv(result.nominations, path)
            )
        if "--json" in outputs:
            self.files.write(outputs["--json"], lambda path: export.write_json(summary, path))
        _commit(self.files)
        return summary


def _read_replanning(
    approved: tuple[str, ...], decisions: str | None, previous: str | None, programs: list[str]
) -> dict[str, Any]:
    if not (approved or decisions or previous):
        return {}
    from planner.io.decisions import read_decisions, read_plan

    return {
        "approved": [n for path in approved for n in read_plan(path)],
        "decisions": read_decisions(decisions, known_programs=programs) if decisions else [],
        "previous": read_plan(previous) if previous else [],
    }


def _print_plan(summary: dict[str, Any], lang: str) -> None:
    from models import LevelResult
    from planner.report.status import level_name, level_status, not_solved, status_words

    en = lang == "en"

    def number(value: float, decimals: int = 0) -> str:
        return format_number(value, lang, decimals)

    words = status_words(
        summary["status"], summary["method"], summary["gap"], lang, summary.get("unsolved_levels", ())
    )
    click.echo(f"{'Status' if en else 'Trạng thái'}: {words}, {number(summary['wall_time'], 1)} s")
    for level in summary["levels"]:
        words = level_status(LevelResult(**{k: v for k, v in level.items() if k != "gap"}), lang)
        value, bound = number(level["objective"]), number(level["bound"])
        label = "value / bound" if en else "giá trị / cận"
        click.echo(f"  {level_name(level['name'], lang)}: {words} ({label} {value} / {bound})")
    for code in summary.get("unsolved_levels", ()):
        click.echo(f"  {level_name(code, lang)}: {not_solved(lang)}")
    click.echo(f"{'Nominations' if en else 'Lượt cử'}: {number(summary['nominations'])}")
    for year, cost in summary["cost_by_year"].items():
        budget = summary["budget_by_year"][year]
        limit = f" / {number(budget)}" if budget is not None else ""
        click.echo(f"  {year}: {number(cost)}{limit} {'VND' if en else 'đồng'}")
    if after := summary.get("after_plan", {}).get("people"):
        cost, later = number(summary["after_plan"]["cost"]), summary["after_plan"]["from"]
        click.echo(
            f"  from {later}: {cost} VND, {number(after)} still studying (the next period's budgets)"
            if en
            else f"  từ {later}: {cost} đồng, {number(after)} người còn đang học (dự toán giai đoạn sau)"
        )
    shortfalls = summary["shortfalls"]
    click.echo(f"{'Shortfalls' if en else 'Chưa đạt'}: {len(shortfalls)}")
    for s in shortfalls:
        click.echo(f"  - {in_lang(s['reason'], lang)} ({number(s['achieved'])}/{number(s['required'])})")
    for note in summary["notes"]:
        click.echo(f"! {in_lang(note, lang)}")
    for issue in summary["approval_issues"]:
        click.echo(
            f"! {'Approved but fallen' if en else 'Đã duyệt nhưng không còn hợp lệ'}: {issue['official_id']} "
            f"{issue['program']} {issue['year']}: {in_lang(issue['reason'], lang)} "
            f"({'decide: replace or confirm' if en else 'cần quyết định: thay người hoặc giữ'})"
        )
    if summary["changes"]:
        entered = sum(c["change"] == "entered" for c in summary["changes"])
        click.echo(
            f"{'Against the previous draft' if en else 'So với dự thảo trước'}: +{entered} / "
            f"-{len(summary['changes']) - entered}"
        )


@main.command(short_help="Kiểm tra dữ liệu đầu vào / check the inputs")
@click.argument("roster", type=click.Path(exists=True, dir_okay=False))
@_scenario_option
@click.option(
    "--json",
    "json_path",
    type=click.Path(dir_okay=False),
    help="Ghi các số đếm ra JSON / write the counts as JSON.",
)
@_lang_option
def check(roster: str, scenario_path: str, json_path: str | None, lang: str) -> None:
    """Đọc danh sách và kịch bản; liệt kê mọi lỗi (mã thoát 2) hoặc tóm tắt.

    Read a roster and a scenario; list every problem (exit 2) or summarise them.

    \b
    Example:
      planner check planner/data/sample-roster.xlsx --scenario scenarios/plan-2023-2025.toml --json check.json
    """
    from planner.io import export
    from planner.io.missing_data import missing_columns
    from planner.report.summary import out_of_reach, roster_summary

    with _outputs({"--json": json_path}, [roster, scenario_path]) as files:
        roster_data, scenario, population = _load(roster, scenario_path)
        summary = roster_summary(population, lang)
        missing = missing_columns(roster_data, scenario)
        summary["missing_columns"] = [m.as_dict() for m in missing]
        summary["out_of_reach"] = out_of_reach(population)
        outside = [found for _, found in _levels_outside(roster_data, [("", scenario)])]
        summary["levels_outside"] = [
            {
                "level": found.level.value,
                "officials": found.officials,
                "closed_programs": list(found.closed),
                "eligible_by_program": found.eligible,
                "in_targets": found.in_targets,
                "message": found.message("vi"),
                "message_en": found.message("en"),
            }
            for found in outside
        ]
        if json_path:
            files.write(json_path, lambda path: export.write_json(summary, path))
            _commit(files)
    _print_counts(summary, lang)
    if missing:
        click.echo("Thiếu dữ liệu / missing data:")
        for column in missing:
            click.echo(f"  - {column.vi}")
            click.echo(f"    {column.en}")
    if outside:
        click.echo("Cấp không có trong kịch bản / levels the scenario does not have:")
        for found in outside:
            click.echo(f"  - {found.message('vi')}")
            click.echo(f"    {found.message('en')}")
    if summary["out_of_reach"]:
        click.echo("Không thể đạt / out of reach before solving:")
        for item in summary["out_of_reach"]:
            year = f" {item['year']}" if item["year"] else ""
            click.echo(f"  - {item['code']}{year}: {Text(**item['reason']).both()}")


def _print_counts(summary: dict[str, Any], lang: str) -> None:
    """check's counts, each code shown as its words in `lang` (programs as code and name)."""
    en = lang == "en"
    officials, history = (
        format_number(summary["officials"], lang),
        format_number(summary["history_rows"], lang),
    )
    click.echo(
        f"Officials: {officials}   training history rows: {history}"
        if en
        else f"Cán bộ: {officials}   dòng lịch sử đào tạo: {history}"
    )
    labels = summary["labels"]
    sections = (
        ("by_level", "By level" if en else "Theo cấp"),
        ("by_category", "By category" if en else "Theo loại"),
        ("by_role_group", "By role group" if en else "Theo nhóm chức vụ"),
    )
    width = max((len(labels[key][code]) for key, _ in sections for code in summary[key]), default=0)
    for key, title in sections:
        click.echo(f"{title}:")
        for code, count in summary[key].items():
            click.echo(f"  {labels[key][code]:<{width}} {format_number(count, lang):>8}")
    click.echo("Eligible per program:" if en else "Đủ điều kiện theo chương trình:")
    width = max(map(len, summary["eligible_by_program"]), default=0)
    for code, count in summary["eligible_by_program"].items():
        click.echo(
            f"  {code:<{width}} {format_number(count, lang):>8}  {labels['eligible_by_program'][code]}"
        )


@main.command(short_help="Vì sao một người được cử hay không / why one person")
@click.argument("roster", type=click.Path(exists=True, dir_okay=False))
@click.argument("official_id")
@_scenario_option
@click.option(
    "--plan",
    "plan_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False),
    help="Tệp kế hoạch hoặc CSV do `planner plan` ghi / the plan workbook or nominations CSV of `planner plan`.",
)
@_lang_option
def explain(roster: str, official_id: str, scenario_path: str, plan_path: str, lang: str) -> None:
    """Vì sao người này được cử hay không, theo chương trình và năm.

    Why this official is or is not on the lists, per program and year.

    \b
    Example:
      planner explain planner/data/sample-roster.xlsx CB000123 \\
          --scenario scenarios/plan-2023-2025.toml --plan plan.xlsx
    """
    from planner.analysis.reasons import explain_official
    from planner.analysis.replan import plan_from_nominations
    from planner.io.decisions import read_plan

    _run().quiet = True
    _, _, population = _load(roster, scenario_path)
    if official_id not in population.starts_of:
        raise _Bilingual(
            f"{official_id} không có trong danh sách cán bộ",
            f"{official_id} is not on the roster",
            ctx=click.get_current_context(),
            param_hint="OFFICIAL_ID",
        )
    result = plan_from_nominations(population, read_plan(plan_path))
    for line in explain_official(population, result, official_id, lang=lang):
        click.echo(line)


@main.command(short_help="Ghi mẫu danh sách trống / empty roster template")
@click.argument("out", type=click.Path(dir_okay=False))
def template(out: str) -> None:
    """Ghi mẫu danh sách cán bộ trống, có ghi chú và danh sách chọn.

    Write an empty roster template with notes and dropdowns.

    \b
    Example:
      planner template mau-danh-sach.xlsx
    """
    from planner.io.export import write_template

    with _outputs({"OUT": out}, [], workbooks=("OUT",)) as files:
        files.write(out, write_template)
        _commit(files)
    click.echo(f"Đã ghi / written: {out}")


@main.command("sample-roster", short_help="Tạo danh sách mẫu / synthetic sample roster")
@click.argument("out", type=click.Path(dir_okay=False))
@click.option(
    "--size",
    default=3000,
    show_default=True,
    type=_Number(int, low=1000, high=200_000),
    help="Số cán bộ (1.000 đến 200.000) / number of officials (1,000 to 200,000).",
)
@click.option("--seed", default=0, show_default=True, help="Hạt giống ngẫu nhiên / random seed.")
@click.option(
    "--structure",
    type=click.Choice(["2023", "2025"]),
    default="2025",
    show_default=True,
    help="2023: tỉnh, huyện, xã; 2025: hai cấp, không có huyện / 2023: province, district, commune; 2025: no district.",
)
@click.option(
    "--year",
    "reference_year",
    default=2026,
    show_default=True,
    type=_Number(int, low=1980, high=2090),
    help="Năm của danh sách / year the roster describes.",
)
def sample_roster(
    out: str, size: int, seed: int, structure: Literal["2023", "2025"], reference_year: int
) -> None:
    """Tạo danh sách cán bộ giả lập của một tỉnh (cùng hạt giống, cùng kết quả).

    Generate a realistic synthetic province roster (deterministic by seed).

    \b
    Example:
      planner sample-roster --size 25000 --seed 7 tinh-25000.xlsx
    """
    from planner.io.export import write_roster
    from planner.sample import generate_roster

    with _outputs({"OUT": out}, [], workbooks=("OUT",)) as files:
        roster = generate_roster(size, seed=seed, structure=structure, reference_year=reference_year)
        files.write(out, lambda path: write_roster(roster, path))
        _commit(files)
    click.echo(
        f"Đã ghi / written: {out} ({len(roster.officials):,} officials, {len(roster.history):,} history rows)"
    )


@main.command(short_help="Ghi kết quả học vào lịch sử / record completed training")
@click.argument("roster", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--plan",
    "plan_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False),
    help="Kế hoạch đã duyệt (tệp của `planner plan` hoặc CSV) / the approved plan: a workbook written by "
    "`planner plan` or its nominations CSV.",
)
@click.option(
    "--attended",
    required=True,
    type=click.Path(exists=True, dir_okay=False),
    help="Kết quả học (xlsx, csv): Mã CB, Chương trình, Năm, Kết quả (Hoàn thành / Bỏ học) / results.",
)
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False),
    help="Danh sách cán bộ mới (.xlsx) / new roster workbook (.xlsx).",
)
@click.option(
    "--scenario",
    "scenario_path",
    type=click.Path(exists=True, dir_okay=False),
    help="Kịch bản có mã chương trình riêng / scenario whose own program codes the roster and results may use.",
)
@click.option(
    "--verbose",
    is_flag=True,
    help="Liệt kê từng lượt cử chưa ghi / list each nomination not recorded (dropped or without a result).",
)
@_lang_option
def record(
    roster: str,
    plan_path: str,
    attended: str,
    out: str,
    scenario_path: str | None,
    verbose: bool,
    lang: str,
) -> None:
    """Ghi các lượt cử đã hoàn thành của kế hoạch đã duyệt vào lịch sử đào tạo.

    Add the completed nominations of an approved plan to the roster's training history.

    In theo chương trình và năm: được cử, hoàn thành, bỏ học, chưa có kết quả (năm chưa có kết quả
    nào là chưa diễn ra); --verbose liệt kê từng người chưa ghi. / Prints per program and start year:
    approved, completed, dropped, without a result (a year with no result at all is still to come);
    --verbose lists each one not recorded.

    \b
    Example:
      planner record danh-sach-2026.xlsx --plan ke-hoach-2026.xlsx \\
          --attended ket-qua-2026.xlsx --out danh-sach-2027.xlsx
    """
    from models import STANDARD_PROGRAMS
    from planner.io.decisions import read_attendance, read_plan, record_history
    from planner.io.export import write_roster
    from planner.io.scenario import load_scenario

    _run().quiet = True
    inputs = [roster, plan_path, attended, *filter(None, [scenario_path])]
    with _outputs({"--out": out}, inputs, workbooks=("--out",)) as files:
        approved = read_plan(plan_path)
        programs = _known_programs(load_scenario(scenario_path)) if scenario_path else STANDARD_PROGRAMS
        known = sorted({*programs, *(n.program for n in approved)})
        roster_data = _read_roster(roster, known)
        results = read_attendance(attended, known_programs=known, official_ids=roster_data.by_id())
        updated, outcome = record_history(roster_data, approved, results, source=Path(attended).name)
        files.write(out, lambda path: write_roster(updated, path))
        _commit(files)
    click.echo(
        f"Đã ghi / written: {out} ({format_number(outcome.added, lang)} dòng lịch sử mới / history rows added)"
    )
    _print_record(outcome, lang, verbose)


def _print_record(outcome: Any, lang: str, verbose: bool) -> None:
    """record's summary: per program and start year, approved, completed, dropped, without a result
    (a program and year without any result is still to come); each one not recorded with --verbose."""
    en = lang == "en"
    heads = (
        ("program", "year", "approved", "completed", "dropped", "no result")
        if en
        else ("chương trình", "năm", "được cử", "hoàn thành", "bỏ học", "chưa có kết quả")
    )
    rows = outcome.by_program_year
    width = max([len(heads[0]), *(len(row.program) for row in rows)])
    widths = [max(10, len(head)) for head in heads[2:]]
    click.echo(
        f"{heads[0]:<{width}} {heads[1]:>4} "
        + " ".join(f"{h:>{w}}" for h, w in zip(heads[2:], widths, strict=True))
    )
    to_come = "still to come" if en else "chưa diễn ra"
    for row in rows:
        counts = (row.approved, row.completed, row.dropped, row.no_result)
        note = f"  {to_come}" if row.still_to_come else ""
        numbers = " ".join(format_number(n, lang).rjust(w) for n, w in zip(counts, widths, strict=True))
        click.echo(f"{row.program:<{width}} {row.year:>4} {numbers}{note}")
    if not outcome.not_recorded:
        return
    dropped, missing = outcome.count("dropped"), outcome.count("no_result", still_to_come=False)
    later = outcome.count("no_result", still_to_come=True)
    total, dropped, missing, later = (
        format_number(n, lang) for n in (len(outcome.not_recorded), dropped, missing, later)
    )
    click.echo(
        f"Not recorded: {total} ({dropped} dropped, {missing} without a result, {later} still to come)"
        if en
        else f"Chưa ghi vào lịch sử: {total} ({dropped} bỏ học, {missing} chưa có kết quả, {later} chưa diễn ra)"
    )
    if not verbose:
        click.echo("--verbose: list each one" if en else "--verbose: liệt kê từng người")
        return
    for message in outcome.not_recorded:
        click.echo(f"  - {message}")


# --- budget scenarios side by side: compare, sweep -------------------------------------------------------


class _FactorRange(click.ParamType):
    """Budget factors: start:stop:step (stop included) or a comma list."""

    name = "FACTORS"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> list[float]:
        from planner.analysis.compare import parse_factor_range

        if isinstance(value, list):
            return value
        try:
            return parse_factor_range(str(value))
        except ValueError as error:
            raise _Bilingual(
                f"các hệ số ngân sách không hợp lệ ({error}): ghi bắt đầu:kết thúc:bước, ví dụ 0.5:1.5:0.1, "
                "hoặc một danh sách, ví dụ 0.8,1,1.2 (mỗi hệ số từ 0 trở lên)",
                str(error),
                ctx,
                param,
            ) from None


class _ExecutorType(click.ParamType):
    """`local`, `dask` or a Dask scheduler's tcp://HOST:PORT."""

    name = "EXECUTOR"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from planner.analysis.executor import ExecutorChoice, ExecutorError, parse_executor

        if isinstance(value, ExecutorChoice):
            return value
        try:
            return parse_executor(str(value))
        except ExecutorError as error:
            raise _Bilingual(error.vi, error.en, ctx, param) from None


def _executor_options(f: Any) -> Any:
    f = click.option(
        "--executor",
        default="local",
        show_default=True,
        type=_ExecutorType(),
        help="Nơi giải: local (các tiến trình trên máy này), dask (cụm Dask tạo cho lần chạy), tcp://MÁY:8786 "
        "(bộ lập lịch Dask có sẵn) / where the solves run: local (processes on this machine), dask (a Dask "
        "cluster started for the run), tcp://HOST:8786 (an existing Dask scheduler; pip install '.[dask]').",
    )(f)
    return click.option(
        "--jobs",
        type=_Number(int, low=1, high=64),
        help="Số phương án giải cùng lúc / plans solved at once, each in its own process (default: 1 with "
        "local, the CPU cores / --workers with dask; an existing scheduler's workers decide); keep jobs x "
        "workers within the CPU cores.",
    )(f)


def _side_by_side_options(f: Any) -> Any:
    f = click.option("--quiet", is_flag=True, help="Không in dòng tiến độ / no progress lines.")(f)
    f = _lang_option(f)
    f = _executor_options(f)
    f = click.option(
        "--json",
        "json_path",
        type=click.Path(dir_okay=False),
        help="Các số liệu ra JSON / the same figures as JSON.",
    )(f)
    f = click.option(
        "--out",
        type=click.Path(dir_okay=False),
        help="Tệp Excel (.xlsx) cần ghi / workbook (.xlsx) to write.",
    )(f)
    return _solver_options(f)


def _load_scenarios(paths: list[str]) -> list[Scenario]:
    """Every scenario file, with the problems of all of them reported before exit 2."""
    from planner.io.scenario import load_scenario

    _run().enter("đọc kịch bản", "reading the scenarios", f": {', '.join(paths)}")
    scenarios, errors = [], []
    for path in paths:
        try:
            scenarios.append(load_scenario(path))
        except InputError as error:
            errors.append(error)
    for earlier in errors[:-1]:
        click.echo(earlier.report(), err=True)
    if errors:
        raise errors[-1]
    return scenarios


def _read_roster_for(path: str, scenarios: list[Scenario]) -> Any:
    known = sorted({code for scenario in scenarios for code in _known_programs(scenario)})
    return _read_roster(path, known)


def _finished_printer(quiet: bool, lang: str, total: int | None = None) -> Any:
    """One stderr line per finished plan: `[2/3] tight: FEASIBLE, 12 chưa đạt / shortfall(s),
    41.200.000.000 VND, 9,8 s` (numbers in the chosen language's way).

    A Ctrl-C that the solver turned into its best plan so far stops the whole comparison: its
    figures would set a cut-short plan beside complete ones.
    """
    count = 0

    def report(name: str, solved: Any) -> None:
        nonlocal count
        count += 1
        result = solved.result
        _run().arm()
        if not quiet:
            done = f"{count}/{total}" if total else str(count)
            cost = sum(result.cost_by_year.values())
            click.echo(
                f"[{done}] {name}: {result.status}, {len(result.shortfalls)} chưa đạt / shortfall(s), "
                f"{format_number(cost, lang)} VND, {format_number(result.wall_time, lang, 1)} s",
                err=True,
            )
        if _run().interrupts or any(level.stopped_by_user for level in result.levels):
            raise KeyboardInterrupt

    return report


def _jobs_for(executor: Any, jobs: int | None, workers: int) -> int:
    """Solves at once: --jobs, else 1 locally and the CPU cores / --workers on the run's Dask cluster."""
    if jobs is not None:
        return jobs
    return max(1, (os.cpu_count() or 1) // workers) if executor.kind == "dask" else 1


def _open_executor(executor: Any, jobs: int, workers: int) -> Any:
    """The executor, started (or reached) before any input is read; exit 2 when it cannot be."""
    from planner.analysis.compare import warn_oversubscribed
    from planner.analysis.executor import ExecutorError, open_backend

    if executor.kind != "scheduler":
        warn_oversubscribed(jobs, workers)
    if executor.kind != "local":
        _run().enter("khởi động bộ giải phân tán", "starting the executor", f": --executor {executor}")
    try:
        return open_backend(executor, jobs)
    except ExecutorError as error:
        raise _Bilingual(
            error.vi, error.en, ctx=click.get_current_context(), param_hint="--executor"
        ) from None


def _state_printer(quiet: bool) -> Any:
    """One stderr line when a solve starts, starts again (its worker died) or fails."""
    if quiet:
        return None

    def report(name: str, event: Any) -> None:
        where = f" ({event.where})" if event.where else ""
        if event.state == "running" and event.attempt == 1:
            click.echo(f"[·] {name}: đang giải / solving{where}", err=True)
        elif event.state == "running":
            click.echo(
                f"[·] {name}: giải lại, lần {event.attempt} (máy giải trước đã dừng) / solving again, "
                f"attempt {event.attempt} (its worker died){where}",
                err=True,
            )
        elif event.state == "failed":
            error = event.outcome.error
            click.echo(f"[!] {name}: lỗi / failed: {type(error).__name__}: {error}", err=True)

    return report


def _leave_stopped(data: dict[str, Any], files: Any) -> None:
    """After Ctrl-C stopped some solves: what finished, what is written, exit 130."""
    names = ", ".join(str(path) for path in files.written) or "-"
    missing = ", ".join(data["not_solved"]) or "-"
    click.echo(
        f"Đã dừng (Ctrl-C): các phương án đã xong được giữ và ghi vào: {names}; chưa giải: {missing}. / "
        f"Stopped by Ctrl-C: the plans that finished are kept and written to: {names}; not solved: {missing}.",
        err=True,
    )
    _leave(click.get_current_context(), EXIT_INTERRUPTED)


def _write_side_by_side(
    write: Any,
    data: dict[str, Any],
    files: Any,
    inputs: dict[str, str],
    options: dict[str, Any],
    lang: str,
) -> None:
    """The comparison workbook and JSON, written together."""
    from planner.io.export import write_json

    outputs = files.outputs
    if outputs:
        _run().enter("ghi kết quả", "writing the results", f": {', '.join(map(str, outputs.values()))}")
    if "--out" in outputs:
        options = {**options, "run_at": time.strftime("%Y-%m-%d %H:%M:%S")}
        files.write(
            outputs["--out"], lambda path: write(path, data, inputs=inputs, options=options, lang=lang)
        )
    if "--json" in outputs:
        files.write(outputs["--json"], lambda path: write_json(data, path))
    _commit(files)


def _print_scenarios(comparison: dict[str, Any], lang: str) -> None:
    """One line per scenario, its label whole (the column as wide as the longest) and its status in words."""
    from planner.report.status import status_words

    en = lang == "en"
    heads = (
        ("scenario", "attainment", "targets met", "shortfalls", "cost (VND)", "status")
        if en
        else ("kịch bản", "đạt TB", "chỉ tiêu đạt", "chưa đạt", "kinh phí (đồng)", "trạng thái")
    )
    width = max([len(heads[0]), *(len(s["label"]) for s in comparison["scenarios"])])
    click.echo(f"{heads[0]:<{width}} {heads[1]:>10} {heads[2]:>12} {heads[3]:>10} {heads[4]:>18}  {heads[5]}")
    for s in comparison["scenarios"]:
        share = s["average_attainment"]
        attained = format_percent(share, lang) if share is not None else "-"
        met = f"{s['targets_met']}/{len(s['targets'])}"
        status = status_words(s["status"], s["method"], s["gap"], lang)
        click.echo(
            f"{s['label']:<{width}} {attained:>10} {met:>12} {len(s['shortfalls']):>10} "
            f"{format_number(s['total_cost'], lang):>18}  {status}"
        )


def _print_what_closes(result: dict[str, Any], lang: str) -> None:
    """The sweep's thresholds and what would close each shortfall, in the chosen language."""
    from planner.analysis.compare import factor_label

    en = lang == "en"
    for item in result["thresholds"]:
        never = "not met within the range" if en else "không đạt trong khoảng đã quét"
        met = factor_label(item["met_from"]) if item["met_from"] is not None else never
        click.echo(f"{item['code']}: {met}")
    click.echo(
        f"What would close the shortfalls at ×1 ({result['resolves']} re-solves):"
        if en
        else f"Điều gì bù được phần chưa đạt ở ×1 ({result['resolves']} lần giải lại):"
    )
    key = "description_en" if en else "description"
    for item in result["what_closes"]:
        tried = [r for r in item["relaxations"] if r["outcome"] != "not_tried"]
        closing = [r[key] for r in tried if r["outcome"] == "closed"]
        best = min(tried, key=lambda r: r["missing"], default=None)
        if closing:
            found = ("closed by " if en else "bù được bằng ") + ("; or " if en else "; hoặc ").join(closing)
        elif best is not None and best["outcome"] == "reduced":
            found = (
                f"not closed; {best['missing']} still missing with {best[key]}"
                if en
                else f"chưa bù được; vẫn thiếu {best['missing']} khi {best[key]}"
            )
        else:
            found = "nothing tried reduces it" if en else "không cách đã thử nào giảm được"
        missing = "missing" if en else "thiếu"
        click.echo(f"  - {item['code']} {item['year']} ({missing} {item['missing']}): {found}")
        reason = in_lang(item["reason"], "en" if en else "vi") if item.get("reason") else ""
        if reason:
            click.echo(f"      {'why' if en else 'vì'}: {reason}")


@main.command(short_help="So sánh nhiều kịch bản / compare scenarios")
@click.argument("roster", type=click.Path(exists=True, dir_okay=False))
@click.argument("scenarios", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@_side_by_side_options
def compare(
    roster: str,
    scenarios: tuple[str, ...],
    out: str | None,
    json_path: str | None,
    executor: Any,
    jobs: int | None,
    lang: str,
    quiet: bool,
    time_limit: float | None,
    workers: int,
    gap: float,
    seed: int,
) -> None:
    """Giải nhiều kịch bản trên cùng danh sách và đặt cạnh nhau.

    Solve several scenarios on one roster and put them side by side.

    Per scenario: coverage of every target per year and at the deadline, shortfalls with their
    reasons, classes and people per program and year, cost against budget, who enters or
    leaves the lists compared with the first scenario, and a chart of average target
    attainment against total cost. Scenarios with different periods are aligned by year.
    --time-limit applies to each scenario; --jobs N solves N at a time, each scenario on its
    own (so N does not change the plans, as long as each solve is reproducible); --executor
    dask or tcp://HOST:8786 runs them on Dask. Ctrl-C stops the solves and writes those that
    finished, marked as interrupted.

    \b
    Example (a province with the two levels of the 2026-2030 scenarios; the bundled sample has the
    2023 levels, district included):
      planner sample-roster --structure 2025 --year 2026 tinh-2026.xlsx
      planner compare tinh-2026.xlsx scenarios/orientation-2026-2030.toml \\
          scenarios/orientation-2026-2030-tight.toml scenarios/orientation-2026-2030-expanded.toml \\
          --out so-sanh.xlsx --json so-sanh.json --jobs 2 --time-limit 10
    """
    from planner.analysis.compare import ScenarioPool
    from planner.analysis.compare import compare as compare_scenarios
    from planner.io.text import numbered
    from planner.report.workbook import write_comparison

    run = _run()
    run.quiet = quiet
    outputs = {"--out": out, "--json": json_path}
    jobs = _jobs_for(executor, jobs, workers)
    with _outputs(outputs, [roster, *scenarios], workbooks=("--out",)) as files:
        loaded = _load_scenarios(list(scenarios))
        with _open_executor(executor, jobs, workers) as backend:
            roster_data = _read_roster_for(roster, loaded)
            labels = numbered([Path(path).stem for path in scenarios])
            _warn_levels(roster_data, list(zip(labels, loaded, strict=True)))
            settings = _settings(roster_data, time_limit, workers, seed, gap)
            run.enter(
                "giải", "solving", f" ({len(loaded)} x --time-limit {settings.seconds:g} s, {executor})"
            )
            with ScenarioPool(roster_data, settings, jobs, executor, _state_printer(quiet), backend) as pool:
                comparison = compare_scenarios(
                    pool, list(zip(labels, loaded, strict=True)), _finished_printer(quiet, lang, len(loaded))
                )
        inputs = {"roster": roster} | {
            f"scenario {label}": path for label, path in zip(labels, scenarios, strict=True)
        }
        options = {**settings.model_dump(), "jobs": jobs, "executor": str(executor)}
        _write_side_by_side(write_comparison, comparison, files, inputs, options, lang)
    _print_scenarios(comparison, lang)
    if comparison["interrupted"]:
        _leave_stopped(comparison, files)


@main.command(short_help="Quét hệ số dự toán / budget sweep")
@click.argument("roster", type=click.Path(exists=True, dir_okay=False))
@_scenario_option
@click.option(
    "--budget",
    "factors",
    required=True,
    type=_FactorRange(),
    help="Hệ số dự toán: đầu:cuối:bước (0.5:1.5:0.1) hoặc danh sách (0.8,1,1.2) / budget factors: "
    "start:stop:step, stop included, or a list.",
)
@click.option(
    "--max-resolves",
    default=40,
    show_default=True,
    type=_Number(int, low=0, high=1000),
    help="Số lần giải lại tối đa để tìm cách bù phần chưa đạt / re-solves in all for finding what closes the "
    "shortfalls (0: none).",
)
@_side_by_side_options
def sweep(
    roster: str,
    scenario_path: str,
    factors: list[float],
    max_resolves: int,
    out: str | None,
    json_path: str | None,
    executor: Any,
    jobs: int | None,
    lang: str,
    quiet: bool,
    time_limit: float | None,
    workers: int,
    gap: float,
    seed: int,
) -> None:
    """Giải một kịch bản với nhiều hệ số dự toán, và tìm cách bù từng phần chưa đạt.

    Solve one scenario at a range of budget factors, and find what would close each shortfall.

    Each factor replaces the scenario's budget.factor (as plan --budget-factor does). Shows the
    attainment of every target at each factor and the smallest factor from which each target
    is met. Then, for each shortfall of the plan at factor 1 (solved once), what would close
    it, found by re-solving copies of the scenario loosened one way at a time: +1 to +8
    classes a year of a class program of the shortfall, +1 to +20 places a year of a slot
    program or shared quota, or more budget (the range's factors above 1, else x1.1 to x2).
    Each relaxation is solved at its largest step, then bisected down to the smallest step
    that still closes the shortfall: at most 12 plans per shortfall and --max-resolves new
    solves in all, each with --time-limit (keep it short). --executor dask or tcp://HOST:8786
    runs the solves on Dask; Ctrl-C stops them and writes what finished, marked as interrupted.

    \b
    Example (the bundled sample, with the plan whose levels it has):
      planner sweep planner/data/sample-roster.xlsx --scenario scenarios/plan-2023-2025.toml \\
          --budget 0.5:1.5:0.25 --out quet-ngan-sach.xlsx --json quet-ngan-sach.json \\
          --jobs 2 --time-limit 5 --max-resolves 20
    """
    from planner.analysis.compare import ScenarioPool, factor_label, has_budget
    from planner.analysis.compare import sweep as sweep_budget
    from planner.report.workbook import write_sweep

    run = _run()
    run.quiet = quiet
    outputs = {"--out": out, "--json": json_path}
    jobs = _jobs_for(executor, jobs, workers)
    with _outputs(outputs, [roster, scenario_path], workbooks=("--out",)) as files:
        (scenario,) = _load_scenarios([scenario_path])
        if not has_budget(scenario):
            raise _Bilingual(
                f"{scenario_path}: kịch bản không có dự toán để nhân hệ số",
                f"{scenario_path}: the scenario sets no budget to scale",
                ctx=click.get_current_context(),
                param_hint="--scenario",
            )
        with _open_executor(executor, jobs, workers) as backend:
            roster_data = _read_roster_for(roster, [scenario])
            _warn_levels(roster_data, [("", scenario)])
            settings = _settings(roster_data, time_limit, workers, seed, gap)
            run.enter(
                "giải",
                "solving",
                f" ({len(factors)} x --time-limit {settings.seconds:g} s, then re-solves, {executor})",
            )
            with ScenarioPool(roster_data, settings, jobs, executor, _state_printer(quiet), backend) as pool:
                result = sweep_budget(pool, scenario, factors, max_resolves, _finished_printer(quiet, lang))
        options = {
            **settings.model_dump(),
            "jobs": jobs,
            "executor": str(executor),
            "budget": [factor_label(f) for f in factors],
            "max_resolves": max_resolves,
        }
        inputs = {"roster": roster, "scenario": scenario_path}
        _write_side_by_side(write_sweep, result, files, inputs, options, lang)
    _print_scenarios(result["comparison"], lang)
    _print_what_closes(result, lang)
    if result["interrupted"]:
        _leave_stopped(result, files)


# --- many provinces: batch ----------------------------------------------------------------------------


class _BatchPlanWriter:
    """Writes each plan of a batch as `plan` does (workbook, CSV, JSON in its own folder) as it comes."""

    def __init__(
        self, out_dir: Path, provinces: Any, rosters: dict[str, Any], options: dict[str, Any], lang: str
    ):
        self.out_dir, self.rosters, self.options, self.lang = out_dir, rosters, options, lang
        self.provinces = {province.name: province for province in provinces}
        self.quiet = _run().quiet
        self.count = 0

    def __call__(self, plan_run: Any) -> None:
        from planner.io import export
        from planner.report.workbook import write_workbook
        from planner.solver.cohorts import build_population

        _run().arm()
        self.count += 1
        name = f"{plan_run.province} / {plan_run.label}"
        if plan_run.solved is None:
            return
        province = self.provinces[plan_run.province]
        folder = self.out_dir / province.folder / plan_run.label
        paths = {"plan.xlsx": folder / "plan.xlsx", "nominations.csv": folder / "nominations.csv"}
        paths["summary.json"] = folder / "summary.json"
        roster, solved = self.rosters[plan_run.province], plan_run.solved
        scenario_path = plan_run.path
        with _outputs(paths, [str(province.roster), str(scenario_path)], workbooks=("plan.xlsx",)) as files:
            population = build_population(roster, solved.scenario)
            inputs = {"roster": str(province.roster), "scenario": str(scenario_path)}
            limit = self.options["time_limit"] or default_time_limit(len(roster.officials))  # as solved
            options = {**self.options, "time_limit": limit, "lang": self.lang}
            options["run_at"] = time.strftime("%Y-%m-%d %H:%M:%S")
            files.write(
                paths["plan.xlsx"],
                lambda path: write_workbook(
                    path, roster, solved.scenario, solved.result, population, inputs, options, self.lang
                ),
            )
            files.write(
                paths["nominations.csv"],
                lambda path: export.write_nominations_csv(solved.result.nominations, path),
            )
            files.write(
                paths["summary.json"],
                lambda path: export.write_json({**solved.summary, "interrupted": False}, path),
            )
            _commit(files)
        plan_run.files = {kind: str(path) for kind, path in paths.items()}
        if not self.quiet:
            result = solved.result
            click.echo(
                f"[{self.count}] {name}: {result.status}, {len(result.shortfalls)} chưa đạt / shortfall(s), "
                f"{format_number(sum(result.cost_by_year.values()), self.lang)} VND, "
                f"{format_number(result.wall_time, self.lang, 1)} s -> {folder}",
                err=True,
            )


@main.command(short_help="Nhiều tỉnh x nhiều kịch bản / many rosters x scenarios")
@click.argument("manifest", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--out-dir",
    required=True,
    type=click.Path(file_okay=False),
    help="Thư mục ghi kết quả / folder for the results: TỈNH/KỊCH-BẢN/plan.xlsx, nominations.csv, summary.json "
    "per plan, and batch.xlsx, batch.json side by side.",
)
@_lang_option
@click.option("--quiet", is_flag=True, help="Không in dòng tiến độ / no progress lines.")
@_executor_options
@_solver_options
def batch(
    manifest: str,
    out_dir: str,
    lang: str,
    quiet: bool,
    executor: Any,
    jobs: int | None,
    time_limit: float | None,
    workers: int,
    gap: float,
    seed: int,
) -> None:
    """Lập kế hoạch cho nhiều danh sách (mỗi tỉnh, đơn vị một tệp) theo nhiều kịch bản trong một lần chạy.

    Plan many rosters (one per province or unit) under several scenarios in one run.

    MANIFEST (TOML) lists the rosters and their scenarios, paths relative to it:

    \b
      scenarios = ["scenarios/orientation-2026-2030.toml"]
      [[rosters]]
      name = "Tỉnh A"
      path = "tinh-a.xlsx"

    Every plan is written as `plan` writes it, in --out-dir/NAME/SCENARIO/; batch.xlsx and
    batch.json put each province's coverage, cost and shortfalls side by side. A roster that is
    refused or a solve that fails is reported and the others go on (exit 2 at the end when any
    failed); --executor dask or tcp://HOST:8786 runs the solves on Dask, each roster sent to the
    workers once. Ctrl-C stops the solves and writes what finished (exit 130).

    \b
    Example:
      planner batch tinh.toml --out-dir ket-qua --executor dask --time-limit 60
    """
    from planner.analysis.batch import consolidate, load_manifest, plan_runs, refusal, run_batch
    from planner.io.export import write_json
    from planner.report.batch_workbook import write_batch_workbook

    run = _run()
    run.quiet = quiet
    jobs = _jobs_for(executor, jobs, workers)
    run.enter("đọc tệp danh mục", "reading the manifest", f": {manifest}")
    provinces = load_manifest(manifest)
    paths = list(dict.fromkeys(path for province in provinces for path in province.scenarios))
    scenarios = dict(zip(paths, _load_scenarios([str(path) for path in paths]), strict=True))
    out = Path(out_dir)
    inputs = [manifest, *(str(p.roster) for p in provinces), *map(str, paths)]
    outputs = {"batch.xlsx": str(out / "batch.xlsx"), "batch.json": str(out / "batch.json")}
    settings = SolverSettings(time_limit=time_limit, workers=workers, seed=seed, gap=gap)
    options = {**settings.model_dump(), "jobs": jobs, "executor": str(executor), "manifest": manifest}
    # no --time-limit: each province's own default, by its size
    limit = DEFAULT_LIMIT_WORDS[1] if time_limit is None else f"{time_limit:g} s"
    with _outputs(outputs, inputs, workbooks=("batch.xlsx",)) as files:
        with _open_executor(executor, jobs, workers) as backend:
            rosters, refused = {}, {}
            for province in provinces:
                try:
                    rosters[province.name] = _read_roster_for(
                        str(province.roster), [scenarios[path] for path in province.scenarios]
                    )
                except InputError as error:
                    click.echo(error.report(), err=True)
                    refused[province.name] = refusal(error)
            runs = plan_runs(provinces, scenarios)
            for plan_run in runs:
                plan_run.error = refused.get(plan_run.province)
            todo = sum(plan_run.error is None for plan_run in runs)
            run.enter("giải", "solving", f" ({todo} x --time-limit {limit}, {executor})")
            writer = _BatchPlanWriter(out, provinces, rosters, options, lang)
            interrupted = run_batch(backend, rosters, runs, settings, _state_printer(quiet), writer)
        data = consolidate(provinces, runs, refused, interrupted)
        run.enter("ghi kết quả", "writing the results", f": {', '.join(outputs.values())}")
        shown = options | {"time_limit": time_limit or DEFAULT_LIMIT_WORDS[lang == "en"]}
        files.write(outputs["batch.xlsx"], lambda path: write_batch_workbook(path, data, shown, lang))
        files.write(outputs["batch.json"], lambda path: write_json(data, path))
        _commit(files)
    _print_batch(data, lang)
    if interrupted:
        data["not_solved"] = [
            f"{r.province} / {r.label}" for r in runs if r.solved is None and r.province not in refused
        ]
        _leave_stopped(data, files)
    if data["failed"]:
        names = ", ".join(data["failed"])
        click.echo(
            f"Có lỗi ở / failed: {names}: các tỉnh khác đã lập xong và được ghi / the others are planned and written.",
            err=True,
        )
        click.get_current_context().exit(EXIT_INPUT)


def _print_batch(data: dict[str, Any], lang: str) -> None:
    """One line per plan: coverage, shortfalls and cost, or why it failed."""
    en = lang == "en"
    for province in data["provinces"]:
        if "error" in province:
            click.echo(
                f"{province['name']}: {'FAILED' if en else 'LỖI'}: {province['error_en' if en else 'error']}"
            )
            continue
        for plan in province["plans"]:
            name = f"{province['name']} / {plan['scenario']}"
            if plan["state"] != "solved":
                click.echo(f"{name}: {'FAILED' if en else 'LỖI'}: {plan['error_en' if en else 'error']}")
                continue
            share = plan["average_attainment"]
            attained = format_percent(share, lang) if share is not None else "-"
            click.echo(
                f"{name}: {attained}, {plan['targets_met']}/{len(plan['targets'])} "
                f"{'targets met' if en else 'chỉ tiêu đạt'}, {len(plan['shortfalls'])} "
                f"{'shortfall(s)' if en else 'chưa đạt'}, {format_number(plan['total_cost'], lang)} "
                f"{'VND' if en else 'đồng'}"
            )


def _db_option(f: Any) -> Any:
    """The web application's database: --db URL, else planner.db in the current folder."""
    return click.option(
        "--db",
        "db_url",
        help="Cơ sở dữ liệu (mặc định: tệp planner.db ở thư mục hiện tại) / database URL (default: the SQLite "
        "file planner.db in the current folder), e.g. sqlite:///D:/ke-hoach/planner.db.",
    )(f)


def _database(db_url: str | None) -> str:
    from planner.web.db import default_url

    return db_url or default_url()


@main.command(short_help="Mở ứng dụng web / start the web application")
@_db_option
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Địa chỉ lắng nghe; địa chỉ khác máy này (0.0.0.0) cần tài khoản quản trị / address to listen "
    "on; any but this machine's (0.0.0.0) needs an admin account (planner users add).",
)
@click.option(
    "--port", default=8000, show_default=True, type=_Number(int, low=1, high=65535), help="Cổng / port."
)
@click.option("--no-browser", is_flag=True, help="Không mở trình duyệt / do not open the browser.")
def serve(db_url: str | None, host: str, port: int, no_browser: bool) -> None:
    """Mở ứng dụng web: danh sách cán bộ, kịch bản, kế hoạch.

    Start the web application: rosters, scenarios, plans.

    \b
    Example:
      planner serve --db sqlite:///planner.db --port 8000
      planner users add quantri --role admin && planner serve --host 0.0.0.0
    """
    import webbrowser

    import uvicorn

    from planner.web.accounts import host_refusal
    from planner.web.app import create_app

    url = _database(db_url)
    refusal = host_refusal(url, host)
    if refusal is not None:
        raise _Bilingual(*refusal, ctx=click.get_current_context(), param_hint="--host")
    app = create_app(url)
    address = f"http://{'[::1]' if host == '::1' else host}:{port}/"
    click.echo(f"Đang chạy tại / running at {address} (Ctrl-C: dừng / stop); {url}", err=True)
    if not no_browser:
        threading.Timer(1.0, webbrowser.open, args=(address,)).start()
    uvicorn.run(app, host=host, port=port, log_level="warning")


class _Group(click.Group):
    """A group of commands under `planner` whose --help lines are in both languages."""

    command_class = _Command

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        return _bilingual_help(super().get_help_option(ctx))


@main.group(cls=_Group, short_help="Tài khoản của ứng dụng web / web application accounts")
def users() -> None:
    """Tài khoản đăng nhập ứng dụng web: vai trò clerk (chuyên viên), approver (người phê duyệt),
    admin (quản trị). Khi đã có tài khoản, mọi trang cần đăng nhập.

    Web application accounts, with the roles clerk, approver and admin. Once one exists, every
    page needs a sign-in.

    \b
    Example:
      planner users add quantri --role admin --name "Nguyễn Văn An"
      planner users list
    """


@contextmanager
def _accounts_store(db_url: str | None) -> Iterator[Any]:
    """A session on the web application's database (migrated first); the audit log names the CLI."""
    from planner.web.db import CURRENT_ACTOR, make_engine, migrate, sessions

    url = _database(db_url)
    migrate(url)
    engine = make_engine(url)
    who = CURRENT_ACTOR.set("planner users")
    try:
        with sessions(engine)() as session:
            yield session
    finally:
        CURRENT_ACTOR.reset(who)
        engine.dispose()


def _new_password() -> str:
    return str(
        click.prompt(
            "Mật khẩu / password", hide_input=True, confirmation_prompt="Nhập lại / repeat the password"
        )
    )


@users.command("add", short_help="Thêm tài khoản / add an account")
@click.argument("login")
@click.option(
    "--role",
    type=click.Choice(["clerk", "approver", "admin"]),
    default="clerk",
    show_default=True,
    help="Vai trò / role.",
)
@click.option(
    "--name", default="", help="Họ tên (mặc định: tên đăng nhập) / display name (default: the login)."
)
@_db_option
def users_add(login: str, role: str, name: str, db_url: str | None) -> None:
    """Thêm một tài khoản; hỏi mật khẩu (từ 8 ký tự). / Add an account; asks for its password.

    \b
    Example:
      planner users add quantri --role admin --name "Nguyễn Văn An"
    """
    from planner.web import accounts

    with _accounts_store(db_url) as session:
        accounts.login_name(login)  # a bad login is refused before the password is asked
        added = accounts.add_account(session, login, name, role, _new_password())
        click.echo(f"Đã thêm / added {added.login} ({added.role})")


@users.command("list", short_help="Liệt kê tài khoản / list the accounts")
@_db_option
def users_list(db_url: str | None) -> None:
    """Liệt kê các tài khoản. / List the accounts.

    \b
    Example:
      planner users list --db sqlite:///D:/ke-hoach/planner.db
    """
    from sqlalchemy import select

    from planner.web.db import Account

    with _accounts_store(db_url) as session:
        found = session.scalars(select(Account).order_by(Account.login)).all()
        if not found:
            click.echo("Chưa có tài khoản nào. / No accounts yet.")
        for account in found:
            state = "khóa / disabled" if account.disabled else "hoạt động / active"
            click.echo(f"{account.login}\t{account.role}\t{state}\t{account.name}")


@users.command("disable", short_help="Khóa tài khoản / disable an account")
@click.argument("login")
@click.option("--enable", is_flag=True, help="Mở lại tài khoản đã khóa / enable a disabled account again.")
@_db_option
def users_disable(login: str, enable: bool, db_url: str | None) -> None:
    """Khóa một tài khoản; các phiên đăng nhập của nó kết thúc. / Disable an account; its sign-ins end.

    \b
    Example:
      planner users disable lan
      planner users disable lan --enable
    """
    from planner.web import accounts

    with _accounts_store(db_url) as session:
        accounts.set_disabled(session, accounts.account(session, login), not enable, keep_admin=False)
        click.echo(f"Đã mở lại / enabled {login}" if enable else f"Đã khóa / disabled {login}")


@users.command("password", short_help="Đặt mật khẩu mới / set a new password")
@click.argument("login")
@_db_option
def users_password(login: str, db_url: str | None) -> None:
    """Đặt mật khẩu mới; các phiên đăng nhập của tài khoản kết thúc. / Set a new password; the
    account's sign-ins end.

    \b
    Example:
      planner users password lan
    """
    from planner.web import accounts

    with _accounts_store(db_url) as session:
        changed = accounts.account(session, login)
        accounts.set_password(session, changed, _new_password())
        click.echo(f"Đã đặt mật khẩu mới cho / new password set for {changed.login}")


if __name__ == "__main__":
    sys.exit(main())
