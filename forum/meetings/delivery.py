"""What leaves the forum about meetings: calendar files and reminder emails.
Titles and links only: never case text or nomination notes."""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import urlsplit


from sqlalchemy import select

from forum import mail
from forum.accounts.models import User
from forum.extensions import db
from forum.meetings import ics, services
from forum.meetings.models import Answer, Meeting, MeetingStatus, ReminderSent
from forum.mail import link
from forum.timeutil import as_utc, format_datetime, utcnow


def _domain() -> str:
    return urlsplit(link("pages.home")).hostname or "adviser-forum"


def calendar_for(meetings: list[Meeting], name: str) -> bytes:
    titles = services.agenda_titles([meeting.id for meeting in meetings])
    names = services.circle_names({meeting.circle_id for meeting in meetings})
    domain = _domain()
    events = []
    for meeting in meetings:
        url = link("meetings.show", meeting_id=meeting.id)
        agenda = titles.get(meeting.id, [])
        description = ("Agenda:\n" + "\n".join(f"- {title}" for title in agenda) if agenda else "No agenda yet.") + f"\n\n{url}"
        events.append(ics.CalendarEvent(
            uid=ics.uid_for(meeting.id, domain), starts_at=meeting.starts_at, ends_at=meeting.ends_at,
            timezone=meeting.timezone, summary=f"{names.get(meeting.circle_id, 'Circle')}: case discussion",
            description=description, url=url, location=meeting.call_link or None, sequence=meeting.sequence,
            cancelled=meeting.status == MeetingStatus.CANCELLED, last_modified=meeting.updated_at))
    return ics.calendar(events, name)


#: The reminders a person may choose, each with how long before the start it is due.
REMINDERS = (("24h", timedelta(hours=24)), ("2h", timedelta(hours=2)))


def send_reminders(now: datetime | None = None) -> int:
    """Email members the reminders they chose (24 hours before, 2 hours before, both or none;
    24 hours by default), each once per person per meeting. Not to those who said they are not
    going. When both are due at once (a meeting added late) only the nearer one is sent."""
    now = now or utcnow()
    due = list(db.session.scalars(select(Meeting).where(
        Meeting.status == MeetingStatus.SCHEDULED, Meeting.starts_at > now, Meeting.starts_at <= now + REMINDERS[0][1])))
    answers = services.effective_answers([meeting.id for meeting in due])
    sent = 0
    for meeting in due:
        reminded = set(tuple(row) for row in db.session.execute(select(ReminderSent.user_id, ReminderSent.kind)
                                          .where(ReminderSent.meeting_id == meeting.id)))
        titles = services.agenda_titles([meeting.id]).get(meeting.id, [])
        circle = services.circle_names({meeting.circle_id}).get(meeting.circle_id, "your circle")
        for person in services.active_members(meeting.circle_id):
            if answers[meeting.id].get(person.id) == Answer.NOT_GOING:
                continue
            wanted = services.REMINDER_CHOICES[services.reminder_choice(person)]
            kinds = [kind for (kind, before), on in zip(REMINDERS, wanted, strict=True)
                     if on and as_utc(meeting.starts_at) <= now + before and (person.id, kind) not in reminded]
            if not kinds:
                continue
            for kind in kinds:
                db.session.add(ReminderSent(meeting_id=meeting.id, user_id=person.id, kind=kind, sent_at=now))
            _remind(person, meeting, circle, titles)
            db.session.commit()  # the record and the email together: never twice, never lost
            sent += 1
    return sent


def _remind(person: User, meeting: Meeting, circle: str, titles: list[str]) -> None:
    when = format_datetime(meeting.starts_at, person.timezone)
    mail.send_template(person.email, f"Reminder: {circle} meets {when}", "email/meeting_reminder",
                       person=person, circle=circle, when=when, titles=titles, call_link=meeting.call_link,
                       meeting_link=link("meetings.show", meeting_id=meeting.id))


