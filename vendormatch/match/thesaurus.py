"""A general CRM and business thesaurus: one form for words and phrases that mean the same thing.

Buyers write the same need in many forms: "sign in", "log on" and "login"; "price list", "rate
card" and "tariff"; "web site" and "website". Two kinds of entry, both general knowledge of
business English, none taken from a test set:

- `_TERMS`: spellings of one term, rewritten to one token in requirement texts and catalogue
  phrases alike (so the catalogue needs one alias where it would need five), before stemming;
- `RELATED`: a word that implies a catalogue word without meaning exactly the same ("handheld"
  implies a smartphone, "rang" a call). Only texts are expanded, word by word before stemming
  (stemming would make "phoned" the same as "phone"), and the implied word counts for less
  than the word itself would (`RELATED_QUALITY`).
"""

from __future__ import annotations

from functools import lru_cache

from vendormatch.match.words import raw_words

# Term -> the spellings and phrasings that mean it. Longer phrasings are tried first.
_TERMS: dict[str, tuple[str, ...]] = {
    "sso": ("single sign on", "single sign-on", "single signon", "single-sign-on", "single sign in"),
    "login": (
        "sign in", "sign-in", "signin", "sign on", "sign-on", "signon", "log in", "log-in", "log on",
        "log-on", "logon", "logins", "logons", "logging in", "signing in", "signed in", "logged in",
    ),
    "mfa": (
        "multi factor", "multi-factor", "multifactor", "two factor", "two-factor", "2 factor", "2-factor",
        "2fa", "two step verification", "two-step verification", "2 step verification",
    ),
    "pricelist": (
        "price list", "price lists", "price-list", "pricelists", "price book", "price books", "pricebook",
        "pricebooks", "rate card", "rate cards", "ratecard", "tariff", "tariffs", "schedule of rates",
    ),
    "website": ("web site", "web sites", "web-site", "websites", "internet site"),
    "webpage": ("web page", "web pages", "web-page", "webpages"),
    "online": ("on line", "on-line"),
    "email": ("e mail", "e mails", "emails", "electronic mail"),
    "helpdesk": ("help desk", "help-desk", "helpdesks", "help desks"),
    "servicedesk": ("service desk", "service-desk", "service desks"),
    "workflow": ("work flow", "work-flow", "work flows", "workflows"),
    "dashboard": ("dash board", "dash-board", "dashboards"),
    "database": ("data base", "data-base", "databases"),
    "callback": ("call back", "call-back", "call backs", "callbacks", "ring back", "phone back"),
    "todo": ("to do", "to-do", "to dos", "to-dos", "todos", "to do list", "to-do list"),
    "followup": ("follow up", "follow-up", "follow ups", "follow-ups", "followups", "followed up", "following up"),
    "setup": ("set up", "set-up", "setups"),
    "signoff": ("sign off", "sign-off", "signoffs", "sign offs", "signed off", "signing off"),
    "optin": ("opt in", "opt-in", "opted in", "opt ins", "opt-ins", "optins"),
    "optout": ("opt out", "opt-out", "opted out", "opt outs", "opt-outs", "optouts"),
    "popup": ("pop up", "pop-up", "pops up", "popups", "pop ups", "pop-ups"),
    "clicktodial": ("click to call", "click-to-call", "click to dial", "click-to-dial", "click and call"),
    "selfservice": ("self service", "self-service", "selfserve", "self serve", "self-serve"),
    "realtime": ("real time", "real-time"),
    "adhoc": ("ad hoc", "ad-hoc"),
    "onpremises": (
        "on premise", "on premises", "on-premise", "on-premises", "on prem", "on-prem", "onprem",
        "onpremise", "in-house servers", "our own servers",
    ),
    "golive": ("go live", "go-live", "going live", "golive"),
    "callout": ("call out", "call-out", "call outs", "call-outs", "callouts"),
    "mailshot": ("mail shot", "mail-shot", "mail shots", "mailshots", "mail out", "mail-out", "mailout", "mailouts"),
    "newsletter": ("news letter", "news letters", "newsletters", "e-newsletter", "enewsletter", "e-newsletters"),
    "chatbot": ("chat bot", "chat-bot", "chatbots", "chat bots"),
    "webchat": ("web chat", "web-chat", "webchats"),
    "wifi": ("wi-fi", "wi fi"),
    "webhook": ("web hook", "web-hook", "web hooks", "webhooks"),
    "dropdown": ("drop down", "drop-down", "dropdowns", "drop downs", "drop-downs"),
    "picklist": ("pick list", "pick-list", "picklists", "pick lists"),
    "addon": ("add on", "add-on", "add ons", "add-ons", "addons"),
    "plugin": ("plug in", "plug-in", "plug ins", "plug-ins", "plugins"),
    "timesheet": ("time sheet", "time-sheet", "time sheets", "time-sheets", "timesheets"),
    "backup": ("back up", "back-up", "back ups", "back-ups", "backups", "backed up", "backing up"),
    "postcode": (
        "post code", "post-code", "postcodes", "post codes", "zip code", "zip-code", "zipcode", "zip codes", "postal code",
    ),
    "smartphone": (
        "mobile phone", "mobile phones", "cell phone", "cell phones", "cellphone", "cellphones",
        "smart phone", "smart phones", "smartphones",
    ),
    "sms": ("text message", "text messages", "text messaging", "txt message", "sms message", "sms messages", "texting"),
    "dialer": ("dialler", "diallers", "dialers", "auto-dialer", "autodialer", "auto dialler", "auto-dialler", "autodialler"),
    "dedup": ("de-duplicate", "de-duplication", "deduplicate", "deduplication", "de-dupe", "dedupe", "de-duplicating"),
    "esignature": (
        "e-signature", "e-signatures", "e signature", "esignatures", "electronic signature",
        "electronic signatures", "digital signature", "digital signatures", "e-sign", "esign",
    ),
    "inbox": ("in box", "in-box", "inboxes"),
    "faq": ("faqs", "f.a.q.", "frequently asked questions", "frequently asked question"),
    "kpi": ("kpis", "key performance indicator", "key performance indicators"),
    "ecommerce": ("e-commerce", "e commerce", "online shop", "web shop", "webshop"),
    "spreadsheet": ("spread sheet", "spread sheets", "spreadsheets"),
    # Logistics, not sales leads.
    "leadtime": ("lead time", "lead times", "lead-time", "lead-times"),
}

