"""The `planner` command: parse, call, write, print. No logic a library test could not reach."""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path
from typing import Any

import click

from models import Scenario, SolverSettings
from planner import __version__
from planner.errors import InputError

EXIT_INPUT = 2
EXIT_INTERNAL = 1


class _Guarded(click.Group):
    """Turns user errors into one clear message and exit 2, anything else into exit 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except InputError as error:
            click.echo(error.report(), err=True)
            ctx.exit(EXIT_INPUT)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except BrokenPipeError:  # output piped into `head` and the like: stop quietly
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(0)
        except Exception as error:  # an internal error: one line, the traceback only with --debug
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(
                f"Lỗi nội bộ / internal error: {error!r} (chạy lại với --debug để xem chi tiết)", err=True
            )
            ctx.exit(EXIT_INTERNAL)


@click.group(cls=_Guarded)
@click.version_option(__version__, prog_name="planner")
@click.option("--debug", is_flag=True, help="Show tracebacks and debug logging.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Kế hoạch cử cán bộ đi đào tạo, bồi dưỡng / training nomination planner.

    \b
    Example:
      planner plan planner/data/sample-roster.xlsx --scenario scenarios/plan-2023-2025.toml --out plan.xlsx
    """
    ctx.obj = {"debug": debug}
    logging.basicConfig(
        level=logging.DEBUG if debug else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )


def _load(
    roster_path: str, scenario_path: str, budget_factor: float | None = None
) -> tuple[Any, Scenario, Any]:
    from planner.cohorts import build_population
    from planner.roster import read_roster
    from planner.scenario import load_scenario

    scenario = load_scenario(scenario_path, budget_factor=budget_factor)
    roster = read_roster(roster_path, known_programs=_known_programs(scenario))
    return roster, scenario, build_population(roster, scenario)


def _known_programs(scenario: Scenario) -> list[str]:
    from models import STANDARD_PROGRAMS

    return sorted(set(STANDARD_PROGRAMS) | {p.code for p in scenario.programs})


def _refuse_overwrite(outputs: list[str | None], inputs: list[str]) -> None:
    protected = {Path(p).resolve() for p in inputs}
    for out in outputs:
        if out and Path(out).resolve() in protected:
            raise click.UsageError(f"{out}: không ghi đè tệp đầu vào / refusing to write over an input file")


def _solver_options(f: Any) -> Any:
    f = click.option("--seed", default=0, show_default=True, help="Random seed of the solver.")(f)
    f = click.option(
        "--gap",
        default=0.0,
        show_default=True,
        type=click.FloatRange(0, 1, max_open=True),
        help="Stop each objective level once within this relative gap of its bound (0.005 = 0.5 %).",
    )(f)
    f = click.option(
        "--workers",
        default=1,
        show_default=True,
        help="Solver threads (1 = reproducible, byte-identical plans).",
    )(f)
    f = click.option(
        "--time-limit",
        default=60.0,
        show_default=True,
        help="Seconds of solving on an idle machine, all levels (1 worker: a work budget, same plan every run).",
    )(f)
    return f


def _progress_printer(quiet: bool) -> Any:
    if quiet:
        return None

    def report(level: str, elapsed: float, value: float, bound: float) -> None:
        gap = abs(value - bound) / max(abs(value), abs(bound), 1e-9) if value != bound else 0.0
        click.echo(
            f"\r[{level}] {elapsed:6.1f} s  value {value:,.0f}  bound {bound:,.0f}  gap {gap:.2%}   ",
            err=True,
            nl=False,
        )

    return report


