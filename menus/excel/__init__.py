"""Excel workbooks (xlsxwriter): pure functions from structured results to .xlsx bytes."""
