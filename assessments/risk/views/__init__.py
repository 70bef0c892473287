"""Assessment pages: the assessments themselves and their templates."""
