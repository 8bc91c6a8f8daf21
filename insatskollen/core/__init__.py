"""The core layer (see README, How the code is laid out)."""
