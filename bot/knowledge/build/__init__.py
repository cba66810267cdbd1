"""The data build, apart from run time: validating `data/`, importing the name dictionary and derived
tables, writing the drug store, and the checks that read a built store (the NDF-RT audit, card gaps).

Nothing here runs while the bot answers; the bot only opens the built store (`bot.knowledge.store`).
"""

from bot.knowledge.build.store_writer import BuildSummary, build, validate

__all__ = ["BuildSummary", "build", "validate"]
