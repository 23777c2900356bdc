"""The objective levels of one round (`LevelSearch`): bounds that hold, plans the model accepts,
each level held for the next."""

from __future__ import annotations

import contextlib
import functools
import math

import planner.solver.levels as levels_module
import planner.solver.relax as relax_module
from models import SolverSettings
from planner.io.scenario import load_scenario
from planner.solver.cohorts import build_population
from planner.solver.levels import LAST_SECOND_COMPLETION, LevelSearch
from planner.solver.model import PlanModel
from planner.solver.relax import Completion, objective_value, satisfies


def test_each_level_bound_holds_and_its_plan_is_accepted(small, optimum) -> None:
    """As the levels run: the shortfall level from nothing, the merit level from an optimal plan
    of the shortfall level, fixed."""
    plan_model = PlanModel(small)
    search = LevelSearch(plan_model, SolverSettings())
    current = None
    for level in ("shortfall", "merit"):
        best, optimal = optimum(plan_model, level)
        bound, plan, *_ = search.bound(3.0, current, 0.0)
        assert bound <= best
        if current is None:  # from nothing, a plan is found; from a plan, only a better one is returned
            assert plan is not None
        if plan is not None:
            assert satisfies(plan_model.model, plan)
            assert objective_value(plan_model.model, plan) >= best
            assert current is None or objective_value(plan_model.model, plan) < objective_value(
                plan_model.model, current
            )
        plan_model.model.add(plan_model.objectives[level] <= int(best))
        search.relaxation.add_objective_limit(int(best))
        current = optimal


def test_a_level_s_completions_use_the_budget_its_lp_solves_share(small, monkeypatch) -> None:
    """The leaves' completions are paid from the level's budget with its LP solves: a completion
    using more work than the whole budget buys leaves the branch and bound nothing more, and the
    level reports its budget spent (none left over for CP-SAT or the next level)."""
    plan_model = PlanModel(small)
    search = LevelSearch(plan_model, SolverSettings())
    budget = 1000.0  # seconds: LP solves enough for the whole tree of this small province
    costly = Completion(None, 2 * budget * levels_module.DETERMINISTIC_PER_SECOND, widened=False)
    cheap = Completion(None, 0.0, widened=False)
    monkeypatch.setattr(levels_module, "complete", lambda *args, **kwargs: cheap)
    free = search.bound(budget, None, 0.0)
    monkeypatch.setattr(levels_module, "complete", lambda *args, **kwargs: costly)
    paid = search.bound(budget, None, 0.0)
    assert free.spent < 1.0 and paid.spent == 1.0


def test_a_bound_known_from_the_round_before_ends_the_search_sooner(small, optimum) -> None:
    """A later round only adds constraints, so the bound of the round before holds: given as the
    floor, the search stops once its plan is within the gap of it, and reports no less."""
    plan_model = PlanModel(small)
    search = LevelSearch(plan_model, SolverSettings())
    shortfall, _ = optimum(plan_model, "shortfall")
    plan_model.model.add(plan_model.objectives["shortfall"] <= int(shortfall))
    search.relaxation.add_objective_limit(int(shortfall))
    best, optimal = optimum(plan_model, "merit")
    alone, _, spent_alone, *_ = search.bound(3.0, optimal, 0.0)
    floored, _, spent, *_ = search.bound(3.0, optimal, 0.0, floor=best)
    assert alone <= best
    # the plan at hand is proven optimal by the floor (less the millionth given up to the LP's rounding)
    assert abs(best - floored) <= 1e-6 * abs(best) + 1
    assert spent <= spent_alone
    assert alone < floored or spent < spent_alone, "the floor changed nothing on this instance"


def test_the_levels_run_in_order_each_held_for_the_next(province, optimum) -> None:
    """From an empty plan (nobody nominated): every level of the scenario, in its order, each
    reported within its bound; the first within the gap of its optimum; the plan keeps every
    level's limit."""
    small = build_population(province(250, seed=3), load_scenario("scenarios/plan-2023-2025.toml"))
    plan_model = PlanModel(small)
    first, _ = optimum(PlanModel(small), "shortfall")
    search = LevelSearch(plan_model, SolverSettings(time_limit=60, gap=0.001))
    solution = search.run(plan_model.values_of({}, {}))
    assert solution is not None
    _, _, _, counted = solution
    order = list(small.scenario.objective.order)
    assert [level.name for level in search.levels] == order
    assert len(search.records) == len(order)
    for level, (bound, limit) in zip(search.levels, search.records, strict=True):
        assert level.bound == bound <= level.objective
        assert counted[level.name] <= limit  # a later level never undoes an earlier one
    shortfall = search.levels[0]
    assert shortfall.bound <= first <= shortfall.objective <= shortfall.bound * 1.001, (shortfall, first)
    assert satisfies(plan_model.model, search.values)


