"""The `planner` command: parse, call, write, print. No logic a library test could not reach."""

from __future__ import annotations

import logging
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
        "--workers",
        default=1,
        show_default=True,
        help="Solver threads (1 = reproducible, byte-identical plans).",
    )(f)
    f = click.option(
        "--time-limit", default=60.0, show_default=True, help="Seconds of solving (all levels)."
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
    from planner.solve import solve
    from planner.summary import plan_summary

    inputs = [roster, scenario_path, *approved, *(p for p in (decisions, previous) if p)]
    _refuse_overwrite([out, csv_path, json_path], inputs)
    if max_changes is not None and not previous:
        raise click.UsageError("--max-changes cần --previous / --max-changes needs --previous")
    roster_data, scenario, population = _load(roster, scenario_path, budget_factor)
    replanning = _read_replanning(approved, decisions, previous)
    settings = SolverSettings(time_limit=time_limit, workers=workers, seed=seed)
    result = solve(
        roster_data,
        scenario,
        settings,
        method=method,
        progress=_progress_printer(quiet),
        max_changes=max_changes,
        **replanning,
    )
    if not quiet:
        click.echo("", err=True)
    assert_valid(roster_data, scenario, result.nominations, result.classes)
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
    approved: tuple[str, ...], decisions: str | None, previous: str | None
) -> dict[str, Any]:
    if not (approved or decisions or previous):
        return {}
    from planner.decisions import read_decisions, read_plan

    return {
        "approved": [n for path in approved for n in read_plan(path)],
        "decisions": read_decisions(decisions) if decisions else [],
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
    from planner.summary import out_of_reach, roster_summary

    _refuse_overwrite([json_path], [roster, scenario_path])
    _, _, population = _load(roster, scenario_path)
    summary = roster_summary(population)
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
    from planner.sample import generate_roster

    from planner.export import write_roster

    roster = generate_roster(size, seed=seed, structure=structure, reference_year=reference_year)
    write_roster(roster, out)
    click.echo(
        f"Đã ghi / written: {out} ({len(roster.officials):,} officials, {len(roster.history):,} history rows)"
    )


if __name__ == "__main__":
    sys.exit(main())
