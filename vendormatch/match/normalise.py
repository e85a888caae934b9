"""Business text to comparable word stems: case, punctuation, spelling variants, stop words, stemming.

Requirement statements and catalogue phrases go through the same function, so a variant only has
to be mapped consistently, not correctly: "organise" and "organize", "invoicing" and "invoices",
"e-mail" and "email" end as one stem each.
"""

from __future__ import annotations

import re
from functools import lru_cache

import Stemmer

from vendormatch.match.thesaurus import rewrite_terms
from vendormatch.match.words import raw_words

# English function words, plus the boilerplate every tender and user story wraps a need in
# ("the system shall provide the ability to...", "as a user I want...", "so that..."): words that
# say nothing about which feature is wanted and would otherwise earn matches on their own.
STOP_WORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being
below between both but by can cannot could did do does doing done down during each either else
etc every few for from further had has have having he her here hers him his how however i if in
into is it its itself just let lets like may me might more most must my no nor not of off on once
only or other otherwise our ours out over own per please same shall she should so some such than
that the their theirs them then there these they this those through thus to too under until up
upon us very via was we were what whatever when whenever where whether which while who whom whose
why will with within without would yes yet you your yours e g eg ie i.e
able ability allow allowing allows enable enabled enables enabling provide provided provides
providing offer offers system systems solution solutions software application applications tool
tools crm functionality function functions feature features capability capabilities requirement
requirements require required requires need needs needed want wants wanted wish would like
user users ensure ensures possible easily easy simple simply quickly quick want way ways thing
things something anything everything someone anyone everyone one ones use used using uses make
makes making get gets getting got give gives go goes going see sees seen seeing know knows
currently today new existing current example including include includes included
""".split())

# Words the stemmer would merge with an unrelated word ("customer" and "custom", "internal" and
# "international"): kept whole so that a bespoke field never matches a customer record.
_PROTECTED = {
    "customer": "customer", "customers": "customer",
    "internal": "internal", "internally": "internal",
    "international": "international", "internationally": "international",
    "general": "general", "generally": "general",
    "experience": "experience", "experiences": "experience",
    "community": "community", "communities": "community",
    "university": "university", "universities": "university",
    "news": "news", "data": "data", "media": "media", "sms": "sms", "ios": "ios",
    "analytics": "analytic", "sales": "sale", "business": "business", "series": "series",
    # "disable an account" is not "disabilities"; "evenings" is not "even".
    "disability": "disability", "disabilities": "disability",
    "evening": "evening", "evenings": "evening",
    # "the Authority" is not "authorise", "local area" is not "localisation", "a leading supplier"
    # is not a lead, "accounting" is not an account, and a recording is more than a record.
    "authority": "authority", "authorities": "authority",
    "localisation": "localization", "localization": "localization", "localise": "localization",
    "localize": "localization", "localised": "localization", "localized": "localization",
    "leading": "leading", "accounting": "accounting", "accountant": "accountant", "accountants": "accountant",
    "recording": "recording", "recordings": "recording",
}

# British and American spellings, and older or hyphenated forms, mapped to one form before stemming.
_WORD_VARIANTS = {
    "catalogue": "catalog", "catalogues": "catalog", "dialogue": "dialog", "centre": "center",
    "centres": "center", "programme": "program", "programmes": "program", "licence": "license",
    "licences": "license", "enquiry": "inquiry", "enquiries": "inquiry", "enquire": "inquire",
    "enquirer": "inquirer", "enquirers": "inquirer", "cheque": "check", "cheques": "check",
    "judgement": "judgment", "enrolment": "enrollment", "enrolments": "enrollment",
    "fulfil": "fulfill", "instalment": "installment", "ageing": "aging", "travelling": "traveling",
    "grey": "gray", "aeroplane": "airplane", "favourite": "favorite", "colour": "color",
    "colours": "color", "behaviour": "behavior", "behaviours": "behavior", "behavioural": "behavioral",
    "labour": "labor", "honour": "honor", "favour": "favor", "neighbour": "neighbor",
    "organisation": "organization", "organisations": "organization",
    "tickets": "ticket", "webinar": "webinar", "dialler": "dialer", "diallers": "dialer",
    "dialling": "dialing", "dialled": "dialed", "modelling": "modeling", "cancellation": "cancelation",
}
_DOUBLE_L = re.compile(
    r"^(cancel|dial|label|model|level|signal|counsel|fuel|total|channel|tunnel|enrol|travel|marshal)l(ed|ing|er|ers)$"
)
_ISE = re.compile(r"^([a-z]{3,}[^aeiou])is(e|es|ed|ing|er|ers|ation|ations)$")
_YSE = re.compile(r"^([a-z]{2,})ys(e|es|ed|ing|er|ers)$")


def spelling(word: str) -> str:
    """One spelling for a word written in British or American English, or with doubled consonants."""
    mapped = _WORD_VARIANTS.get(word)
    if mapped is not None:
        return mapped
    match = _DOUBLE_L.match(word)
    if match:
        return f"{match.group(1)}{match.group(2)}"
    match = _ISE.match(word)
    if match:
        return f"{match.group(1)}iz{match.group(2)}"
    match = _YSE.match(word)
    if match:
        return f"{match.group(1)}yz{match.group(2)}"
    return word


# "The system must support X" says nothing about support services: the verb is dropped.
_SUPPORT_VERB = re.compile(
    r"\b(shall|must|should|will|would|to|can|could|may|also|fully|that|which|it|and|or|not)\s+(?:support|supports)\b"
    r"|\bsupport(?:s|ed)\b"
)


def words(text: str) -> list[str]:
    """The words of a text (`raw_words`), with the verb "support" dropped and thesaurus terms joined."""
    lowered = text.lower()
    if "support" in lowered:
        lowered = _SUPPORT_VERB.sub(lambda m: m.group(1) or " ", lowered)
    return rewrite_terms(raw_words(lowered))


@lru_cache(maxsize=65536)
def stem_word(word: str) -> str:
    """The stem of one lower-case word: spelling normalised, then Porter's algorithm."""
    word = spelling(word)
    protected = _PROTECTED.get(word)
    if protected is not None:
        return protected
    if len(word) <= 2 or not word.isalpha():
        return word
    return porter_stem(word)


def content_words(text: str) -> list[str]:
    """The words of a text that are not stop words, in order, not yet stemmed."""
    return [w for w in words(text) if w not in STOP_WORDS]


def stems(text: str) -> list[str]:
    """The content stems of a text, in order: stop words dropped, everything else stemmed."""
    return [stem_word(w) for w in content_words(text)]


# Snowball's implementation of Porter's original algorithm (1980), in C: the same stems as the
# algorithm as published, apart from a final "y" after a consonant, which it writes as "i"
# ("technology" -> "technologi"). Queries and phrases meet the same stemmer, so only consistency counts.
_PORTER = Stemmer.Stemmer("porter")


def porter_stem(word: str) -> str:
    """Porter's stem of one lower-case word."""
    stem: str = _PORTER.stemWord(word)
    return stem