def test_a_plan_the_model_refuses_is_not_taken_as_the_start(small) -> None:
    """A start that breaks a rule (a class with nobody in it) is not kept: the levels find their own."""
    plan_model = PlanModel(small)
    start = plan_model.values_of({}, {})
    k = next(k for k in plan_model.classes.values() if max(k.proto.domain) >= 1)
    start[k.index] = 1
    assert not satisfies(plan_model.model, start)
    search = LevelSearch(plan_model, SolverSettings(time_limit=10))
    assert search.run(start) is not None
    assert satisfies(plan_model.model, search.values)


def test_leaves_stop_widening_after_second_completions_that_find_no_better_plan(small, monkeypatch) -> None:
    """Each second completion (every count free) took 1.6-2.5 units to find nothing under a tight
    budget; after `MAX_FAILED_WIDENINGS` in a row without a better plan, leaves get the first only."""
    widened: list[bool] = []

    def fruitless(
        model, values, counts, classes, work, deadline=math.inf, widen=True, **settings
    ) -> Completion:
        widened.append(widen)
        return Completion(None, 0.01, widened=widen)

    monkeypatch.setattr(levels_module, "complete", fruitless)
    LevelSearch(PlanModel(small), SolverSettings()).bound(3.0, None, 0.0)
    tries = levels_module.MAX_FAILED_WIDENINGS
    assert len(widened) > tries and widened == [True] * tries + [False] * (len(widened) - tries)


def test_a_smaller_lp_gets_more_lp_solves_for_the_same_budget(small, monkeypatch) -> None:
    """LP solves are priced by the LP's size: at 4,000 officials a solve takes a sixth of the time
    it takes at 25,000, and priced alike the branch and bound ran out of solves with most of the
    time limit unused (the cost level 3.8 % from its bound where 0.05 % was within reach)."""
    plan_model = PlanModel(small)
    search = LevelSearch(plan_model, SolverSettings())
    allowed: list[int] = []

    def counted(*args, **kwargs):
        allowed.append(kwargs["max_solves"])
        raise StopIteration  # only the number of solves allowed is looked at

    monkeypatch.setattr(search.relaxation, "search", counted)
    plan_model.model.minimize(plan_model.objectives["shortfall"])
    columns = search.relaxation.size
    for size in (columns, levels_module.PRICED_COLUMNS, 2 * levels_module.PRICED_COLUMNS):
        monkeypatch.setattr(search.relaxation, "size", size)
        with contextlib.suppress(StopIteration):
            search.bound(4.0, None, 0.0)
    small_lp, priced, large = allowed
    assert columns < levels_module.PRICED_COLUMNS
    assert priced == large == round(levels_module.SEARCH_SOLVES_PER_SECOND * 4.0)
    assert small_lp == round(
        levels_module.SEARCH_SOLVES_PER_SECOND * 4.0 * levels_module.PRICED_COLUMNS / columns
    )


def test_second_completions_start_from_the_best_plan_of_the_level_so_far(small, monkeypatch) -> None:
    """Each leaf's completion is given the best plan of the level so far (the level's plan at hand,
    or a leaf's better one), which keeps the levels held, where the leaf's rounding often breaks one
    (a merit level 8 % from its bound, a cost level 4.45 %); its second search starts from it at
    that plan's classes (test_relax)."""
    plan_model = PlanModel(small)
    search = LevelSearch(plan_model, SolverSettings(time_limit=10))
    real_complete = levels_module.complete
    # level, the plan given, whether the model (its levels held so far) accepts it, the plan expected
    calls: list[tuple[int, dict[int, int] | None, bool, dict[int, int] | None]] = []
    found: dict[int, list[dict[int, int]]] = {}

    def complete(*args, at_hand=None, **kwargs):
        value = functools.partial(objective_value, plan_model.model)
        plans = found.setdefault(search.position, [])
        if not plans and search.feasible:
            plans.append(dict(search.values))
        accepted = at_hand is not None and satisfies(plan_model.model, at_hand)
        calls.append((search.position, at_hand, accepted, min(plans, key=value, default=None)))
        completion = real_complete(*args, at_hand=at_hand, **kwargs)
        if completion.plan is not None:
            plans.append(completion.plan)
        return completion

    monkeypatch.setattr(levels_module, "complete", complete)
    assert search.run(plan_model.values_of({}, {})) is not None
    assert {level for level, *_ in calls} == set(range(len(search.order)))
    for level, given, accepted, expected in calls:
        if expected is None:  # no plan yet
            assert given is None
            continue
        assert given is not None and accepted
        plan_model.model.minimize(plan_model.objectives[search.order[level]])
        assert objective_value(plan_model.model, given) == objective_value(plan_model.model, expected)


