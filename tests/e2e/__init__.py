"""End-to-end tests: the real `circle` command in a real terminal (tmux)."""
