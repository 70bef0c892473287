"""The local problem profile: a district's live picture for its CSE lead and
police (issue 19), computed on request from the record and never stored."""
