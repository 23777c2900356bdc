"""Training nomination planner: read rosters and scenarios, plan with CP-SAT, write the lists."""

__version__ = "0.1.0"