@main.command()
@click.argument("roster", type=click.Path(exists=True, dir_okay=False))
@click.option("--scenario", "scenario_path", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--out", type=click.Path(dir_okay=False), help="Plan workbook (.xlsx) to write.")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False), help="nominations.csv to write.")
@click.option("--json", "json_path", type=click.Path(dir_okay=False), help="JSON summary to write.")
@click.option("--method", type=click.Choice(["cpsat", "greedy"]), default="cpsat", show_default=True)
@click.option("--budget-factor", type=float, help="Multiply every yearly budget by this factor.")
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True)
@click.option("--quiet", is_flag=True, help="No progress line.")
@click.option(
    "--approved",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False),
    help="Approved plan (workbook or nominations CSV): its nominations stay fixed, its years closed.",
)
@click.option(
    "--decisions",
    type=click.Path(exists=True, dir_okay=False),
    help="Manual pins and exclusions (xlsx or csv).",
)
@click.option(
    "--previous",
    type=click.Path(exists=True, dir_okay=False),
    help="Previous draft (workbook or CSV) to keep as far as possible; also the solver's hint.",
)
@click.option(
    "--max-changes", type=click.IntRange(min=0), help="At most this many names move against --previous."
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
    time_limit: float,
    workers: int,
    gap: float,
    seed: int,
) -> None:
    """Plan who goes to which program in which year, and write the lists.

    \b
    Example:
      planner plan planner/data/sample-roster.xlsx --scenario scenarios/plan-2023-2025.toml \\
          --out plan.xlsx --csv nominations.csv --json summary.json --time-limit 30
    """
    from planner import export
    from planner.check import assert_valid
    from planner.missing_data import missing_column_notes
    from planner.solve import solve
    from planner.summary import plan_summary

    inputs = [roster, scenario_path, *approved, *(p for p in (decisions, previous) if p)]
    _refuse_overwrite([out, csv_path, json_path], inputs)
    if max_changes is not None and not previous:
        raise click.UsageError("--max-changes cần --previous / --max-changes needs --previous")
    roster_data, scenario, population = _load(roster, scenario_path, budget_factor)
    replanning = _read_replanning(approved, decisions, previous, _known_programs(scenario))
    settings = SolverSettings(time_limit=time_limit, workers=workers, seed=seed, gap=gap)
    result = solve(
        roster_data,
        scenario,
        settings,
        method=method,
        progress=_progress_printer(quiet),
        max_changes=max_changes,
        population=population,
        **replanning,
    )
    if not quiet:
        click.echo("", err=True)
    assert_valid(roster_data, scenario, result.nominations, result.classes)
    result = result.model_copy(
        update={"notes": [*missing_column_notes(roster_data, scenario), *result.notes]}
    )
    summary = plan_summary(population, result)
    if out:
        from planner.workbook import write_workbook

        options = {
            **settings.model_dump(),
            "method": method,
            "budget_factor": budget_factor,
            "lang": lang,
            "run_at": time.strftime("%Y-%m-%d %H:%M:%S"),
        }
        write_workbook(
            out,
            roster_data,
            scenario,
            result,
            population,
            inputs={"roster": roster, "scenario": scenario_path},
            options=options,
            lang=lang,
        )
    if csv_path:
        export.write_nominations_csv(result.nominations, csv_path)
    if json_path:
        export.write_json(summary, json_path)
    _print_plan(summary, lang)


def _read_replanning(
    approved: tuple[str, ...], decisions: str | None, previous: str | None, programs: list[str]
) -> dict[str, Any]:
    if not (approved or decisions or previous):
        return {}
    from planner.decisions import read_decisions, read_plan

    return {
        "approved": [n for path in approved for n in read_plan(path)],
        "decisions": read_decisions(decisions, known_programs=programs) if decisions else [],
        "previous": read_plan(previous) if previous else [],
    }


def _print_plan(summary: dict[str, Any], lang: str) -> None:
    en = lang == "en"
    click.echo(
        f"{'Status' if en else 'Trạng thái'}: {summary['status']} ({summary['method']}), "
        f"gap {summary['gap']:.2%}, {summary['wall_time']:.1f} s"
    )
    click.echo(f"{'Nominations' if en else 'Lượt cử'}: {summary['nominations']:,}")
    for year, cost in summary["cost_by_year"].items():
        budget = summary["budget_by_year"][year]
        limit = f" / {budget:,}" if budget is not None else ""
        click.echo(f"  {year}: {cost:,}{limit} VND")
    shortfalls = summary["shortfalls"]
    click.echo(f"{'Shortfalls' if en else 'Chưa đạt'}: {len(shortfalls)}")
    for s in shortfalls:
        click.echo(f"  - {s['reason_en'] if en else s['reason']} ({s['achieved']:,}/{s['required']:,})")
    for note in summary["notes"]:
        click.echo(f"! {note}")
    for issue in summary["approval_issues"]:
        click.echo(
            f"! {'Approved but fallen' if en else 'Đã duyệt nhưng không còn hợp lệ'}: {issue['official_id']} "
            f"{issue['program']} {issue['year']}: {issue['reason_en'] if en else issue['reason']} "
            f"({'decide: replace or confirm' if en else 'cần quyết định: thay người hoặc giữ'})"
        )
    if summary["changes"]:
        entered = sum(c["change"] == "entered" for c in summary["changes"])
        click.echo(
            f"{'Against the previous draft' if en else 'So với dự thảo trước'}: +{entered} / "
            f"-{len(summary['changes']) - entered}"
        )


