"""See Me, Hear Me plans: the first version of a young person's plan and each
review after it, every version kept."""
