"""Words and phrases the name rules key on: titles, relationship cues, what people do, and
the suffixes that turn a capitalised word into a street or a firm. Kept apart from the rules in
names.py so the vocabulary can be read and grown on its own."""
import re

TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "mister", "doctor", "prof", "professor", "sir",
          "dame", "lady", "lord", "rev", "revd", "reverend", "fr", "cllr", "councillor", "sgt",
          "sergeant"}
# Titles that are also ordinary words only count when capitalised ("Miss Okafor", not "I miss").
WORDY_TITLES = {"miss", "doctor", "lady", "lord", "sir", "dame", "mister"}

# Relationship and role nouns whose next word is usually a name ("her son Tyler",
# "the supervisor, Gavin Eze"). Multi-word cues are matched on their last word.
RELATION_CUES = {
    "son", "daughter", "partner", "husband", "wife", "boyfriend", "girlfriend", "fiance", "fiancé",
    "fiancee", "fiancée", "ex", "mum", "mom", "mother", "dad", "father", "brother", "sister",
    "stepson", "stepdaughter", "stepdad", "stepmum", "child", "baby", "nan", "nana", "gran",
    "granny", "grandma", "grandad", "grandfather", "grandmother", "grandson", "granddaughter",
    "uncle", "aunt", "auntie", "cousin", "niece", "nephew", "carer", "friend", "neighbour",
    "landlord", "landlady", "manager", "supervisor", "boss", "employer", "officer", "worker",
    "coach", "keyworker", "caseworker", "mentor", "tutor", "colleague", "leader", "advocate",
    "counsellor", "therapist", "nurse", "gp", "solicitor", "housemate", "flatmate", "lodger",
    "twin", "kids", "children", "sons", "daughters", "participant", "client", "customer",
}
SPEECH_CUES = {"called", "named", "nicknamed", "aka", "name's", "name"}
# Two-word cues: "known as X", "goes by X", "name is X", "calls herself X"
PAIR_CUES = {("known", "as"), ("goes", "by"), ("name", "is"), ("calls", "herself"),
              ("calls", "himself"), ("calls", "themself"), ("calls", "themselves"),
              ("introduced", "herself"), ("introduced", "himself"), ("referred", "as")}

# A capitalised word followed by one of these is part of a street, building, school or firm name.
PLACE_SUFFIXES = {
    "street", "st", "road", "rd", "lane", "avenue", "ave", "close", "drive", "crescent", "grove",
    "terrace", "gardens", "mews", "square", "parade", "rise", "way", "walk", "place", "view",
    "centre", "center", "hospital", "school", "academy", "college", "university", "primary",
    "juniors", "infants", "nursery", "trust", "foundation", "ltd", "limited", "llp", "plc",
    "builders", "motors", "garage", "bakery", "café", "cafe", "station", "estate", "hotel",
    "library", "surgery", "clinic", "council", "chapel", "mosque", "cathedral", "church",
    "stadium", "arena", "retail", "shopping", "precinct", "industrial", "business", "house",
    "court", "tower", "towers", "lodge", "buildings", "barracks", "prison", "airport",
    "services", "solutions", "group", "associates", "joinery", "plumbing", "electrical",
    "engineering", "construction", "haulage", "logistics", "farm", "kennels", "salon", "barbers",
    "community", "fellowship", "partnership", "alliance", "network", "society", "association",
    "institute", "federation", "union", "collective", "hub", "charity", "appeal",
    "park", "fields", "meadows", "valley", "vale", "foods", "dairy", "bakers", "butchers",
    "florists", "pharmacy", "dental", "vets", "inn",
    "arms", "tavern", "catering", "carpets", "printers", "roofing", "landscaping", "cleaning",
    "fabrications", "motors", "autos", "coaches", "taxis", "nurseries", "brewery", "mill",
    "day", "week", "month", "award", "awards", "scheme", "programme", "project", "fund", "act",
}
# Never names, whatever the cue. (Months are ambiguous instead: "her daughter April".)
NEVER = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
          "christmas", "easter", "eid", "diwali", "ramadan", "jobcentre", "universal", "credit"}
# Big places whose names are also common first names in the UK.
PLACES_AS_NAMES = {"chelsea", "jordan", "devon", "florence", "sydney", "paris", "georgia",
                    "stanley", "victoria", "beverley", "kendal", "madison", "brooklyn", "dakota",
                    "austin", "dallas", "savannah"}
DETERMINERS = {"a", "an", "the", "my", "his", "her", "their", "our", "your", "its", "this",
                "that", "these", "those", "every", "each", "any", "some", "no"}
LOCATIVE = {"in", "from", "to", "near", "at", "around", "of", "across", "outside", "towards",
             "via", "into"}
# What people do: an unknown capitalised word followed by one of these is probably a person
# ("Zhivko has been with our service", "Zhivko told me"). Catches names missing from the lists.
ACTION_VERBS = (
    "told", "asked", "says", "said", "tells", "explained", "admitted", "agreed", "decided", "wants",
    "wanted", "feels", "felt", "lives", "laughs", "laughed", "cried", "struggles", "enjoys",
    "enjoyed", "loves", "hates", "worries", "admits", "mentioned", "remembers", "thinks", "knows",
    "smiled", "rang", "phoned", "texted", "emailed")