def test_only_the_level_before_the_last_is_patient_for_its_share_of_the_gap(small, monkeypatch) -> None:
    """The level before the last aims at `INNER_GAP_SHARE` of the gap with its own share of the
    time limit, once (not again in a later round); past it, a plan within the full gap ends its
    search (and no CP-SAT pass follows), so that what the levels before left goes on to the last
    level."""
    plan_model = PlanModel(small)
    settings = SolverSettings(time_limit=10)
    search = LevelSearch(plan_model, settings)
    real_bound = search.bound
    given: list[tuple[float, float] | None] = []
    improved: list[str] = []

    def bound(*args, patience=None, **kwargs):
        given.append(patience)
        found = real_bound(*args, patience=patience, **kwargs)
        return found._replace(impatient=patience is not None)  # as if its patience had run out

    monkeypatch.setattr(search, "bound", bound)
    monkeypatch.setattr(search, "_improve", lambda name, *args: improved.append(name))
    assert search.run(plan_model.values_of({}, {})) is not None
    order = search.order
    shares = [levels_module.LEVEL_SHARE[name] for name in order]
    own = settings.time_limit * shares[-2] / sum(shares)
    assert given == [None] * (len(order) - 2) + [(own, settings.gap), None]
    assert order[-2] not in improved
    # a later round (the bounds of the round before given): its patience was spent in the first
    given.clear()
    later = LevelSearch(PlanModel(small), settings)
    real_bound = later.bound
    monkeypatch.setattr(later, "bound", bound)
    assert later.run(later.plan_model.values_of({}, {}), prior=search.records) is not None
    assert given == [None] * (len(order) - 2) + [(0.0, settings.gap), None]


def test_only_the_last_level_completes_its_leaves_without_presolve_and_hint_phase(small, monkeypatch) -> None:
    """With the levels before it held, presolve used a cost level's second completion's whole work
    at 4,000 officials and found no plan, and CP-SAT's hint phase took half a completion's time for
    a poor plan (seed 7: the cost level 0.65 % from its bound, 0.085 % without). The levels before
    the last keep both (presolve pays at the merit level of larger provinces); each leaf gets the
    setting, and the CP-SAT search of a second completion is given it."""
    plan_model = PlanModel(small)
    search = LevelSearch(plan_model, SolverSettings(time_limit=10))
    real_bound, real_complete = search.bound, levels_module.complete
    real_solver = relax_module.one_worker_solver
    asked: list[object] = []
    given: list[tuple[int, object]] = []
    solves: list[tuple[int, bool, int]] = []  # each completion search's (level, presolve, hint conflicts)

    def bound(*args, second=None, **kwargs):
        asked.append(second)
        return real_bound(*args, second=second, **kwargs)

    def complete(*args, second=None, **kwargs):
        given.append((len(asked), second))
        return real_complete(*args, second=second, **kwargs)

    def solver(work, deadline=math.inf):
        made = real_solver(work, deadline)
        real_solve = made.solve

        def solve(model, callback=None):
            solves.append(
                (len(asked), made.parameters.cp_model_presolve, made.parameters.hint_conflict_limit)
            )
            return real_solve(model, callback)

        made.solve = solve
        return made

    monkeypatch.setattr(search, "bound", bound)
    monkeypatch.setattr(levels_module, "complete", complete)
    monkeypatch.setattr(relax_module, "one_worker_solver", solver)
    assert search.run(plan_model.values_of({}, {})) is not None
    last = len(search.order)
    assert asked == [None] * (last - 1) + [LAST_SECOND_COMPLETION]
    assert LAST_SECOND_COMPLETION == {"cp_model_presolve": False, "hint_conflict_limit": 0}
    assert given and all(second == asked[level - 1] for level, second in given)
    assert (last, False, 0) in solves  # a second completion at the last level, as asked
    assert all((presolve, hints) == (True, 10) for level, presolve, hints in solves if level < last)