@main.command()
@click.argument("roster", type=click.Path(exists=True, dir_okay=False))
@click.option("--scenario", "scenario_path", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "json_path", type=click.Path(dir_okay=False), help="Write the counts as JSON.")
def check(roster: str, scenario_path: str, json_path: str | None) -> None:
    """Read a roster and a scenario; list every problem (exit 2) or summarise them.

    \b
    Example:
      planner check planner/data/sample-roster.xlsx --scenario scenarios/plan-2023-2025.toml --json check.json
    """
    from planner import export
    from planner.missing_data import missing_columns
    from planner.summary import out_of_reach, roster_summary

    _refuse_overwrite([json_path], [roster, scenario_path])
    roster_data, scenario, population = _load(roster, scenario_path)
    summary = roster_summary(population)
    missing = missing_columns(roster_data, scenario)
    summary["missing_columns"] = [m.as_dict() for m in missing]
    summary["out_of_reach"] = out_of_reach(population)
    if json_path:
        export.write_json(summary, json_path)
    click.echo(
        f"Cán bộ / officials: {summary['officials']:,}   lịch sử / history rows: {summary['history_rows']:,}"
    )
    for title, key in (
        ("Cấp / level", "by_level"),
        ("Loại / category", "by_category"),
        ("Nhóm chức vụ / role group", "by_role_group"),
        ("Đủ điều kiện / eligible per program", "eligible_by_program"),
    ):
        click.echo(f"{title}:")
        for name, count in summary[key].items():
            click.echo(f"  {name:<20} {count:>8,}")
    if missing:
        click.echo("Thiếu dữ liệu / missing data:")
        for column in missing:
            click.echo(f"  - {column.vi}")
            click.echo(f"    {column.en}")
    if summary["out_of_reach"]:
        click.echo("Không thể đạt / out of reach before solving:")
        for item in summary["out_of_reach"]:
            year = f" {item['year']}" if item["year"] else ""
            click.echo(f"  - {item['code']}{year}: {item['reason']} / {item['reason_en']}")


@main.command()
@click.argument("roster", type=click.Path(exists=True, dir_okay=False))
@click.argument("official_id")
@click.option("--scenario", "scenario_path", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--plan",
    "plan_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False),
    help="The plan workbook or nominations CSV written by `planner plan`.",
)
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True)
def explain(roster: str, official_id: str, scenario_path: str, plan_path: str, lang: str) -> None:
    """Why this official is or is not on the lists, per program and year.

    \b
    Example:
      planner explain planner/data/sample-roster.xlsx CB000123 \\
          --scenario scenarios/plan-2023-2025.toml --plan plan.xlsx
    """
    from planner.decisions import read_plan
    from planner.reasons import explain_official
    from planner.replan import plan_from_nominations

    _, _, population = _load(roster, scenario_path)
    if official_id not in population.starts_of:
        raise click.BadParameter(
            f"{official_id}: không có trong danh sách / not on the roster", param_hint="OFFICIAL_ID"
        )
    result = plan_from_nominations(population, read_plan(plan_path))
    for line in explain_official(population, result, official_id, lang=lang):
        click.echo(line)


@main.command()
@click.argument("out", type=click.Path(dir_okay=False))
def template(out: str) -> None:
    """Write an empty roster template with notes and dropdowns.

    \b
    Example:
      planner template mau-danh-sach.xlsx
    """
    from planner.export import write_template

    write_template(out)
    click.echo(f"Đã ghi / written: {out}")


