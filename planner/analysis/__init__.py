"""What a plan means: the independent checker, shortfalls and their causes, reasons, replanning, comparison."""
