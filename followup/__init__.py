"""followup: every follow-up of a job search, worked out from plain files."""

__version__ = "0.1.0"