@main.command("sample-roster")
@click.argument("out", type=click.Path(dir_okay=False))
@click.option("--size", default=3000, show_default=True, help="Number of officials (1,000 to 200,000).")
@click.option("--seed", default=0, show_default=True)
@click.option(
    "--structure",
    type=click.Choice(["2023", "2025"]),
    default="2025",
    show_default=True,
    help="2023: province/district/commune; 2025: two levels, no district.",
)
@click.option("--year", "reference_year", default=2026, show_default=True, help="Year the roster describes.")
def sample_roster(out: str, size: int, seed: int, structure: str, reference_year: int) -> None:
    """Generate a realistic synthetic province roster (deterministic by seed).

    \b
    Example:
      planner sample-roster --size 25000 --seed 7 tinh-25000.xlsx
    """
    from planner.export import write_roster
    from planner.sample import generate_roster

    roster = generate_roster(size, seed=seed, structure=structure, reference_year=reference_year)
    write_roster(roster, out)
    click.echo(
        f"Đã ghi / written: {out} ({len(roster.officials):,} officials, {len(roster.history):,} history rows)"
    )


@main.command()
@click.argument("roster", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--plan",
    "plan_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False),
    help="The approved plan: a workbook written by `planner plan` or its nominations CSV.",
)
@click.option(
    "--attended",
    required=True,
    type=click.Path(exists=True, dir_okay=False),
    help="Results (xlsx or csv): Mã CB, Chương trình, Năm, Kết quả (Hoàn thành / Bỏ học).",
)
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="New roster workbook (.xlsx).")
@click.option(
    "--scenario",
    "scenario_path",
    type=click.Path(exists=True, dir_okay=False),
    help="Scenario whose own program codes the roster and results may use.",
)
def record(roster: str, plan_path: str, attended: str, out: str, scenario_path: str | None) -> None:
    """Add the completed nominations of an approved plan to the roster's training history.

    Nominations without a result, and dropped ones, are listed and not recorded.

    \b
    Example:
      planner record danh-sach-2026.xlsx --plan ke-hoach-2026.xlsx \\
          --attended ket-qua-2026.xlsx --out danh-sach-2027.xlsx
    """
    from models import STANDARD_PROGRAMS
    from planner.decisions import read_attendance, read_plan, record_history
    from planner.export import write_roster
    from planner.roster import read_roster
    from planner.scenario import load_scenario

    _refuse_overwrite([out], [roster, plan_path, attended, *filter(None, [scenario_path])])
    if Path(out).suffix.lower() != ".xlsx":
        raise click.BadParameter(f"{out}: cần tệp .xlsx / must be an .xlsx file", param_hint="--out")
    approved = read_plan(plan_path)
    programs = _known_programs(load_scenario(scenario_path)) if scenario_path else STANDARD_PROGRAMS
    known = sorted({*programs, *(n.program for n in approved)})
    roster_data = read_roster(roster, known_programs=known)
    results = read_attendance(attended, known_programs=known, official_ids=roster_data.by_id())
    updated, not_recorded = record_history(roster_data, approved, results, source=Path(attended).name)
    write_roster(updated, out)
    added = len(updated.history) - len(roster_data.history)
    click.echo(f"Đã ghi / written: {out} ({added:,} dòng lịch sử mới / history rows added)")
    if not_recorded:
        click.echo(f"Chưa ghi vào lịch sử / not recorded: {len(not_recorded):,}")
        for message in not_recorded:
            click.echo(f"  - {message}")


# --- budget scenarios side by side: compare, sweep -------------------------------------------------------


class _FactorRange(click.ParamType):
    """Budget factors: start:stop:step (stop included) or a comma list."""

    name = "FACTORS"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> list[float]:
        from planner.compare import parse_factor_range

        if isinstance(value, list):
            return value
        try:
            return parse_factor_range(str(value))
        except ValueError as error:
            self.fail(str(error), param, ctx)


def _side_by_side_options(f: Any) -> Any:
    f = click.option("--quiet", is_flag=True, help="No progress lines.")(f)
    f = click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True)(f)
    f = click.option(
        "--jobs",
        default=1,
        show_default=True,
        type=click.IntRange(1, 64),
        help="Plans solved at once, each in its own process; keep jobs x workers within the CPU cores.",
    )(f)
    f = click.option(
        "--json", "json_path", type=click.Path(dir_okay=False), help="The same figures as JSON."
    )(f)
    f = click.option("--out", type=click.Path(dir_okay=False), help="Workbook (.xlsx) to write.")(f)
    return _solver_options(f)


