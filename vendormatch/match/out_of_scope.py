"""What a requirement statement looks like when no product feature can serve it.

Tenders and requirement lists mix needs with the conditions of buying: how to bid, what the price
must include, how stable the supplier is, when the project goes live, and wishes no feature
grants ("easy to use"). Their words ("pricing", "proposal", "contract", "years") also occur in
feature phrases, so the nearest feature would often win on one shared word. The matcher reads
these phrases beside the features (`lexical_scoring._out_of_scope`, whole phrases only): a
statement they explain at least a third as well as the best feature (`out_of_scope_factor`) is
left unmatched, with the phrase that decided it.

General tender and procurement language, grouped by theme; none of it is taken from the
evaluation set (a few phrases were prompted by statements of the development set).
A catalogue keeper who sells, say, contract management adds it as a feature: a feature that
explains a statement better than this vocabulary still wins.
"""

from __future__ import annotations

#: Theme -> phrases in the words tenders use for it. A phrase counts only when a statement holds
#: all its words, so a one-word phrase must speak of the purchase on its own: "handover" would
#: also take "handover notes when someone leaves", which asks for an activity history.
THEMES: dict[str, tuple[str, ...]] = {
    "the procurement process": (
        "rfp", "rfq", "invitation to tender", "tender", "tenderers", "bidders", "respondents",
        "proposals submitted", "submission deadline", "clarification questions in writing",
        "procurement officer", "procurement process", "evaluation committee", "evaluation panel",
        "evaluation criteria", "shortlisted vendors", "award the contract", "reject any proposal",
        "conflict of interest", "collusion", "canvassing", "framework agreement", "statement of compliance",
        "reserves the right", "printed copies", "page limit",
        "sealed envelope", "appendix", "form of tender", "deadline for questions", "preferred bidder",
        "standstill period", "lowest price", "most economically advantageous",
    ),
    "law and contract": (
        "applicable laws", "governing law", "jurisdiction", "freedom of information", "confidentiality",
        "non-disclosure agreement", "data processing agreement", "sub-processors", "tupe", "subcontracting",
        "assignment of the contract", "force majeure", "dispute resolution", "living wage", "sustainability",
        "diversity and inclusion", "anti-bribery",
    ),
    "commercial terms": (
        "pricing", "price proposal", "fixed price", "licence costs", "subscription charges", "one-off costs",
        "annual price increases", "discounts for charities", "cost of ownership", "cost breakdown",
        "travel expenses", "price validity", "firm prices", "contract term", "duration of the contract",
        "contract extension", "termination of the contract",
        "terms and conditions", "liability", "insurance", "indemnity", "warranty", "penalties", "exit clause",
        "value for money", "budget", "vat", "prices exclusive of tax", "payment within days of invoice",
        "day rates", "rate card for additional work", "price per user",
    ),
    "the supplier's standing": (
        "vendor experience", "years trading", "financial stability", "audited accounts", "annual turnover",
        "references", "litigation", "certifications held", "iso 9001", "subcontractors", "key personnel",
        "vetting", "background checks", "roadmap", "market share", "registered small business",
        "modern slavery statement", "environmental policy", "carbon reduction plan",
        "quality assurance of software releases", "organisations of similar size", "existing customers in our sector",
        "dedicated account manager", "named consultant", "single point of contact", "uk based team", "office locations",
    ),
    "project delivery": (
        "implementation timeline", "project plan", "milestones", "go live", "implementation approach",
        "delivery methodology", "onsite meetings", "phased rollout", "contract start date", "phase one",
        "exit plan", "transition at the end of the contract",
    ),
    "general qualities": (
        "easy to use", "intuitive", "user friendly", "modern look and feel", "fast", "minimal clicks",
        "simple to learn", "adoption", "proven", "configurable rather than customised",
    ),
    "licensing and technology": (
        "named user licences", "concurrent users", "licensing model", "scalability", "performance under load",
        "supported browsers", "chrome firefox safari edge", "source code escrow", "technology stack",
        "intellectual property", "deliverables become the property",
    ),
}


def phrases() -> tuple[str, ...]:
    """Every out-of-scope phrase, theme by theme."""
    return tuple(phrase for group in THEMES.values() for phrase in group)
