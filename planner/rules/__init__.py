"""The plan's law: who may start which program when (one function per rule), coverage, merit, roster facts."""
