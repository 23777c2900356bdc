"""From the roster's facts to a plan: cohorts, the CP-SAT model, its LP branch and bound, naming people."""
