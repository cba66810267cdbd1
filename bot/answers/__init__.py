"""Turning domain results into answers: one neutral Answer, rendered as a Discord embed or as text."""