# Word -> catalogue words it implies in a requirement text (expanded in texts only).
RELATED: dict[str, tuple[str, ...]] = {
    "handheld": ("smartphone",), "handhelds": ("smartphone",), "pda": ("smartphone",),
    "ring": ("call",), "rings": ("call",), "rang": ("call",), "ringing": ("call",),
    "phoned": ("call",), "phoning": ("call",), "telephoned": ("call",), "telephoning": ("call",),
    "texted": ("sms",), "bulletin": ("newsletter",), "bulletins": ("newsletter",), "ebulletin": ("newsletter",),
    "caseworker": ("case",), "caseworkers": ("case",),
    "clientele": ("customer",), "patron": ("customer",), "patrons": ("customer",),
    "signatory": ("signature",), "signatories": ("signature",),
    "diary": ("calendar",), "diaries": ("calendar",),
    "duplicated": ("duplicate",), "pledge": ("donation",), "pledges": ("donation",),
    "wizard": ("guidance",), "wizards": ("guidance",),
    "outage": ("downtime",), "outages": ("downtime",),
    "translate": ("language",), "translated": ("language",), "translation": ("language",),
    "bilingual": ("language",), "multilingual": ("language",),
}
RELATED_QUALITY = 0.8


@lru_cache(maxsize=1)
def _spellings() -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """First word of a spelling -> (the spelling's words, its term), longest spelling first."""
    by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for term, spellings in _TERMS.items():
        for spelling in spellings:
            key = tuple(raw_words(spelling))
            by_first.setdefault(key[0], []).append((key, term))
    for options in by_first.values():
        options.sort(key=lambda option: (-len(option[0]), option[0]))
    return by_first


def rewrite_terms(words: list[str]) -> list[str]:
    """Replace every spelling of a thesaurus term in a list of lower-case words by the term's one word."""
    by_first = _spellings()
    if not any(word in by_first for word in words):
        return words
    out: list[str] = []
    position = 0
    while position < len(words):
        # Longest spelling first, so that "single sign on" wins over "sign on".
        for key, term in by_first.get(words[position], ()):
            if tuple(words[position : position + len(key)]) == key:
                out.append(term)
                position += len(key)
                break
        else:
            out.append(words[position])
            position += 1
    return out
