"""Questions for each department's requirements workshop: what to ask the customer-facing staff.

They follow the practitioners' method the product is built on: start from why customers come to
the organisation, ask the people who face them, keep the four bottom-line corners in view
(revenue, costs, profitability, the cost of lost opportunities), and ask what data each goal needs
and how hard it is to capture, because data that is hard to capture is not captured.
"""

from __future__ import annotations

COMMON = (
    "Why do customers come to us, and why do some of them leave?",
    "Which of our objectives does your team's work move, and how would we see it in the KPI?",
    "What do you type in twice, or keep in a spreadsheet or notebook beside the system?",
    "Which figures do you need each week, and where do they come from today?",
    "What would you stop doing if the system did it for you?",
)

BY_DEPARTMENT: dict[str, tuple[str, ...]] = {
    "sales": (
        "How does an enquiry reach a salesperson today, and how many are lost on the way?",
        "What do you need to know about a customer before a call or a visit?",
        "Where are you when you record a call or a visit: at a desk, in the car, on site?",
        "How do you prepare a quote or proposal, and who must approve a discount?",
        "How is the sales outlook forecast, and who needs it?",
    ),
    "service": (
        "How do customers reach you (phone, email, chat, portal), and how fast must you answer?",
        "How do you know who owns a query and whether it is overdue?",
        "Which answers do you give again and again?",
        "What must a colleague know to pick up a case you started?",
        "How do you learn whether the customer was satisfied?",
    ),
    "marketing": (
        "Which customers do you write to, how often, and how do you choose them?",
        "How do you know which campaign brought in which customer or order?",
        "Which events, forms or web pages collect new contacts, and where do they go?",
        "How do you record consent, and how do people unsubscribe?",
    ),
    "accounts": (
        "Which customer details must match between sales and the accounting system?",
        "How do invoices get raised from what was sold, and who retypes what?",
        "How do sales and service learn that a customer is overdue or on credit stop?",
        "Who may change credit limits, payment terms or bank details, and how is that recorded?",
    ),
}


def questions(department: str) -> tuple[str, ...]:
    """The workshop questions for a department (its own, then the ones every department is asked)."""
    return BY_DEPARTMENT.get(department, ()) + COMMON
