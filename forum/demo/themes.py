"""Demo themes from employment support, for `seed-demo`.

Idempotent: a theme already there under the same name (in any case) is left as it is.
"""

from __future__ import annotations

from sqlalchemy import select

from forum.extensions import db
from forum.themes import services
from forum.themes.models import Theme

#: (name, description): the vocabulary an employment support service might start with.
THEMES = (
    ("Mental health",
     "Supporting jobseekers whose anxiety, depression or other mental health needs affect their route into work."),
    ("Confidence and motivation",
     "Rebuilding belief and momentum after long spells out of work, setbacks or repeated rejections."),
    ("Debt and money",
     "Helping people whose money worries, arrears or debts get in the way of looking for or keeping work."),
    ("Housing",
     "Job searching while homeless, in temporary accommodation or facing eviction, and the agencies that can help."),
    ("Caring responsibilities",
     "Fitting work around caring for children, partners or relatives, and finding flexible roles and support."),
    ("Disability and long-term conditions",
     "Work that fits a health condition or disability, reasonable adjustments and phased returns."),
    ("Highly qualified jobseekers",
     "People with degrees or professional careers who are struggling to find work at their level."),
    ("Job retention",
     "Helping someone stay in work when health, circumstances or workplace problems put their job at risk."),
    ("Interview skills",
     "Preparing for interviews, assessment centres and telephone or video screening."),
    ("In-work progression",
     "Moving on from a first job: more hours, better pay, training and promotion."),
    ("Employer engagement",
     "Building relationships with employers, job carving, work trials and inclusive recruitment."),
    ("Criminal convictions",
     "Disclosure, the rules on spent convictions, and employers open to people with a record."),
    ("English language and literacy",
     "Jobseekers learning English or improving reading and writing, and courses that help."),
    ("Digital skills",
     "Getting online, using email and job sites, and the basic computer skills employers expect."),
    ("Neurodiversity",
     "Autism, ADHD, dyslexia and other differences: strengths, adjustments and recruitment barriers."),
    ("Older jobseekers",
     "People over fifty facing age bias, changing industries or retraining late in their careers."),
    ("Young people",
     "First jobs, apprenticeships and traineeships for young people leaving education or care."),
    ("Self-employment",
     "Testing a business idea, start-up support and how self-employment affects benefits."),
    ("Universal Credit and benefits",
     "How work, hours and earnings interact with Universal Credit and other benefits."),
    ("Access to Work",
     "Applying for Access to Work grants for equipment, support workers and travel to work."),
)


def seed_themes() -> list[Theme]:
    """Create the demo themes that are missing; return them all, in the order above."""
    existing = {theme.name.casefold(): theme for theme in db.session.scalars(select(Theme))}
    themes = []
    for name, description in THEMES:
        theme = existing.get(name.casefold())
        if theme is None:
            theme = services.add(name, description)
            existing[name.casefold()] = theme
        themes.append(theme)
    return themes