PERSON_PREDICATE = re.compile(
    r"""\s+(?:(?:has|had)\s+been\s+(?:with\s+(?:us|our)|unemployed|out\s+of\s+work|homeless|
                                   sofa|sleeping|living|caring|in\s+prison|signed\s+off)
            |had\s+(?:tried|never|always|lost|left|spent)
            |was\s+(?:allocated|referred|signposted|sacked|dismissed|released|discharged|born|
                    diagnosed|evicted|sceptical|nervous|worried|keen|unemployed|anxious|
                    embarrassed|determined|afraid|desperate|thrilled|delighted|upset)
            |is\s+(?:keen|worried|pregnant|married|hoping|desperate|nervous|anxious|thrilled|
                   delighted|determined|sceptical|struggling|unemployed|homeless)
            |turned\s+up|attended\s+with
            |(?:""" + "|".join(ACTION_VERBS) + r""")\b)""",
    re.X)
# The first word of every predicate above: a cheap pre-check before the regex.
PREDICATE_WORDS = frozenset({"has", "had", "was", "is", "turned", "attended", *ACTION_VERBS})
# Lower-case notes: "appt with ian", "spoke to lee", "met sam".
CONTACT_CUES = {"with", "met", "meet", "meeting", "saw", "see", "seeing", "rang", "phoned",
                 "emailed", "texted", "told", "asked", "visited", "supporting", "mentoring"}
TALK_VERBS = {"spoke", "speak", "speaking", "talked", "talk", "talking", "chatted", "chat",
               "wrote", "write", "sent", "introduced", "referred"}
# "appt with X", "meeting with X": a person is expected after these, even a capitalised word
# we do not know. ("working with X" only counts after "started": organisations follow it too.)
PERSON_WITH_NOUNS = {"appt", "appointment", "meeting", "session", "call", "met", "spoke",
                     "chat", "chatted", "catch-up", "catchup", "visit", "interview", "review",
                     "appts", "appointments", "meetings", "sessions"}
# "working with X", "appt with X": lower-case words after these are probably names.
WITH_NOUNS = {"working", "work", "worked", "works", "appt", "appointment", "meeting", "session",
               "call", "met", "spoke", "speaking", "chat", "chatted", "review", "visit", "interview",
               "catch-up", "catchup", "started", "sessions", "appts", "appointments", "meetings"}
ACRONYMS = {"dwp", "jcp", "hmrc", "nhs", "cab", "gp", "hr", "esa", "pip", "uc", "jsa", "dla", "sia",
             "cscs", "nvq", "gcse", "dbs", "itv", "bbc", "asap", "fyi", "tbc", "etc", "smth"}

# Speech and meeting frames (quick notes, any case): "siân said", "mark said", "met with tomasz",
# "phone call from pat". A listed first name in one of these is a person even when it is also a
# word, because the frame leaves no other reading ("will said" cannot be the verb "will").
SPEECH_AFTER = frozenset({"said", "says", "told", "asked", "rang", "phoned", "texted", "emailed",
                          "mentioned", "explained", "replied", "messaged", "agreed", "admitted",
                          "confirmed", "reckons", "reckoned"})
# What may stand before "X said": the start of a sentence or a conjunction.
SPEECH_OPENERS = frozenset({"and", "but", "then", "so", "when", "because", "that", "as", "while",
                            "until", "if", "after", "before", "although", "though", "also"})
MEET_BEFORE = frozenset({"met", "rang", "phoned", "texted", "emailed", "visited", "messaged",
                         "saw", "ring", "phone", "text", "email", "meet", "visit"})
MEET_PAIRS = frozenset({
    ("met", "with"), ("meet", "with"), ("meeting", "with"), ("spoke", "to"), ("spoke", "with"),
    ("speak", "to"), ("speak", "with"), ("speaking", "to"), ("speaking", "with"), ("talked", "to"),
    ("talked", "with"), ("talking", "to"), ("chatted", "with"), ("chatted", "to"), ("chat", "with"),
    ("up", "with"), ("call", "from"), ("call", "with"), ("text", "from"), ("email", "from"),
    ("message", "from"), ("appt", "with"), ("appointment", "with"), ("session", "with"),
    ("visit", "from"), ("catch-up", "with"), ("catchup", "with"), ("review", "with"),
    ("meetings", "with"), ("sessions", "with"), ("appts", "with"), ("calls", "with"),
    ("heard", "from"), ("update", "from"), ("letter", "from"), ("voicemail", "from"),
})
# Frames where a person, not an organisation, is all but certain: a word missing from the name
# lists counts after these only ("met Dáithí", "spoke to Oyelaran"; not "a call with Acas").
PERSON_MEET_BEFORE = frozenset({"met", "visited", "saw"})
PERSON_MEET_PAIRS = frozenset({
    ("met", "with"), ("meet", "with"), ("spoke", "to"), ("spoke", "with"), ("talked", "to"),
    ("talked", "with"), ("chatted", "with"), ("chatted", "to"), ("up", "with"), ("appt", "with"),
    ("appointment", "with"), ("session", "with"), ("catch-up", "with"), ("catchup", "with"),
})
# What may follow the name in a meeting frame: the end of a clause, or one of these words.
MEET_AFTER = frozenset({"and", "about", "at", "on", "in", "this", "today", "yesterday", "earlier",
                        "again", "to", "for", "who", "re", "after", "before", "by", "last", "over",
                        "while", "when", "but", "so", "as", "from", "via", "briefly", "tonight",
                        "later", "first", "too", "online", "face", "since", "during"})
# After a name found once, a word-like mention in lower case still counts when it acts as the
# subject: "will is 18", "pat starts after Easter".
SUBJECT_VERBS = frozenset({"is", "was", "has", "had", "said", "says", "told", "asked", "wants",
                           "wanted", "starts", "started", "rang", "got", "gets", "seems", "thinks",
                           "feels", "knows", "needs", "isn't", "wasn't", "hasn't", "doesn't",
                           "didn't", "does", "did", "came", "comes", "went", "goes", "turned",
                           "loves", "hates", "likes", "agreed", "texted", "phoned", "emailed"})
