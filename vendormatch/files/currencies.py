"""ISO 4217 currency codes in use (the standard's list of active codes, 2026)."""

from __future__ import annotations

ISO_4217: frozenset[str] = frozenset(
    """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD BTN
    BWP BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP
    ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK
    JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK
    MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN
    PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB
    TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF XAG
    XAU XCD XCG XDR XOF XPD XPF XPT XSU XUA YER ZAR ZMW ZWG ZWL
    """.split()
)

# The currencies buyers name most: a typo is read as one of these first ("GPB" is GBP, not EGP).
COMMON: tuple[str, ...] = (
    "USD", "EUR", "GBP", "JPY", "CHF", "CAD", "AUD", "NZD", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF",
    "INR", "CNY", "SGD", "HKD", "ZAR", "BRL", "MXN", "AED", "ILS", "KRW", "TRY",
)

#: Where REFERENCE_RATES come from. The ECB publishes one mid-rate per currency each working day; a
#: rate entered more than three times away from these, or the wrong way round, is most likely a slip.
REFERENCE_SOURCE = (
    "ECB euro foreign exchange reference rates of 28 February 2025, as transcribed at "
    "https://eurodripusa.net/?p=3470"
)
REFERENCE_AS_OF = "2025-02-28"
#: Units of each currency per euro on REFERENCE_AS_OF.
REFERENCE_RATES: dict[str, float] = {
    "EUR": 1.0, "USD": 1.0411, "JPY": 156.96, "BGN": 1.9558, "CZK": 25.029, "DKK": 7.4583, "GBP": 0.82608,
    "HUF": 399.50, "PLN": 4.1503, "RON": 4.9768, "SEK": 11.1880, "CHF": 0.9394, "ISK": 145.70, "NOK": 11.7245,
    "TRY": 38.0186, "AUD": 1.6741, "BRL": 6.0712, "CAD": 1.5019, "CNY": 7.5782, "HKD": 8.0980, "IDR": 17228.17,
    "ILS": 3.7457, "INR": 90.9710, "KRW": 1519.92, "MXN": 21.2191, "MYR": 4.6459, "NZD": 1.8579, "PHP": 60.355,
    "SGD": 1.4037, "THB": 35.567, "ZAR": 19.1917,
}


def reference_rate(strategy_currency: str, product_currency: str) -> float | None:
    """Units of the strategy's currency per unit of the product's, by the reference rates; None if unlisted."""
    per_euro_strategy = REFERENCE_RATES.get(strategy_currency)
    per_euro_product = REFERENCE_RATES.get(product_currency)
    if per_euro_strategy is None or per_euro_product is None:
        return None
    return per_euro_strategy / per_euro_product


def currency_suggestion(code: str) -> str | None:
    """The code most likely meant by a mistyped one: two letters swapped, else one letter of a common code."""
    upper = code.upper()
    if upper in ISO_4217 and upper != code:
        return upper
    swapped = [upper[:i] + upper[i + 1] + upper[i] + upper[i + 2:] for i in range(len(upper) - 1)]
    found = [c for c in swapped if c in ISO_4217 and c != upper]
    found.sort(key=lambda c: (c not in COMMON, c))
    if found:
        return found[0]
    if len(upper) == 3:
        near = [c for c in COMMON if sum(a != b for a, b in zip(c, upper, strict=True)) == 1]
        if near:
            return near[0]
    return None
