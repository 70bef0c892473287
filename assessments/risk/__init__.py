"""Risk assessments and their templates: versioned templates of indicators and
bands, and the assessments made with them (start, complete, agency sections,
submit, sign off or return)."""
