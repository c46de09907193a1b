"""`make bench`: import speed and memory against a raw ceiling, on generated client lists."""