def _load_scenarios(paths: list[str]) -> list[Scenario]:
    """Every scenario file, with the problems of all of them reported before exit 2."""
    from planner.scenario import load_scenario

    scenarios, errors = [], []
    for path in paths:
        try:
            scenarios.append(load_scenario(path))
        except InputError as error:
            errors.append(error)
    for error in errors[:-1]:
        click.echo(error.report(), err=True)
    if errors:
        raise errors[-1]
    return scenarios


def _read_roster_for(path: str, scenarios: list[Scenario]) -> Any:
    from planner.roster import read_roster

    known = sorted({code for scenario in scenarios for code in _known_programs(scenario)})
    return read_roster(path, known_programs=known)


def _finished_printer(quiet: bool, total: int | None = None) -> Any:
    """One stderr line per finished plan: `[2/3] tight: FEASIBLE, 12 shortfall(s), 41,200,000,000 VND, 9.8 s`."""
    if quiet:
        return None
    count = 0

    def report(name: str, solved: Any) -> None:
        nonlocal count
        count += 1
        result = solved.result
        done = f"{count}/{total}" if total else str(count)
        cost = sum(result.cost_by_year.values())
        click.echo(
            f"[{done}] {name}: {result.status}, {len(result.shortfalls)} shortfall(s), "
            f"{cost:,} VND, {result.wall_time:.1f} s",
            err=True,
        )

    return report


def _write_side_by_side(
    write: Any,
    data: dict[str, Any],
    out: str | None,
    json_path: str | None,
    inputs: dict[str, str],
    options: dict[str, Any],
    lang: str,
) -> None:
    from planner.export import write_json

    if out:
        write(
            out,
            data,
            inputs=inputs,
            options={**options, "run_at": time.strftime("%Y-%m-%d %H:%M:%S")},
            lang=lang,
        )
    if json_path:
        write_json(data, json_path)


def _print_scenarios(comparison: dict[str, Any]) -> None:
    click.echo(
        f"{'':<24} {'status':<9} {'attainment':>10} {'targets met':>11} {'shortfalls':>10} {'cost (VND)':>18}"
    )
    for s in comparison["scenarios"]:
        share = s["average_attainment"]
        attained = f"{share:.1%}" if share is not None else "-"
        met = f"{s['targets_met']}/{len(s['targets'])}"
        click.echo(
            f"{s['label'][:24]:<24} {s['status']:<9} {attained:>10} {met:>11} {len(s['shortfalls']):>10} "
            f"{s['total_cost']:>18,}"
        )


