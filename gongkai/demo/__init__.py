"""Demo world and synthetic benchmark documents (`gongkai demo`)."""
