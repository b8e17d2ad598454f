"""Every model, imported in one place so migrations and tests see the whole schema."""

from __future__ import annotations

from forum.accounts.models import Invitation, RecoveryCode, SignInSession, Team, TwoFactor, User
from forum.audit import AuditEntry
from forum.circles.models import Circle, Membership
from forum.meetings.models import (ActionPoint, AgendaItem, Attendance, CalendarFeed, HeardMark, Meeting,
                                   ReminderChoice, ReminderSent, Rsvp, Schedule,
                                   SeriesAnswer)
from forum.cases.models import Bookmark, Helpful, Post, PrivacyFinding, Reply, Revision, StoryOutcome
from forum.dataprotection.models import RetentionSetting
from forum.insights.models import DirtyMark, MonthlyFigure
from forum.knowledge.models import HelperOffer, RoutedCase, WelcomeProgress
from forum.learning.models import Goal, GoalTheme, Reflection, Share
from forum.mail import OutboxMail
from forum.notifications.models import DigestRun, EmailPreference, Follow, Notification
from forum.outcomes.models import FollowUpPrompt, FollowUpStop, OutcomeUpdate, OutcomeUpdateType, StoryOrigin
from forum.themes.models import Theme
from forum.moderation.models import Flag, ModerationAction, ReviewItem
from forum.settings import SiteSetting

__all__ = ["ActionPoint", "AgendaItem", "Attendance", "HeardMark", "AuditEntry", "Bookmark", "CalendarFeed", "Circle", "Meeting", "Membership",
           "ReminderChoice", "SeriesAnswer",
           "RecoveryCode", "ReminderSent", "Rsvp", "Schedule", "DigestRun", "EmailPreference", "Follow", "Helpful",
           "Invitation", "Flag", "ModerationAction", "Notification", "OutboxMail", "Post", "ReviewItem", "SiteSetting", "PrivacyFinding",
           "Reply", "RetentionSetting", "Revision", "SignInSession", "Team", "Theme", "TwoFactor", "User",
           "FollowUpPrompt", "FollowUpStop", "Goal", "GoalTheme", "HelperOffer", "Reflection", "RoutedCase", "Share",
           "WelcomeProgress", "DirtyMark", "MonthlyFigure", "OutcomeUpdate", "OutcomeUpdateType", "StoryOrigin", "StoryOutcome"]

#: Tables made by hand in migrations (full-text indexes), which the models do not describe.
HAND_MADE_TABLE_PREFIXES = ("search_",)


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Tell Alembic's autogenerate to leave hand-made objects alone."""
    return not (type_ == "table" and name.startswith(HAND_MADE_TABLE_PREFIXES))
