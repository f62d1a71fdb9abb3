"""Content parsing and rendering: pure functions from files to documents; no Flask, no database."""
