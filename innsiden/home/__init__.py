"""home: the member's front page and the health check."""
