"""Why a decision cannot be made: the errors review raises (messages translated)."""

from __future__ import annotations

from datetime import datetime

from ...i18n import tr
from ...labels import submission_state_label
from ..states import SubmissionState

_CTX = "Review"


class ReviewError(Exception):
    """A decision cannot be made as asked (message translated)."""


class AlreadyDecided(ReviewError):
    """Somebody else decided (or intake changed) the submission since it was loaded."""

    def __init__(
        self, submission_id: int, state: str | None, by: str | None, at: datetime | None
    ) -> None:
        self.submission_id = submission_id
        self.state = state
        self.by = by
        self.at = at
        decidable = state is not None and SubmissionState(state).decidable
        super().__init__(
            tr(_CTX, "Submission {0} changed since it was loaded; reload it.").format(submission_id)
            if decidable
            else tr(_CTX, "Submission {0} was already decided ({1}) by {2}; reload it.").format(
                submission_id, submission_state_label(state) if state else "?", by or "?"
            )
        )
