"""Multi-agency meetings and the actions agreed at them (or outside one): schedule,
invite, record attendance and minutes, distribute the pack and the record, and
each owner's work list."""
