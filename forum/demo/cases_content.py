"""Demo cases and success stories for `seed-demo`: plain data, no app imports.

Written as UK employment advisers (Restart-style employment support) sharing with colleagues.
Every text is clearly fictional and deliberately free of personal identifiers: no names,
ages, dates, contact details, postcodes, addresses, small towns, schools or named small
employers. The privacy guard scans them in tests/demo/test_cases_content.py.

`author` (and each reply's `author`) is an index 0..7 into the demo advisers; `days_ago`
spreads activity over the last four months. Theme values are slugs of the demo themes.
"""

from __future__ import annotations

from typing import Any

#: Slugs of the demo themes (see forum/demo/themes.py), in the same order.
THEME_SLUGS = (
    "mental-health", "confidence-and-motivation", "debt-and-money", "housing",
    "caring-responsibilities", "disability-and-long-term-conditions", "highly-qualified-jobseekers",
    "job-retention", "interview-skills", "in-work-progression", "employer-engagement",
    "criminal-convictions", "english-language-and-literacy", "digital-skills", "neurodiversity",
    "older-jobseekers", "young-people", "self-employment", "universal-credit-and-benefits",
    "access-to-work",
)

#: How many demo advisers the `author` indexes point into.
AUTHOR_COUNT = 8

OUTCOME_TYPES = (
    "started_work", "stayed_in_work", "education_or_training", "volunteering",
    "confidence_or_wellbeing", "other",
)

