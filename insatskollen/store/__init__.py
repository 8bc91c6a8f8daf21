"""The store layer (see README, How the code is laid out)."""
