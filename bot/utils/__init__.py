"""Discord helpers shared by every feature package."""
