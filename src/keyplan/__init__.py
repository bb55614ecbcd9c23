"""keyplan: strategic account planning for B2B sales teams."""

__version__ = "0.1.0"