CASES: list[dict[str, Any]] = [
    {
        "title": "Jobseeker freezes on telephone screening calls but interviews well face to face",
        "situation": (
            "My client has a strong warehouse and retail background and comes across brilliantly in "
            "person. The problem is the first stage: most employers in our area now use a short "
            "telephone screen, and she goes completely blank as soon as the call starts. She has "
            "missed out on three roles this way and is starting to avoid applying at all."
        ),
        "tried": (
            "We have practised mock calls in the office, and she wrote a crib sheet of her key "
            "examples. It helps in practice, but on the real call the anxiety takes over. She has "
            "talked to her GP and is on the waiting list for talking therapy."
        ),
        "ask": (
            "Has anyone found a way to make telephone screening less daunting? I am also wondering "
            "whether it is reasonable to ask employers for a video or in-person first stage instead."
        ),
        "themes": ["mental-health", "interview-skills"],
        "anonymous": False,
        "author": 0,
        "days_ago": 4,
        "replies": [
            {
                "author": 3,
                "body": (
                    "Asking for an adjustment is completely reasonable, especially if the anxiety is "
                    "long-standing. I have had good results by calling the recruiter first myself, "
                    "with consent, and simply asking whether the first stage can be a video call. "
                    "Most say yes straight away."
                ),
                "anonymous": False,
            },
            {
                "author": 5,
                "body": (
                    "One small thing that worked for a client of mine: take the call standing up, "
                    "with the crib sheet stuck to the wall at eye level. It sounds silly, but it "
                    "stopped the paper-rustling panic and gave him something to look at."
                ),
                "anonymous": False,
            },
        ],
        "outcome_update": (
            "Thank you both. The recruiter agreed to a video first stage, she prepared with the crib "
            "sheet on the wall, and she has been offered a part-time role in a supermarket. "
            "**She starts next week.**"
        ),
        "resolved": True,
        "outcome_types": ["started_work", "more_confident"],
    },
    {
        "title": "Former engineering manager applying for everything and hearing nothing back",
        "situation": (
            "The jobseeker spent most of his career managing maintenance teams in manufacturing "
            "before the site closed. He has a degree and chartered status, and he is now applying "
            "for anything and everything, from operative roles to senior management. He has had no "
            "interviews in several months and his confidence is visibly dropping."
        ),
        "tried": (
            "We have reworked his CV twice and he has registered with a couple of specialist "
            "agencies. I suspect the CV is putting off entry-level employers and that senior roles "
            "are going to people already in work."
        ),
        "ask": (
            "How do you help someone like this focus? Should he have two CVs, and are there schemes "
            "for experienced professionals that I should know about?"
        ),
        "themes": ["highly-qualified-jobseekers", "confidence-and-motivation"],
        "anonymous": False,
        "author": 1,
        "days_ago": 11,
        "replies": [
            {
                "author": 2,
                "body": (
                    "Two CVs, definitely, and a clear story for each. For the senior one, I would "
                    "push him towards his professional body: many run free career support and "
                    "mentoring for members between roles."
                ),
                "anonymous": False,
            },
            {
                "author": 6,
                "body": (
                    "I would also gently explore whether he actually wants to go back to management. "
                    "Some of my clients from similar backgrounds were happier in a technical role "
                    "with less pressure, and once they admitted that the applications got much more "
                    "targeted."
                ),
                "anonymous": True,
            },
            {
                "author": 4,
                "body": (
                    "Interim and contract work is worth a look too. It gets something current on the "
                    "CV quickly and agencies are often less worried about someone being "
                    "overqualified for a fixed term."
                ),
                "anonymous": False,
            },
        ],
        "outcome_update": "",
        "resolved": False,
    },
    {
        "title": "Rent arrears and enforcement letters are taking over every appointment",
        "situation": (
            "My client is behind on rent and council tax and has started receiving enforcement "
            "letters. Every appointment ends up being about the latest letter rather than work. He "
            "is not sleeping and says there is no point getting a job because the money will all "
            "go on debts anyway."
        ),
        "tried": (
            "I gave him details of a free debt advice service, but he has not called them. I have "
            "also tried to keep part of each meeting for job search, but it does not really land "
            "while he is this worried."
        ),
        "ask": (
            "How do others balance urgent money problems with the employment side? Is a warm "
            "handover to debt advice worth the time it takes?"
        ),
        "themes": ["debt-and-money", "housing"],
        "anonymous": True,
        "author": 2,
        "days_ago": 18,
        "replies": [
            {
                "author": 7,
                "body": (
                    "A warm handover is always worth it in my experience. I sit with the client and "
                    "make the first call together on speakerphone; once the debt adviser has the "
                    "letters, the client can hand over the worry and we get our appointments back."
                ),
                "anonymous": False,
            },
            {
                "author": 0,
                "body": (
                    "Also check with the housing team at the council: if he is at risk of losing "
                    "the tenancy, they may have a homelessness prevention fund or be able to "
                    "negotiate with the landlord. A **discretionary housing payment** can sometimes "
                    "cover a gap while he gets into work."
                ),
                "anonymous": False,
            },
        ],
        "outcome_update": (
            "We made the call together and a debt adviser is now dealing with the creditors, with "
            "breathing space in place. He is sleeping better and we have started looking at "
            "delivery driving roles again."
        ),
        "resolved": True,
        "outcome_types": ["barrier_removed", "wellbeing_better"],
        "barriers": ["debt"],
    },
    {
        "title": "Young jobseeker sofa-surfing with no fixed address for applications",
        "situation": (
            "The young person I am working with left the family home after a breakdown in "
            "relationships and is staying with different friends each week. He is keen to work and "
            "has some kitchen experience, but application forms want an address and he is worried "
            "about what employers will think."
        ),
        "tried": (
            "I have referred him to the council's housing options team and to a youth homelessness "
            "charity. We have been using our office as a contact point for letters in the meantime."
        ),
        "ask": (
            "What have others done about addresses on applications in this situation? And is it "
            "better to wait until housing is sorted before pushing the job search?"
        ),
        "themes": ["housing", "young-people"],
        "anonymous": False,
        "author": 3,
        "days_ago": 25,
        "replies": [
            {
                "author": 1,
                "body": (
                    "I would not wait. A job can actually help with housing, because a lot of "
                    "supported lodgings and shared housing providers like to see some income. For "
                    "the address, many employers are happy with a care-of address, and the "
                    "homelessness charity may offer one too."
                ),
                "anonymous": False,
            },
            {
                "author": 4,
                "body": (
                    "Make sure he has a bank account that does not need proof of address. Some "
                    "banks accept a letter from a support worker instead, which also helps with "
                    "getting paid once he starts."
                ),
                "anonymous": False,
            },
        ],
        "outcome_update": "",
        "resolved": False,
    },
    {
        "title": "Single parent can only work school hours: where are the jobs?",
        "situation": (
            "My client is bringing up two primary-age children on her own and can only work "
            "between drop-off and pick-up. She has admin experience and would like an office role, "
            "but almost every vacancy she sees is full time."
        ),
        "tried": (
            "We have filtered job boards for part-time roles and she has applied for a few school "
            "office and lunchtime supervisor posts. She is also worried about how Universal Credit "
            "will change if she starts working."
        ),
        "ask": (
            "Which sectors or employers have you found most open to school-hours contracts? And "
            "what is the simplest way to explain the childcare costs element to a nervous client?"
        ),
        "themes": ["caring-responsibilities", "universal-credit-and-benefits"],
        "anonymous": False,
        "author": 4,
        "days_ago": 33,
        "replies": [
            {
                "author": 5,
                "body": (
                    "Larger employers with a flexible working policy are usually the best bet: "
                    "housing associations, the NHS admin side and the civil service all advertise "
                    "term-time contracts. It is also worth applying for full-time roles and asking "
                    "about flexibility at offer stage."
                ),
                "anonymous": False,
            },
            {
                "author": 2,
                "body": (
                    "On childcare, I tell clients that Universal Credit can pay back up to 85% of "
                    "eligible costs, and that they need to report the costs promptly with receipts. "
                    "A better-off calculation with her own figures usually does more than any "
                    "explanation."
                ),
                "anonymous": False,
            },
            {
                "author": 7,
                "body": (
                    "Breakfast and after-school clubs can stretch the working window more than "
                    "people expect. Worth checking what the school offers before ruling out a "
                    "slightly longer day."
                ),
                "anonymous": True,
            },
        ],
        "outcome_update": "",
        "resolved": False,
    },
    {
        "title": "How and when to disclose an unspent conviction at interview",
        "situation": (
            "The jobseeker has an unspent conviction and finished his licence period recently. He "
            "is motivated and has a forklift licence, but he dreads the conversation about his "
            "record and has walked out of an interview before when it came up."
        ),
        "tried": (
            "We have looked at which roles need a basic check and which do not. I have talked him "
            "through the rules on spent and unspent convictions, but he still finds it hard to put "
            "into words."
        ),
        "ask": (
            "Do you have a structure you use to help people prepare a disclosure statement? I would "
            "also welcome suggestions of employers known to be open to people with convictions."
        ),
        "themes": ["criminal-convictions", "interview-skills"],
        "anonymous": True,
        "author": 5,
        "days_ago": 40,
        "replies": [
            {
                "author": 6,
                "body": (
                    "I use a simple three-part structure:\n\n"
                    "- **What happened**, briefly and without excuses\n"
                    "- **What has changed** since, with evidence such as courses or work\n"
                    "- **Why he is ready now** and what he offers this employer\n\n"
                    "Writing it down as a short letter first takes a lot of the fear out of saying it."
                ),
                "anonymous": False,
            },
            {
                "author": 3,
                "body": (
                    "The charities that specialise in this area have good online guides and an "
                    "advice line for the jobseeker. There is also a network of employers who have "
                    "committed to fair chance recruitment, and several big logistics firms are part "
                    "of it."
                ),
                "anonymous": False,
            },
        ],
        "outcome_update": (
            "He wrote and practised his disclosure letter and used it at an interview with a "
            "logistics firm. They thanked him for being open and he has been offered a trial shift."
        ),
        "resolved": False,
        "outcome_types": ["more_confident"],
    },
    {
        "title": "Experienced nurse from overseas working nights in a warehouse",
        "situation": (
            "My client trained and worked as a nurse abroad for many years before coming to the UK. "
            "Her spoken English is improving quickly, but her written English is still at an early "
            "level. She is currently doing night shifts in a warehouse and feels she is losing her "
            "skills."
        ),
        "tried": (
            "She has enrolled on an ESOL course at the local college. I have looked at the "
            "registration process for overseas nurses, but the language test requirement feels a "
            "long way off for her."
        ),
        "ask": (
            "Are there stepping-stone roles that would use her experience while she works towards "
            "registration? Has anyone supported someone through this route before?"
        ),
        "themes": ["english-language-and-literacy", "highly-qualified-jobseekers"],
        "anonymous": False,
        "author": 6,
        "days_ago": 47,
        "replies": [
            {
                "author": 0,
                "body": (
                    "Healthcare assistant roles are the usual stepping stone. Many hospital trusts "
                    "run recruitment days and some have specific support for internationally "
                    "educated nurses, including help with the language test. It keeps her close to "
                    "the work and builds her professional English."
                ),
                "anonymous": False,
            },
            {
                "author": 1,
                "body": (
                    "Care homes are often more flexible on written English at the start and will "
                    "fund care certificates. Not the same as nursing, but much better for her "
                    "confidence than nights in a warehouse."
                ),
                "anonymous": False,
            },
        ],
        "outcome_update": "",
        "resolved": False,
    },
    {
        "title": "No email address and never used a computer: where to start?",
        "situation": (
            "The jobseeker worked for decades in a factory that recruited by word of mouth. He has "
            "never needed email or online applications and has an old phone that only makes calls. "
            "Every vacancy he is interested in now asks him to apply online."
        ),
        "tried": (
            "I set up an email address with him in the appointment, but he had forgotten the "
            "password by the next week. He is embarrassed and tends to change the subject when we "
            "come to it."
        ),
        "ask": (
            "What has worked for you with someone starting from zero? Any free courses that are "
            "gentle enough for a complete beginner?"
        ),
        "themes": ["digital-skills", "older-jobseekers"],
        "anonymous": False,
        "author": 7,
        "days_ago": 52,
        "replies": [
            {
                "author": 4,
                "body": (
                    "Libraries are brilliant for this. Many run small, friendly drop-in sessions "
                    "with volunteers who go at the learner's pace, and nobody there will make him "
                    "feel silly. I would book the first one with him and go along if you can."
                ),
                "anonymous": False,
            },
            {
                "author": 2,
                "body": (
                    "For passwords, a small notebook kept at home is fine to start with. Perfect "
                    "security can come later; getting him logged in every week matters more right "
                    "now."
                ),
                "anonymous": True,
            },
        ],
        "outcome_update": "",
        "resolved": False,
    },
    {
        "title": "Autistic jobseeker keeps failing group assessment centres",
        "situation": (
            "My client is autistic, has a good degree and excellent attention to detail. He gets "
            "through online tests easily but is then invited to group assessment days, where he "
            "struggles with the noise, the role-play exercises and the unwritten rules of group "
            "discussion."
        ),
        "tried": (
            "We have practised group exercises with another adviser, which helped a little. He is "
            "unsure about disclosing his diagnosis because he worries it will count against him."
        ),
        "ask": (
            "Has anyone successfully asked an employer to replace a group exercise with something "
            "else? I would also be grateful for wording that helps him ask for adjustments."
        ),
        "themes": ["neurodiversity", "interview-skills", "employer-engagement"],
        "anonymous": False,
        "author": 0,
        "days_ago": 58,
        "replies": [
            {
                "author": 5,
                "body": (
                    "Yes, several times. Larger employers usually have an adjustments contact in "
                    "their recruitment team. Asking for a **one-to-one task instead of the group "
                    "exercise**, plus the questions in advance, is a very common request and is "
                    "rarely refused."
                ),
                "anonymous": False,
            },
            {
                "author": 7,
                "body": (
                    "For wording, keep it practical rather than medical: \"I work best with clear "
                    "instructions and a quiet space. Could the group task be replaced with an "
                    "individual exercise?\" He does not have to name the diagnosis to ask."
                ),
                "anonymous": False,
            },
            {
                "author": 1,
                "body": (
                    "Worth looking at employers signed up to the Disability Confident scheme, and "
                    "at those running autism-friendly recruitment programmes in data and testing "
                    "roles. His attention to detail is exactly what they look for."
                ),
                "anonymous": False,
            },
        ],
        "outcome_update": (
            "He asked for an individual task at his next assessment day and it was agreed without "
            "fuss. He has been offered a data quality role with a large insurer."
        ),
        "resolved": True,
        "outcome_types": ["started_work"],
    },
    {
        "title": "Two weeks into a warehouse job and thinking of leaving over shift changes",
        "situation": (
            "The jobseeker started in a distribution centre recently after a long time out of work. "
            "The employer has now moved her onto a rotating shift pattern, and the late shifts clash "
            "with caring for her mother in the evenings. She has told me she will probably hand in "
            "her notice on Friday."
        ),
        "tried": (
            "I have talked through the positives of staying and asked whether any relatives could "
            "help on late-shift evenings. There is nobody else who can step in."
        ),
        "ask": (
            "Have others had success approaching an employer about a fixed shift this early on? I "
            "do not want to cost her the job by getting involved."
        ),
        "themes": ["job-retention", "caring-responsibilities"],
        "anonymous": False,
        "author": 1,
        "days_ago": 2,
        "replies": [],
        "outcome_update": "",
        "resolved": False,
    },
    {
        "title": "Client is afraid that taking part-time work will leave them worse off",
        "situation": (
            "My client has been out of work for several years and has been offered a part-time "
            "cleaning role. They are convinced that their Universal Credit will stop completely and "
            "that they will be worse off, and a friend has told them the same."
        ),
        "tried": (
            "I explained the taper in general terms, but I could see it was not sinking in. They "
            "have a lot of anxiety about money and about anything changing."
        ),
        "ask": (
            "What tools do you use for better-off calculations, and how do you present them so they "
            "actually reassure someone?"
        ),
        "themes": ["universal-credit-and-benefits", "confidence-and-motivation"],
        "anonymous": False,
        "author": 2,
        "days_ago": 6,
        "replies": [
            {
                "author": 3,
                "body": (
                    "I use one of the free online benefits calculators, but I fill it in *with* the "
                    "client, on their own figures, and then write the answer on a single sheet: "
                    "money now, money in work, difference per month. One number they can take home "
                    "and show the friend."
                ),
                "anonymous": False,
            },
        ],
        "outcome_update": "",
        "resolved": False,
    },
    {
        "title": "Testing a self-employment idea without losing the safety net",
        "situation": (
            "The jobseeker wants to set up as a mobile dog groomer. She has a qualification, some "
            "equipment and a lot of enthusiasm, but no business plan yet. She is on Universal Credit "
            "and has heard conflicting things about what happens when you go self-employed."
        ),
        "tried": (
            "I have referred her to a local start-up support programme, but the next intake is some "
            "weeks away. We have talked through costs and pricing in broad terms."
        ),
        "ask": (
            "How do you help someone test demand before they commit? And what are the key "
            "Universal Credit points they must understand, such as the start-up period?"
        ),
        "themes": ["self-employment", "universal-credit-and-benefits"],
        "anonymous": False,
        "author": 3,
        "days_ago": 14,
        "replies": [
            {
                "author": 6,
                "body": (
                    "The key points I go through:\n\n"
                    "- the **start-up period**, where the minimum income floor does not apply yet\n"
                    "- reporting income and expenses every month\n"
                    "- what gainful self-employment means and the interview that decides it\n\n"
                    "She should keep records from day one, even for small jobs."
                ),
                "anonymous": False,
            },
            {
                "author": 0,
                "body": (
                    "For testing demand, a few weekend sessions for friends of friends and a "
                    "simple booking page will tell her a lot. If people rebook, she has something."
                ),
                "anonymous": False,
            },
        ],
        "outcome_update": "",
        "resolved": False,
    },
    {
        "title": "Access to Work application stalled before a job start",
        "situation": (
            "My client has a visual impairment and has been offered an admin role. She needs "
            "screen-reading software and a large monitor, and the employer is supportive. The "
            "Access to Work application went in some weeks ago and there has been no response, "
            "while the start date keeps slipping."
        ),
        "tried": (
            "She has called the helpline twice and been told it is in the queue. The employer has "
            "asked whether they can start her without the equipment, which would not really work."
        ),
        "ask": (
            "Has anyone found a way to speed up an Access to Work decision? And can the employer buy "
            "the equipment and claim it back?"
        ),
        "themes": ["access-to-work", "disability-and-long-term-conditions"],
        "anonymous": True,
        "author": 4,
        "days_ago": 21,
        "replies": [
            {
                "author": 1,
                "body": (
                    "Make sure the application clearly shows a confirmed job offer and start date, "
                    "because applications with an imminent start are meant to be prioritised. It "
                    "is also worth asking for a workplace assessment to be booked now rather than "
                    "after the decision."
                ),
                "anonymous": False,
            },
            {
                "author": 7,
                "body": (
                    "Employers can buy equipment and claim back the agreed amount, but only once "
                    "the grant is approved, so they should get written agreement first. Some "
                    "employers have kit they can lend for the first few weeks, which bridged the "
                    "gap for one of my clients."
                ),
                "anonymous": False,
            },
        ],
        "outcome_update": (
            "The employer confirmed the start date in writing, the application was prioritised and "
            "the grant was approved shortly afterwards. She started last month with the right "
            "equipment in place."
        ),
        "resolved": True,
        "outcome_types": ["started_work", "barrier_removed"],
        "barriers": ["adjustments"],
    },
    {
        "title": "Fluctuating chronic pain: how to find work that fits the bad weeks",
        "situation": (
            "The jobseeker has a long-term pain condition that flares unpredictably. On good weeks "
            "he could manage most things, but on bad weeks he struggles to leave the house. He is "
            "worried that no employer will put up with the time off."
        ),
        "tried": (
            "We have looked at home-based customer service roles, and he has a fit note that "
            "supports a phased approach. He finds it hard to describe his condition positively."
        ),
        "ask": (
            "Which kinds of roles or employers have worked well for people with fluctuating "
            "conditions? How do you help someone talk about it at interview?"
        ),
        "themes": ["disability-and-long-term-conditions", "mental-health"],
        "anonymous": False,
        "author": 5,
        "days_ago": 29,
        "replies": [
            {
                "author": 2,
                "body": (
                    "Roles with flexible hours or annualised hours are worth seeking out, and "
                    "so are employers who let staff swap shifts through an app. A short health "
                    "passport that sets out what helps on bad days can make the conversation much "
                    "easier for both sides."
                ),
                "anonymous": False,
            },
        ],
        "outcome_update": "",
        "resolved": False,
    },
    {
        "title": "Cleaner on sixteen hours a week wants more, but the employer says no",
        "situation": (
            "My client has worked as an office cleaner for a while now and is reliable and well "
            "regarded. She wants more hours and better pay, but her employer says there are no "
            "extra hours available. She lacks confidence about applying elsewhere while in work."
        ),
        "tried": (
            "We have updated her CV to show her reliability and the supervisor cover she has done. "
            "She is not sure whether to ask her manager about progression or just leave."
        ),
        "ask": (
            "What approaches have worked for in-work progression with low-paid part-time staff? "
            "Should she look for a second job or a better single job?"
        ),
        "themes": ["in-work-progression", "universal-credit-and-benefits"],
        "anonymous": False,
        "author": 6,
        "days_ago": 36,
        "replies": [
            {
                "author": 4,
                "body": (
                    "A single better job is usually better than two part-time ones because of "
                    "travel and tiredness. Contract cleaning firms often promote from within to "
                    "supervisor, so I would encourage her to ask her manager directly what it "
                    "would take."
                ),
                "anonymous": False,
            },
            {
                "author": 3,
                "body": (
                    "She might also be able to get funded training, such as a cleaning "
                    "supervision or health and safety certificate, which gives her something "
                    "concrete to bring to that conversation."
                ),
                "anonymous": False,
            },
        ],
        "outcome_update": "",
        "resolved": False,
    },
    {
        "title": "Employer keen to recruit but turns down every candidate we send",
        "situation": (
            "A regional hotel group approached us wanting to recruit kitchen porters and "
            "housekeeping staff. We have sent several well-prepared candidates, but all of them "
            "have been turned down after interview. Feedback has been vague, along the lines of "
            "\"not the right fit\"."
        ),
        "tried": (
            "I have asked for more detailed feedback and offered to sit in on an interview. The "
            "head of housekeeping seems friendly but is very busy."
        ),
        "ask": (
            "How do you get honest feedback from an employer, and how do you rebuild a relationship "
            "when it is not working for either side?"
        ),
        "themes": ["employer-engagement"],
        "anonymous": False,
        "author": 7,
        "days_ago": 43,
        "replies": [
            {
                "author": 0,
                "body": (
                    "I would ask to spend an hour on site. Seeing the job and the team often "
                    "reveals what \"fit\" really means: it might be speed, early starts or simply "
                    "how people answer one particular question."
                ),
                "anonymous": False,
            },
            {
                "author": 5,
                "body": (
                    "Offering a short work trial instead of an interview has changed things for me "
                    "with hospitality employers. Managers who are poor at interviewing are often "
                    "very good at spotting a good worker on shift."
                ),
                "anonymous": False,
            },
        ],
        "outcome_update": (
            "After a site visit we agreed to replace the interview with a paid half-day trial. Two "
            "of our candidates have now been taken on in housekeeping."
        ),
        "resolved": True,
        "outcome_types": ["started_work"],
    },
    {
        "title": "Care leaver has no identity documents for right to work checks",
        "situation": (
            "The young person I am supporting left care recently and does not have a passport or "
            "driving licence. His birth certificate was lost in one of several moves. He has been "
            "offered a trial in a café but cannot complete the right to work check."
        ),
        "tried": (
            "I have contacted his personal adviser from the leaving care team. We have started an "
            "application for a replacement birth certificate but do not know how long it will take."
        ),
        "ask": (
            "What is the quickest route to acceptable ID in this situation? Are there funds that "
            "can cover the fees?"
        ),
        "themes": ["young-people", "debt-and-money"],
        "anonymous": False,
        "author": 0,
        "days_ago": 50,
        "replies": [],
        "outcome_update": "",
        "resolved": False,
    },
    {
        "title": "Thirty years in one trade, made redundant and feeling written off",
        "situation": (
            "My client worked for the same printing firm for most of his working life until it "
            "closed. He believes employers will not want someone of his generation and says he is "
            "\"too old to learn new tricks\". He is a skilled machine operator with a great work "
            "ethic."
        ),
        "tried": (
            "We have talked about transferable skills and looked at manufacturing vacancies. He "
            "did one interview, felt patronised, and has not wanted to apply since."
        ),
        "ask": (
            "What has helped older jobseekers you have worked with to see their experience as an "
            "asset? Are there employers actively recruiting experienced workers?"
        ),
        "themes": ["older-jobseekers", "confidence-and-motivation"],
        "anonymous": False,
        "author": 1,
        "days_ago": 57,
        "replies": [
            {
                "author": 6,
                "body": (
                    "Peer support made the biggest difference for my clients. A small group of "
                    "people in a similar position, meeting weekly, did more for confidence than "
                    "anything I said one to one."
                ),
                "anonymous": False,
            },
            {
                "author": 2,
                "body": (
                    "Food manufacturing and packaging firms often struggle to recruit experienced "
                    "machine operators. Reliability and long service are real selling points, so "
                    "put them at the top of his CV rather than apologising for them."
                ),
                "anonymous": False,
            },
            {
                "author": 4,
                "body": (
                    "There is a mid-life career review offer through the National Careers Service "
                    "that might help him reframe things with someone outside our service."
                ),
                "anonymous": True,
            },
        ],
        "outcome_update": "",
        "resolved": False,
    },
    {
        "title": "ADHD and repeated lateness: lost two jobs in probation",
        "situation": (
            "The jobseeker has ADHD and has lost two jobs during probation because of lateness and "
            "missed shifts. She is bright and good with customers, but mornings are a real struggle "
            "and she is now very down about it."
        ),
        "tried": (
            "We have talked about alarms and routines. She is on a waiting list for a medication "
            "review. She has never told an employer about her ADHD."
        ),
        "ask": (
            "What practical strategies or adjustments have helped your clients with ADHD keep a "
            "job? Would Access to Work cover coaching for this?"
        ),
        "themes": ["neurodiversity", "job-retention", "access-to-work"],
        "anonymous": True,
        "author": 2,
        "days_ago": 64,
        "replies": [
            {
                "author": 3,
                "body": (
                    "Access to Work can fund workplace strategy coaching for ADHD, and it made a "
                    "real difference for one of my clients. Later start times and a consistent "
                    "shift pattern are also reasonable adjustments worth asking for."
                ),
                "anonymous": False,
            },
            {
                "author": 5,
                "body": (
                    "Roles that start later in the day might suit her better: retail closing "
                    "shifts, hospitality, or evening customer service. Playing to her strengths "
                    "rather than fighting the mornings can work."
                ),
                "anonymous": False,
            },
        ],
        "outcome_update": "",
        "resolved": False,
    },
    {
        "title": "Dyslexic jobseeker dreading the written test for a driving job",
        "situation": (
            "My client wants to become a delivery driver and has a clean licence. The employer "
            "uses a written test on route planning and safety, and he has dyslexia, which he has "
            "never had formally assessed. He failed the test once and is reluctant to try again."
        ),
        "tried": (
            "We have done some practice questions together, reading them aloud. He does much better "
            "when he hears the questions rather than reading them."
        ),
        "ask": (
            "Can he ask for the test to be read aloud or for extra time without a formal diagnosis? "
            "Has anyone found a way to get an adult dyslexia screening quickly?"
        ),
        "themes": ["neurodiversity", "english-language-and-literacy"],
        "anonymous": False,
        "author": 3,
        "days_ago": 71,
        "replies": [
            {
                "author": 7,
                "body": (
                    "He does not need a diagnosis to ask for an adjustment. Extra time or having "
                    "questions read aloud are simple requests. Many adult education services offer "
                    "a free dyslexia screening, which is a useful start."
                ),
                "anonymous": False,
            },
        ],
        "outcome_update": "",
        "resolved": False,
    },
    {
        "title": "Gambling debts and shame: client hiding the real reason for missed appointments",
        "situation": (
            "After several missed appointments, my client eventually told me he has built up "
            "significant gambling debts. He is ashamed and has not told his family. He says he "
            "cannot think about work until the debts are sorted."
        ),
        "tried": (
            "I thanked him for telling me and gave him details of a gambling support service and a "
            "debt charity. He has not yet contacted either."
        ),
        "ask": (
            "How do you support someone with gambling problems without overstepping? Are there "
            "services that will make contact with the client directly?"
        ),
        "themes": ["debt-and-money", "mental-health"],
        "anonymous": True,
        "author": 4,
        "days_ago": 78,
        "replies": [
            {
                "author": 0,
                "body": (
                    "Some gambling support services accept referrals with consent and will call the "
                    "person themselves, which removes the first hurdle. Blocking software and "
                    "self-exclusion schemes are also worth mentioning early, as small wins."
                ),
                "anonymous": False,
            },
            {
                "author": 6,
                "body": (
                    "I would keep the employment conversation going alongside, gently. A bit of "
                    "structure, even a few hours of volunteering, can help with recovery rather "
                    "than getting in the way of it."
                ),
                "anonymous": False,
            },
        ],
        "outcome_update": "",
        "resolved": False,
    },
    {
        "title": "Carer for a partner: how many hours can they work without losing Carer's Allowance?",
        "situation": (
            "My client cares for a partner with a progressive condition and receives Carer's "
            "Allowance. They would like a small part-time job for their own wellbeing and some "
            "extra money, but they are worried about breaching the earnings limit."
        ),
        "tried": (
            "I have looked at the earnings limit guidance, but I am not confident about how "
            "pension contributions and care costs are treated."
        ),
        "ask": (
            "Can anyone explain how to work out allowable deductions? Any tips on finding roles "
            "flexible enough for a carer?"
        ),
        "themes": ["caring-responsibilities", "universal-credit-and-benefits"],
        "anonymous": False,
        "author": 5,
        "days_ago": 85,
        "replies": [
            {
                "author": 2,
                "body": (
                    "Half of pension contributions can be deducted, and so can some care costs "
                    "paid while the carer is at work. The limit is on weekly earnings after "
                    "deductions, so a few hours at minimum wage is usually fine. A welfare rights "
                    "adviser can check the exact figures."
                ),
                "anonymous": False,
            },
            {
                "author": 1,
                "body": (
                    "Local carers' centres often know employers who are carer-friendly, and some "
                    "run employment support of their own. Worth a referral for the wider support "
                    "too."
                ),
                "anonymous": False,
            },
        ],
        "outcome_update": "",
        "resolved": False,
    },
    {
        "title": "Young person missing appointments and not replying to messages",
        "situation": (
            "The young person I am working with has missed the last three appointments and does "
            "not reply to texts. When he did attend, he was friendly but very flat, and said he "
            "spends most of the day gaming and sleeping."
        ),
        "tried": (
            "I have tried different appointment times and a shorter meeting. I am reluctant to "
            "report a failure to attend because I think it will push him further away."
        ),
        "ask": (
            "What has worked for you in re-engaging young people who have gone quiet? Any ideas "
            "for activities that might spark some interest?"
        ),
        "themes": ["young-people", "confidence-and-motivation", "mental-health"],
        "anonymous": False,
        "author": 6,
        "days_ago": 92,
        "replies": [
            {
                "author": 4,
                "body": (
                    "Meeting somewhere other than the office helped me with a similar client: a "
                    "walk, a café, the local youth hub. The formality of the office was half the "
                    "problem."
                ),
                "anonymous": False,
            },
            {
                "author": 3,
                "body": (
                    "Gaming can be a way in. There are short courses in games testing, esports "
                    "events and IT support, and an interest that is taken seriously can get "
                    "someone through the door."
                ),
                "anonymous": False,
            },
            {
                "author": 7,
                "body": (
                    "I would also gently check in about his mental health. Very flat, sleeping a "
                    "lot and withdrawing can be signs of depression, and a GP appointment might be "
                    "the first step."
                ),
                "anonymous": False,
            },
        ],
        "outcome_update": "",
        "resolved": False,
    },
    {
        "title": "Manager became hostile after my client disclosed depression",
        "situation": (
            "My client has been in an office job for several months and recently told her line "
            "manager about her depression after a period of sickness absence. Since then the "
            "manager has been cold, and she has been moved off a project she enjoyed. She is "
            "thinking about resigning."
        ),
        "tried": (
            "We have talked through her options and I have encouraged her to keep notes of what "
            "happens. She does not want to make a formal complaint."
        ),
        "ask": (
            "How do you support someone in this position without escalating things? Is there "
            "anything I can do directly with the employer?"
        ),
        "themes": ["job-retention", "mental-health", "disability-and-long-term-conditions"],
        "anonymous": True,
        "author": 7,
        "days_ago": 99,
        "replies": [
            {
                "author": 5,
                "body": (
                    "Suggest a wellness action plan: it is a neutral, practical document she can "
                    "ask to agree with her manager, and it often resets the relationship without "
                    "anyone having to complain. HR may also be able to arrange an occupational "
                    "health referral."
                ),
                "anonymous": False,
            },
            {
                "author": 0,
                "body": (
                    "Access to Work has a mental health support service that can offer her "
                    "confidential support at work, separate from her manager. It is free and does "
                    "not need the employer to agree."
                ),
                "anonymous": False,
            },
        ],
        "outcome_update": "",
        "resolved": False,
    },
    {
        "title": "Overseas-qualified doctor: realistic routes into work while waiting for registration",
        "situation": (
            "My client is a qualified doctor from overseas with many years of clinical experience. "
            "She is preparing for the licensing exams but they are expensive and the process is "
            "long. In the meantime she needs an income and wants to stay in healthcare."
        ),
        "tried": (
            "We have looked at healthcare assistant and phlebotomy roles. She is also attending an "
            "advanced English course to prepare for the language test."
        ),
        "ask": (
            "Has anyone supported an overseas doctor into a clinical support role? Are there "
            "bursaries or schemes that help with exam costs?"
        ),
        "themes": ["highly-qualified-jobseekers", "english-language-and-literacy"],
        "anonymous": False,
        "author": 0,
        "days_ago": 106,
        "replies": [],
        "outcome_update": "",
        "resolved": False,
    },
    {
        "title": "Building a work trial with a construction firm for clients with convictions",
        "situation": (
            "A regional construction firm has told me they are open to taking on people with "
            "convictions, but they have never done it before and are nervous about the practical "
            "side. I have several clients who would be a good fit for labouring roles."
        ),
        "tried": (
            "I have shared information on the rules about disclosure and fair chance recruitment. "
            "We have talked about a short work trial with each client."
        ),
        "ask": (
            "What should I put in place to make this a success for both sides? How have others "
            "handled risk assessments and site cards?"
        ),
        "themes": ["employer-engagement", "criminal-convictions"],
        "anonymous": False,
        "author": 1,
        "days_ago": 113,
        "replies": [
            {
                "author": 3,
                "body": (
                    "Start small, with one or two people, and agree a named contact on site. A "
                    "simple risk assessment that focuses on the job rather than the offence "
                    "reassures the employer without stigmatising the candidate."
                ),
                "anonymous": False,
            },
            {
                "author": 6,
                "body": (
                    "Check what funding is available for the site safety course and card before "
                    "the trial. Turning up with the card already in hand shows commitment and "
                    "removes a cost for the employer."
                ),
                "anonymous": False,
            },
        ],
        "outcome_update": "",
        "resolved": False,
    },
    {
        "title": "Self-employed business is failing: how to support a move back to employment",
        "situation": (
            "The jobseeker has been running a small catering business for a few years, but costs "
            "have gone up and the business is now losing money. He feels he has failed and is "
            "reluctant to give up, even though he has started using credit cards to pay suppliers."
        ),
        "tried": (
            "We have talked about the option of part-time employment alongside the business. He "
            "has not yet been willing to look at his accounts with me."
        ),
        "ask": (
            "How do you help someone let go of a business without it feeling like failure? What "
            "should he consider about debts and closing down properly?"
        ),
        "themes": ["self-employment", "debt-and-money", "confidence-and-motivation"],
        "anonymous": False,
        "author": 2,
        "days_ago": 120,
        "replies": [
            {
                "author": 4,
                "body": (
                    "Framing it as **what he has built** rather than what he has lost helps: "
                    "catering managers with business experience are in demand, and running his own "
                    "kitchen is a strong story for a head chef or catering manager role."
                ),
                "anonymous": False,
            },
            {
                "author": 1,
                "body": (
                    "Business debt advice is a specialist area, so a referral to a free business "
                    "debtline is worth making before he takes on more credit."
                ),
                "anonymous": False,
            },
        ],
        "outcome_update": "",
        "resolved": False,
    },
]

