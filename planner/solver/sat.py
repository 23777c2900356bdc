"""One way to make the CP-SAT solvers of the planner's small models (completions, naming, units)."""

from __future__ import annotations

import math
import time

from ortools.sat.python import cp_model


def one_worker_solver(work: float, deadline: float = math.inf) -> cp_model.CpSolver:
    """A one-worker solver stopped after `work` deterministic units or at the wall-clock
    `deadline` (time.monotonic), that leaves Ctrl-C to Python: with CP-SAT's default it takes
    the signal during its search and then resets SIGINT, so a later Ctrl-C killed the planner
    without a word."""
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_deterministic_time = work
    solver.parameters.catch_sigint_signal = False
    if deadline < math.inf:
        solver.parameters.max_time_in_seconds = max(0.0, deadline - time.monotonic())
    return solver
