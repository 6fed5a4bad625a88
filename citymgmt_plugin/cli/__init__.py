"""Command line: ``python -m citymgmt_plugin …`` for admins and scheduled jobs."""
