"""The domain: drug names, mentions in text, interactions and the drug store. Never imports discord."""
