"""cnopt-report's modules: data (reading), figures (one result), compare (two
results), sweep (a sweep summary), page (report.html), main (the command line)."""
