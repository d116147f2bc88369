"""One passback's message: prepared from the LMS and the database in the worker's own thread,
then sent with HTTP alone, so several can be in flight at once (``grades/batch.py``)."""

from __future__ import annotations

from dataclasses import dataclass

from lti_1p3_provider import outbound
from lti_1p3_provider.core import pox
from lti_1p3_provider.core.claims import SCOPE_LINEITEM, SCOPE_SCORE
from lti_1p3_provider.edxapp import api as edxapp
from lti_1p3_provider.grades import ags, basic_outcomes, progress
from lti_1p3_provider.models import ScorePassback


class NothingToSend(Exception):
    """The content has no gradable part or the launch has no line item to send to."""


@dataclass
class Outgoing:
    """A claimed row ready to send: everything the LMS and the database had to say is read.

    ``score`` for AGS, ``ratio`` for LTI 1.1 Basic Outcomes; ``label`` names the line item to
    create when the row has none yet.
    """

    row: ScorePassback
    version: int
    scopes: tuple[str, ...] = ()
    score: ags.AgsScore | None = None
    ratio: float | None = None
    label: str = ""

    @property
    def needs_token(self) -> bool:
        """True for AGS (a bearer token per scope set); LTI 1.1 signs with its shared secret."""
        return self.ratio is None


def scopes(row: ScorePassback) -> tuple[str, ...]:
    """The AGS scopes the row's launch granted that delivery uses."""
    granted = set(row.launch.ags_scopes)
    return tuple(s for s in (SCOPE_LINEITEM, SCOPE_SCORE) if s in granted)


def prepare(row: ScorePassback) -> Outgoing:
    """Read the score, its progress and the line item's label; NothingToSend when none is due."""
    version = row.version
    # A composite's problems are read once: a section's points and the AGS progress come from it.
    wanted = row.is_composite and (row.score_maximum is None or row.consumer is None)
    problems = progress.composite_problems(row) if wanted else None
    if row.score_maximum is None:
        # A section or course (or a reset of a problem without a set weight): read what the
        # LMS has stored; the row is only due after SUBSECTION_SCORE_CHANGED (ADR 0004).
        score = progress.stored_score(row, problems)
        if score is None:
            raise NothingToSend("The launched content has no gradable problems.")
        row.score_given, row.score_maximum = score.earned, score.possible
    if not row.score_maximum or row.score_maximum <= 0:
        raise NothingToSend("The content's maximum score is 0: there is nothing to grade.")
    if row.consumer is not None:  # LTI 1.1 Basic Outcomes: one signed replaceResult
        ratio = pox.normalised(float(row.score_given or 0.0), float(row.score_maximum))
        return Outgoing(row, version, ratio=ratio)
    granted = scopes(row)
    outgoing = Outgoing(row, version, scopes=granted)
    outgoing.score = ags.AgsScore(
        user_id=row.lti_user_id,
        score_given=max(0.0, float(row.score_given or 0.0)),
        score_maximum=float(row.score_maximum),
        timestamp=row.scored_at.isoformat(),
        activity_progress=progress.activity_progress(row, problems),
    )
    if not row.lineitem_url:
        if SCOPE_LINEITEM not in granted or not _lineitems_url(row):
            raise NothingToSend("The launch has no line item and may not create one.")
        outgoing.label = edxapp.get_block(row.usage_key).display_name
    outbound.service_hosts(row.tool)  # reads the registration's policy here, not when sending
    return outgoing


def transmit(outgoing: Outgoing, token: str) -> None:
    """Send the prepared message (HTTP only: no database, no LMS); AgsError on failure."""
    row = outgoing.row
    if outgoing.ratio is not None:
        basic_outcomes.replace_result(
            row.consumer, row.lineitem_url, row.result_sourcedid, outgoing.ratio
        )
        return
    assert outgoing.score is not None  # prepare() sets it for every AGS row
    created_now = not row.lineitem_url
    if created_now:
        row.lineitem_url = ags.find_or_create_lineitem(
            row.tool,
            token,
            _lineitems_url(row),
            resource_link_id=row.resource_link_id,
            tag=str(row.usage_key),
            label=outgoing.label,
            score_maximum=float(row.score_maximum or 1.0),
        )
    try:
        ags.post_score(row.tool, token, row.lineitem_url, outgoing.score)
    except ags.AgsError as exc:
        if exc.status != 404 or created_now or row.lineitem_url == row.launch.lineitem_url:
            raise
        _forget_deleted_lineitem(row, exc)


def _lineitems_url(row: ScorePassback) -> str:
    value = (row.launch.ags_claim or {}).get("lineitems")
    return value if isinstance(value, str) else ""


def _forget_deleted_lineitem(row: ScorePassback, error: ags.AgsError) -> None:
    """A column this tool created earlier answers 404: someone deleted it on the platform.

    The next attempt creates it again, so the score is not lost. Not for a line item the
    platform named in the launch (the tool cannot recreate that one), nor for one created in
    this very attempt (a platform that answers 404 for items it just made would otherwise get
    a new column on every retry).
    """
    row.lineitem_url = ""
    raise ags.AgsError(
        f"the line item this tool created is gone ({error}); the next attempt creates it again",
        status=404,
    ) from error
