"""seedwise: influence maximization with proven guarantees."""
__version__ = "0.1.0"
