"""Every write to meetings and actions."""