@main.command()
@click.argument("roster", type=click.Path(exists=True, dir_okay=False))
@click.argument("scenarios", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@_side_by_side_options
def compare(
    roster: str,
    scenarios: tuple[str, ...],
    out: str | None,
    json_path: str | None,
    jobs: int,
    lang: str,
    quiet: bool,
    time_limit: float,
    workers: int,
    gap: float,
    seed: int,
) -> None:
    """Solve several scenarios on one roster and put them side by side.

    Per scenario: coverage of every target per year and at the deadline, shortfalls with their
    reasons, classes and people per program and year, cost against budget, who enters or
    leaves the lists compared with the first scenario, and a chart of average target
    attainment against total cost. Scenarios with different periods are aligned by year.
    --time-limit applies to each scenario; --jobs N solves N at a time, each scenario on its
    own (so N does not change the plans, as long as each solve is reproducible).

    \b
    Example (the bundled sample):
      planner compare planner/data/sample-roster.xlsx scenarios/orientation-2026-2030.toml \\
          scenarios/orientation-2026-2030-tight.toml scenarios/orientation-2026-2030-expanded.toml \\
          --out so-sanh.xlsx --json so-sanh.json --jobs 2 --time-limit 10
    """
    from planner.compare import ScenarioPool
    from planner.compare import compare as compare_scenarios
    from planner.text import numbered
    from planner.workbook import write_comparison

    _refuse_overwrite([out, json_path], [roster, *scenarios])
    loaded = _load_scenarios(list(scenarios))
    roster_data = _read_roster_for(roster, loaded)
    labels = numbered([Path(path).stem for path in scenarios])
    settings = SolverSettings(time_limit=time_limit, workers=workers, seed=seed, gap=gap)
    with ScenarioPool(roster_data, settings, jobs) as pool:
        comparison = compare_scenarios(
            pool, list(zip(labels, loaded, strict=True)), _finished_printer(quiet, len(loaded))
        )
    inputs = {"roster": roster} | {
        f"scenario {label}": path for label, path in zip(labels, scenarios, strict=True)
    }
    _write_side_by_side(
        write_comparison, comparison, out, json_path, inputs, {**settings.model_dump(), "jobs": jobs}, lang
    )
    _print_scenarios(comparison)


@main.command()
@click.argument("roster", type=click.Path(exists=True, dir_okay=False))
@click.option("--scenario", "scenario_path", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--budget",
    "factors",
    required=True,
    type=_FactorRange(),
    help="Budget factors: start:stop:step, stop included (0.5:1.5:0.1), or a list (0.8,1,1.2).",
)
@click.option(
    "--max-resolves",
    default=40,
    show_default=True,
    type=click.IntRange(0, 1000),
    help="Re-solves in all for finding what closes the shortfalls (0: none).",
)
@_side_by_side_options
def sweep(
    roster: str,
    scenario_path: str,
    factors: list[float],
    max_resolves: int,
    out: str | None,
    json_path: str | None,
    jobs: int,
    lang: str,
    quiet: bool,
    time_limit: float,
    workers: int,
    gap: float,
    seed: int,
) -> None:
    """Solve one scenario at a range of budget factors, and find what would close each shortfall.

    Each factor replaces the scenario's budget.factor (as plan --budget-factor does). Shows the
    attainment of every target at each factor and the smallest factor from which each target
    is met. Then, for each shortfall of the plan at factor 1 (solved once), what would close
    it, found by re-solving copies of the scenario loosened one way at a time: +1 to +8
    classes a year of a class program of the shortfall, +1 to +20 places a year of a slot
    program or shared quota, or more budget (the range's factors above 1, else x1.1 to x2).
    Each relaxation is solved at its largest step, then bisected down to the smallest step
    that still closes the shortfall: at most 12 plans per shortfall and --max-resolves new
    solves in all, each with --time-limit (keep it short).

    \b
    Example (the bundled sample):
      planner sweep planner/data/sample-roster.xlsx --scenario scenarios/orientation-2026-2030.toml \\
          --budget 0.5:1.5:0.25 --out quet-ngan-sach.xlsx --json quet-ngan-sach.json \\
          --jobs 2 --time-limit 5 --max-resolves 20
    """
    from planner.compare import ScenarioPool, factor_label, has_budget
    from planner.compare import sweep as sweep_budget
    from planner.workbook import write_sweep

    _refuse_overwrite([out, json_path], [roster, scenario_path])
    (scenario,) = _load_scenarios([scenario_path])
    if not has_budget(scenario):
        raise click.BadParameter(
            f"{scenario_path}: kịch bản không có dự toán / the scenario sets no budget to scale",
            param_hint="--scenario",
        )
    roster_data = _read_roster_for(roster, [scenario])
    settings = SolverSettings(time_limit=time_limit, workers=workers, seed=seed, gap=gap)
    with ScenarioPool(roster_data, settings, jobs) as pool:
        result = sweep_budget(pool, scenario, factors, max_resolves, _finished_printer(quiet))
    options = {
        **settings.model_dump(),
        "jobs": jobs,
        "budget": [factor_label(f) for f in factors],
        "max_resolves": max_resolves,
    }
    _write_side_by_side(
        write_sweep, result, out, json_path, {"roster": roster, "scenario": scenario_path}, options, lang
    )
    _print_scenarios(result["comparison"])
    for item in result["thresholds"]:
        met = factor_label(item["met_from"]) if item["met_from"] is not None else "not met within the range"
        click.echo(f"{item['code']}: {met}")
    click.echo(f"What would close the shortfalls at ×1 ({result['resolves']} re-solves):")
    for item in result["what_closes"]:
        tried = [r for r in item["relaxations"] if r["outcome"] != "not_tried"]
        closing = [r["description_en"] for r in tried if r["outcome"] == "closed"]
        best = min(tried, key=lambda r: r["missing"], default=None)
        if closing:
            found = "closed by " + "; or ".join(closing)
        elif best is not None and best["outcome"] == "reduced":
            found = f"not closed; {best['missing']} still missing with {best['description_en']}"
        else:
            found = "nothing tried reduces it"
        click.echo(f"  - {item['code']} {item['year']} (missing {item['missing']}): {found}")


if __name__ == "__main__":
    sys.exit(main())
