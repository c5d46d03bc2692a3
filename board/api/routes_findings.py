"""Routes of extra work (追加维修): a technician's finding with a photo, the advisor's price, the customer's yes or no from his phone.

Registered in the one registry (board/api/registry.py) like every route; the rules live in board/services/.
The customer's own page (no sign-in, the link's token is the credential) is board/approval_page.py, not here."""

from __future__ import annotations

import re
from typing import Any

from starlette.responses import Response

from board.api.answers_findings import FindingOut, SentLink
from board.api.registry import api
from board.auth.principal import require_own_job
from board.auth.roles import ADVISORS, WORKSHOP
from board.boards.findings import cards
from board.context import Ctx
from board.db.models import Finding, Job
from board.errors import NotFound
from board.services import findings, photos
from board.services.finding_commands import DecisionIn, FindingIn, FindingsQuery, PriceIn, VersionIn

S = "/api/shops/{shop}/findings"
Result = tuple[int, Any]
PHOTO_UPLOAD = re.compile(r"^/api/shops/[^/]+/findings/[0-9]+/photo$")


def body_limit(path: str) -> int | None:
    """The photo upload's own size cap, for the body guard in front of everything (board/app.py)."""
    return photos.MAX_UPLOAD_BYTES if PHOTO_UPLOAD.match(path) else None


def one(ctx: Ctx, f: Finding) -> dict[str, Any]:
    ctx.session.flush()
    return cards(ctx, [f])[0]


@api("GET", S, "Findings (extra work), newest first: by status, a car's plate (its history), a repair order, an advisor's customers",
     query=FindingsQuery, response=list[FindingOut])
def list_findings(ctx: Ctx, query: FindingsQuery) -> Result:
    return 200, cards(ctx, findings.listing(ctx, query))


@api("POST", S, "Report extra work found on a job (a technician: on his own); the job stops 'waiting for approval' unless he carries on",
     body=FindingIn, roles=WORKSHOP, response=FindingOut)
def report_finding(ctx: Ctx, body: FindingIn) -> Result:
    require_own_job(ctx.asker, ctx.ref(Job, body.job_id, "job_id", "job").technician_id)
    return 201, one(ctx, findings.report(ctx, body))


@api("GET", S + "/{finding_id:int}", "One finding", response=FindingOut)
def get_finding(ctx: Ctx, finding_id: int) -> Result:
    return 200, one(ctx, ctx.get(Finding, finding_id, "finding"))


@api("POST", S + "/{finding_id:int}/photo", "The finding's photo: the image file itself as the body (JPEG, PNG or WebP, at most 8 MB); "
     "kept re-encoded as a JPEG of at most 1600 px with no metadata (no EXIF, no GPS)", raw_body="image/jpeg", prepare=photos.clean,
     roles=WORKSHOP, response=FindingOut)
def add_photo(ctx: Ctx, body: photos.CleanPhoto, finding_id: int) -> Result:
    require_own_job(ctx.asker, ctx.get(Finding, finding_id, "finding").found_by)
    return 200, one(ctx, findings.attach_photo(ctx, finding_id, body))


@api("GET", S + "/{finding_id:int}/photo", "The finding's photo (JPEG)", response=bytes, media_type=photos.MEDIA_TYPE)
def get_photo(ctx: Ctx, finding_id: int) -> Result:
    photo = findings.photo_of(ctx, ctx.get(Finding, finding_id, "finding"))
    if photo is None:
        raise NotFound("photo of finding", finding_id)
    return 200, Response(photo.content, media_type=photo.media_type, headers={"Cache-Control": "private, max-age=86400"})


@api("POST", S + "/{finding_id:int}/price", "Price the extra work: operation, skill and level, standard hours, bay kind, parts "
     "(labour = hours × the shop's labour rate); a link already sent stops working", body=PriceIn, roles=ADVISORS, response=FindingOut)
def price_finding(ctx: Ctx, body: PriceIn, finding_id: int) -> Result:
    return 200, one(ctx, findings.price(ctx, finding_id, body))


@api("POST", S + "/{finding_id:int}/link", f"Send the customer a personal link to approve or decline (valid {findings.LINK_HOURS} h, "
     "one decision; shown once, only its hash is kept; an earlier link stops working)", body=VersionIn, roles=ADVISORS, response=SentLink)
def send_link(ctx: Ctx, body: VersionIn, finding_id: int) -> Result:
    f, token = findings.send_link(ctx, finding_id, body)
    out = one(ctx, f)
    return 201, {"finding": out, "token": token, "url": f"/approve/{ctx.shop.code}/{token}", "expires_at": out["link_expires_at"]}


@api("POST", S + "/{finding_id:int}/decision", "Record the customer's answer given on the phone: approve (a job line is added and "
     "planned) or decline (kept for the follow-up call and the next visit)", body=DecisionIn, roles=ADVISORS, response=FindingOut)
def record_decision(ctx: Ctx, body: DecisionIn, finding_id: int) -> Result:
    return 200, one(ctx, findings.decide_by_phone(ctx, finding_id, body))
