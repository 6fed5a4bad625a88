"""``python -m citymgmt_plugin``: the command line for admins and scheduled jobs."""

from __future__ import annotations

import sys

from .cli.main import main

sys.exit(main())
