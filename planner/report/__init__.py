"""One report per plan, built once, and its renderers (workbook, JSON summary, status words)."""
