"""drugbot: medication information for patient support communities on Discord."""
