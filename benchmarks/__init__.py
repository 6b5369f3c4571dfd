"""Scripts that print the project's speed, memory and accuracy figures (README)."""
