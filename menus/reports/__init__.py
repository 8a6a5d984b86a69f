"""Report texts: pure functions from structured results to Indonesian WhatsApp messages."""