STORIES: list[dict[str, Any]] = [
    {
        "title": "From panic attacks on phone calls to a contact centre job",
        "situation": (
            "My client had severe anxiety around phone calls after a difficult experience in a "
            "previous job. She avoided any role that involved the phone, which ruled out most "
            "office vacancies in our area."
        ),
        "what_worked": (
            "We broke it down into very small steps:\n\n"
            "- listening to recorded calls together\n"
            "- short practice calls with me, then with a colleague she did not know\n"
            "- calling a few businesses with simple questions\n\n"
            "Her GP referral for talking therapy ran alongside, and she used breathing techniques "
            "from those sessions before each call."
        ),
        "outcome_text": (
            "She applied for a part-time role in a contact centre and was offered the job after a "
            "telephone interview. She says the structure and scripts actually make calls feel "
            "safer now."
        ),
        "outcome_types": ["started_work"],
        "themes": ["mental-health", "interview-skills"],
        "anonymous": False,
        "author": 3,
        "days_ago": 3,
        "replies": [
            {
                "author": 0,
                "body": (
                    "Lovely to read, and a great reminder that the steps can be tiny as long as "
                    "they keep moving. I am going to borrow the recorded calls idea."
                ),
                "anonymous": False,
            },
        ],
    },
    {
        "title": "Job carving with a hotel created a role that fitted",
        "situation": (
            "The jobseeker has a learning disability and had been out of work for a long time. "
            "Standard job descriptions listed too many varied tasks, and he found that "
            "overwhelming."
        ),
        "what_worked": (
            "I met the manager of a large hotel and we looked at what tasks were regularly left "
            "undone. We carved out a role focused on preparing linen trolleys and restocking "
            "supplies, with clear visual checklists. A job coach supported him for the first few "
            "weeks."
        ),
        "outcome_text": (
            "He has now been working there for several months and the hotel has asked whether we "
            "have other candidates for similar roles. **The manager says the rest of the team has "
            "more time for guests.**"
        ),
        "outcome_types": ["started_work"],
        "themes": ["employer-engagement", "disability-and-long-term-conditions"],
        "anonymous": False,
        "author": 4,
        "days_ago": 9,
        "replies": [
            {
                "author": 1,
                "body": (
                    "This is exactly the kind of approach we should be pitching more. Would you be "
                    "willing to share your conversation notes with the manager as a template?"
                ),
                "anonymous": False,
            },
            {
                "author": 6,
                "body": "Brilliant. The visual checklists are such a simple but powerful tool.",
                "anonymous": True,
            },
        ],
    },
    {
        "title": "Library digital sessions opened up online applications for an older jobseeker",
        "situation": (
            "My client had never used a computer and had no email address. He had decades of "
            "experience as a labourer but could not apply for jobs online, and he felt shut out."
        ),
        "what_worked": (
            "We found a weekly digital skills drop-in at the local library with patient volunteers. "
            "I attended the first session with him. He set up an email account and practised "
            "searching for jobs each week, with a small notebook for his passwords."
        ),
        "outcome_text": (
            "After a couple of months he was applying on his own and got a job as a groundworker "
            "through an online application. He now helps others at the drop-in."
        ),
        "outcome_types": ["started_work"],
        "themes": ["digital-skills", "older-jobseekers"],
        "anonymous": False,
        "author": 5,
        "days_ago": 16,
        "replies": [],
    },
    {
        "title": "Access to Work coaching kept an autistic employee in a job they loved",
        "situation": (
            "My client is autistic and had started a data entry job. After a few months, changes "
            "in the team and an open-plan move led to a lot of stress and several days off. They "
            "were close to leaving."
        ),
        "what_worked": (
            "We applied for Access to Work, which funded a workplace assessment and sessions with "
            "a specialist coach. The employer agreed to noise-cancelling headphones, a quieter desk "
            "and written instructions for new tasks."
        ),
        "outcome_text": (
            "They are still in the job and have recently passed their annual review. Their manager "
            "now uses written instructions for the whole team because everyone finds them clearer."
        ),
        "outcome_types": ["kept_job"],
        "themes": ["access-to-work", "neurodiversity", "job-retention"],
        "anonymous": True,
        "author": 6,
        "days_ago": 23,
        "replies": [
            {
                "author": 2,
                "body": (
                    "Good to hear Access to Work coaching making a real difference. It is not used "
                    "nearly enough for people already in work."
                ),
                "anonymous": False,
            },
        ],
    },
    {
        "title": "ESOL and charity shop volunteering built confidence and language together",
        "situation": (
            "The jobseeker had recently arrived in the UK and was very quiet in appointments. Her "
            "spoken English was basic, and she lacked confidence about speaking to strangers."
        ),
        "what_worked": (
            "Alongside her ESOL class, we found her a volunteering role in a charity shop, sorting "
            "stock at first and then on the till. Everyday conversations with customers gave her "
            "practice that the classroom could not."
        ),
        "outcome_text": (
            "Her English has improved noticeably and she now speaks up in our meetings. She has "
            "moved up an ESOL level and is starting to look at retail vacancies."
        ),
        "outcome_types": ["started_volunteering"],
        "themes": ["english-language-and-literacy", "confidence-and-motivation"],
        "anonymous": False,
        "author": 7,
        "days_ago": 30,
        "replies": [
            {
                "author": 3,
                "body": (
                    "Charity shops are brilliant for this. Low pressure, lots of short "
                    "conversations, and a reference at the end."
                ),
                "anonymous": False,
            },
        ],
    },
    {
        "title": "A debt advice referral gave my client room to think about work again",
        "situation": (
            "My client had several debts and was receiving threatening letters. They were "
            "anxious, not sleeping and unable to focus on anything else, and they had stopped "
            "opening post altogether."
        ),
        "what_worked": (
            "We made the first call to a free debt advice charity together during an appointment. "
            "They set up breathing space from creditors and then a manageable repayment plan. I "
            "kept our meetings going, with no pressure to apply for jobs for a few weeks."
        ),
        "outcome_text": (
            "The client says they feel like a weight has lifted. They are sleeping better, opening "
            "their post, and have started looking at part-time work that fits their skills."
        ),
        "outcome_types": ["more_confident", "wellbeing_better"],
        "themes": ["debt-and-money", "mental-health"],
        "anonymous": False,
        "author": 0,
        "days_ago": 37,
        "replies": [
            {
                "author": 5,
                "body": (
                    "The pause on job search pressure is such an important detail. It is easy to "
                    "forget that sometimes the best thing for employment is to stop talking about "
                    "it for a bit."
                ),
                "anonymous": False,
            },
        ],
    },
    {
        "title": "A disclosure letter helped a jobseeker with a conviction into construction",
        "situation": (
            "The jobseeker had an unspent conviction and had been rejected from several roles "
            "after the question came up at interview. He had become convinced nobody would take "
            "him on."
        ),
        "what_worked": (
            "We wrote a short disclosure letter together, covering what happened, what had "
            "changed and why he was ready to work. He practised saying it out loud until it felt "
            "natural. We also targeted employers known for fair chance recruitment."
        ),
        "outcome_text": (
            "He was offered a labouring job with a construction firm, who said his honesty stood "
            "out. He has since started training towards an industry qualification."
        ),
        "outcome_types": ["started_work"],
        "themes": ["criminal-convictions", "interview-skills"],
        "anonymous": True,
        "author": 1,
        "days_ago": 44,
        "replies": [
            {
                "author": 7,
                "body": "Great outcome. The letter approach works so well because it puts them in control of the story.",
                "anonymous": False,
            },
            {
                "author": 4,
                "body": (
                    "Agreed. I have started encouraging clients to keep a copy on their phone so "
                    "they can read it again just before an interview."
                ),
                "anonymous": False,
            },
        ],
    },
    {
        "title": "Care leaver moved from temporary accommodation into an apprenticeship",
        "situation": (
            "The young person had left care and was living in temporary accommodation. He wanted "
            "to work with cars but had no qualifications and felt that apprenticeships were for "
            "other people."
        ),
        "what_worked": (
            "We worked closely with his personal adviser from the leaving care team. A short "
            "pre-apprenticeship course gave him a taste of the work, and the care leaver bursary "
            "helped with tools and travel. The housing team prioritised a move to supported "
            "lodgings closer to the training provider."
        ),
        "outcome_text": (
            "He has started a motor vehicle apprenticeship with a large dealership and is settled "
            "in supported lodgings. His tutor says he is one of the most committed learners on the "
            "course."
        ),
        "outcome_types": ["started_education"],
        "themes": ["young-people", "housing"],
        "anonymous": False,
        "author": 2,
        "days_ago": 51,
        "replies": [
            {
                "author": 0,
                "body": (
                    "Joined-up working at its best. Getting the housing sorted alongside the "
                    "training is what makes it stick."
                ),
                "anonymous": False,
            },
        ],
    },
    {
        "title": "Test trading and the start-up period made self-employment feel safe",
        "situation": (
            "My client wanted to start a small sewing and alterations business from home but was "
            "terrified of losing her Universal Credit. She had skills and some regular interest "
            "from neighbours but no idea how to make it official."
        ),
        "what_worked": (
            "She joined a free start-up programme that helped with a simple business plan and "
            "pricing. We went through the **start-up period** and monthly reporting together, and "
            "she kept a spreadsheet of income and expenses from the first week."
        ),
        "outcome_text": (
            "She is now registered as self-employed with a steady flow of customers and is "
            "reporting her earnings each month with confidence. She is considering renting a small "
            "shop unit with another maker."
        ),
        "outcome_types": ["other"],
        "themes": ["self-employment", "universal-credit-and-benefits"],
        "anonymous": False,
        "author": 3,
        "days_ago": 58,
        "replies": [],
    },
    {
        "title": "A one-page better-off calculation convinced a carer to take a part-time job",
        "situation": (
            "My client cares for a disabled child and had been offered a part-time role in a "
            "school kitchen. She was convinced she would be worse off in work and was about to turn "
            "it down."
        ),
        "what_worked": (
            "We sat down and did a better-off calculation together using her actual figures, "
            "including help with childcare costs through Universal Credit. I wrote the result on "
            "one page so she could show her family."
        ),
        "outcome_text": (
            "She accepted the job and is better off each month. She also says having something "
            "that is just hers has made a real difference to her wellbeing."
        ),
        "outcome_types": ["started_work"],
        "themes": ["universal-credit-and-benefits", "caring-responsibilities"],
        "anonymous": False,
        "author": 4,
        "days_ago": 65,
        "replies": [
            {
                "author": 6,
                "body": (
                    "The one-page summary is key. People rarely take in the detail in the room, but "
                    "a sheet they can show at home does the convincing for you."
                ),
                "anonymous": False,
            },
        ],
    },
    {
        "title": "From part-time cleaner to cleaning supervisor with more hours",
        "situation": (
            "My client had been working part time as a cleaner for a contract cleaning company. "
            "She was reliable but stuck on low hours and low pay, and she did not feel she could ask "
            "for more."
        ),
        "what_worked": (
            "We updated her CV to highlight the supervisor cover she had done. She completed a "
            "funded health and safety course. I helped her prepare for a conversation with her "
            "manager about progression, with examples written down."
        ),
        "outcome_text": (
            "She was promoted to supervisor with full-time hours and a pay rise. She says she would "
            "never have asked without the preparation."
        ),
        "outcome_types": ["other"],
        "themes": ["in-work-progression", "confidence-and-motivation"],
        "anonymous": False,
        "author": 5,
        "days_ago": 72,
        "replies": [
            {
                "author": 2,
                "body": (
                    "In-work progression stories are rarer than they should be, so thank you for "
                    "sharing. The written examples are a great touch."
                ),
                "anonymous": False,
            },
        ],
    },
    {
        "title": "Former finance manager rebuilt confidence through a temporary assistant role",
        "situation": (
            "The jobseeker had been a finance manager for many years before a long period of "
            "illness. He was applying only for senior roles and getting nowhere, and he was "
            "becoming very low."
        ),
        "what_worked": (
            "We agreed a two-track plan: keep a few senior applications going, but also take a "
            "temporary finance assistant role through an agency. Being back in an office, with "
            "current software and references, gave him a much stronger story."
        ),
        "outcome_text": (
            "The temporary role became permanent at a higher grade within a few months, and he is "
            "now managing a small team. He says starting lower was the best decision he made."
        ),
        "outcome_types": ["started_work"],
        "themes": ["highly-qualified-jobseekers", "confidence-and-motivation"],
        "anonymous": True,
        "author": 6,
        "days_ago": 79,
        "replies": [],
    },
    {
        "title": "Mock interviews with employer volunteers for young jobseekers",
        "situation": (
            "A group of young people on our caseload kept falling at the interview stage. They "
            "were nervous, gave very short answers and did not know what employers were looking "
            "for."
        ),
        "what_worked": (
            "We invited volunteers from local employers, including a supermarket, a bank and a "
            "logistics firm, to run mock interviews. Each young person had two interviews with "
            "written feedback, then a group session on common questions and answers."
        ),
        "outcome_text": (
            "Most of the group had a real interview within a few weeks, and several started work. "
            "Two of the employers have since offered work experience places."
        ),
        "outcome_types": ["started_work"],
        "themes": ["interview-skills", "young-people", "employer-engagement"],
        "anonymous": False,
        "author": 7,
        "days_ago": 86,
        "replies": [
            {
                "author": 1,
                "body": (
                    "We are planning something similar next term. How did you recruit the employer "
                    "volunteers?"
                ),
                "anonymous": False,
            },
            {
                "author": 5,
                "body": (
                    "We ran one last year and found them mostly through employers we already place with. Asking for two hours of their "
                    "time was a much easier sell than asking for a vacancy."
                ),
                "anonymous": False,
            },
        ],
    },
    {
        "title": "A phased return kept a client with a long-term condition in work",
        "situation": (
            "My client has a long-term heart condition and had been off sick for a couple of "
            "months. She was worried about returning to a physically demanding role in a "
            "warehouse and was thinking of resigning."
        ),
        "what_worked": (
            "With her consent, I supported a meeting with her manager and HR. We agreed a phased "
            "return over several weeks, lighter duties for the first month and regular check-ins. "
            "Her fit note recommendations helped frame the conversation."
        ),
        "outcome_text": (
            "She has returned to full hours and is still with the same employer. The employer has "
            "since updated its return-to-work process for other staff."
        ),
        "outcome_types": ["kept_job"],
        "themes": ["job-retention", "disability-and-long-term-conditions"],
        "anonymous": False,
        "author": 0,
        "days_ago": 100,
        "replies": [
            {
                "author": 4,
                "body": (
                    "Great example of how early intervention saves a job. It is so much harder "
                    "once someone has already resigned."
                ),
                "anonymous": False,
            },
        ],
    },
]
