"""Help texts of the algorithms: plain text in the catalogue, HTML for the Processing dialog,
(the link to the shipped user guide is :func:`citymgmt_plugin.core.qgis.guide_link.guide_url`).

The Processing dialog shows each line of ``shortHelpString()`` as an HTML paragraph without
escaping it, so a literal "<" (``start ≤ time < end``) starts a tag and swallows the rest
of the line. Help is therefore written (and translated) as plain text — one paragraph per
line, "- " for a list item — and :func:`help_html` escapes it for the dialog.
"""

from __future__ import annotations

import html

BULLET = "• "


def help_html(text: str) -> str:
    """Plain help text as the lines the Processing dialog wraps in ``<p>``: characters
    escaped, blank lines dropped, "- " list items as bullets."""
    out = []
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        if line.startswith("- "):
            line = BULLET + line[2:].strip()
        out.append(html.escape(line, quote=False))
    return "\n".join(out)
