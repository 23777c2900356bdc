"""Input and output at the edges: the roster, scenario and decisions files, CSV exports, words for bad input."""
