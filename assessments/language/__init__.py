"""The language check: victim-blaming and minimising phrases about children,
flagged as advice while free text is typed, with its rules page and report."""
