"""The MIME message: text/plain and HTML alternatives, pictures attached by Content-ID.

multipart/alternative [text/plain, multipart/related [text/html, image/jpeg…]]: the
structure that shows embedded pictures in Gmail, Outlook and Apple Mail without a
"load remote images" prompt.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from pathlib import Path

from .digest import MAX_PICTURES
from .model import Digest
from .pictures import email_picture
from .render import render_html, render_text


@dataclass(frozen=True)
class Picture:
    cid: str        # without the angle brackets
    data: bytes


def attach_pictures(digest: Digest, root: Path | None = None) -> list[Picture]:
    """Read and shrink the top problems' pictures; each problem that has one gets its cid."""
    pictures: list[Picture] = []
    for problem in digest.top:
        if len(pictures) >= MAX_PICTURES or not problem.picture:
            continue
        path = Path(problem.picture)
        if root is not None and not path.is_absolute():
            path = root / path
        made = email_picture(path, problem.box)
        if made is None:
            continue
        problem.cid = make_msgid("uxmon-picture")[1:-1]
        problem.picture_width = made[1]
        pictures.append(Picture(problem.cid, made[0]))
    return pictures


def build_message(digest: Digest, sender: str, to: Sequence[str], *, pictures: Sequence[Picture] = (),
                  reply_to: str = "", now: datetime | None = None) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = digest.subject
    message["From"] = sender
    if to:  # a preview written without recipients has none
        message["To"] = ", ".join(to)
    if reply_to:
        message["Reply-To"] = reply_to
    message["Date"] = format_datetime(now or datetime.now().astimezone())
    domain = parseaddr(sender)[1].rpartition("@")[2] or "uxmon.invalid"
    message["Message-ID"] = make_msgid("uxmon", domain=domain)
    message["Auto-Submitted"] = "auto-generated"
    message["X-Auto-Response-Suppress"] = "All"  # no out-of-office replies from Exchange
    message.set_content(render_text(digest), cte="quoted-printable")
    message.add_alternative(render_html(digest), subtype="html", cte="quoted-printable")
    html = message.get_payload()[1]  # type: ignore[index]
    assert isinstance(html, EmailMessage)
    for picture in pictures:
        html.add_related(picture.data, "image", "jpeg", cid=f"<{picture.cid}>",
                         disposition="inline", filename=f"{picture.cid.split('@')[0]}.jpg")
    return message
