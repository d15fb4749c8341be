"""Converting investment amounts to USD at cited official rates (stdlib only).

Only rates read off the cited page are listed here; a record whose currency and month have no
rate in RATES keeps amount_usd null (nothing is estimated). A record whose source states a USD
figure keeps it: `convert` fills only records that have none.

Rates are the Federal Reserve Board's G.5 monthly averages of the noon buying rates in New York
(release of 1 July 2024, table "average rates of exchange in JUNE 2024 together with comparable
figures for other months"). The G.5 quotes most currencies in units per US dollar and a few
(marked * on the page: EUR, GBP, AUD, NZD) in US dollars per unit; `per_usd` says which.
"""

SOURCE_ID = "frb-g5-2024-07-01"
SOURCE = {
    "id": SOURCE_ID,
    "url": "https://www.federalreserve.gov/releases/g5/20240701/",
    "title": "Foreign Exchange Rates -- G.5 Monthly (release of July 1, 2024: monthly averages for "
             "April, May and June 2024)",
    "publisher": "Board of Governors of the Federal Reserve System",
    "published_on": "2024-07-01",
    "retrieved_on": "2026-11-29",
    "reliability": "primary",
    "license": None,
}

# (currency, "YYYY-MM") -> (rate, per_usd, label). per_usd True: the rate is units of the currency
# per 1 USD; False: USD per 1 unit (the G.5's asterisked currencies).
RATES = {
    ("CAD", "2024-04"): (1.3674, True, "CANADA DOLLAR, April 2024"),
    ("EUR", "2024-04"): (1.0724, False, "*EMU MEMBERS EURO, April 2024"),
    ("EUR", "2024-05"): (1.0810, False, "*EMU MEMBERS EURO, May 2024"),
    ("EUR", "2024-06"): (1.0763, False, "*EMU MEMBERS EURO, June 2024"),
    ("CAD", "2024-05"): (1.3667, True, "CANADA DOLLAR, May 2024"),
    ("CAD", "2024-06"): (1.3705, True, "CANADA DOLLAR, June 2024"),
    ("GBP", "2024-04"): (1.2517, False, "*UNITED KINGDOM POUND, April 2024"),
    ("GBP", "2024-05"): (1.2636, False, "*UNITED KINGDOM POUND, May 2024"),
    ("GBP", "2024-06"): (1.2716, False, "*UNITED KINGDOM POUND, June 2024"),
    ("INR", "2024-04"): (83.3968, True, "INDIA RUPEE, April 2024"),
    ("INR", "2024-05"): (83.3873, True, "INDIA RUPEE, May 2024"),
    ("INR", "2024-06"): (83.4600, True, "INDIA RUPEE, June 2024"),
    ("JPY", "2024-04"): (153.8900, True, "JAPAN YEN, April 2024"),
    ("JPY", "2024-05"): (155.8691, True, "JAPAN YEN, May 2024"),
    ("JPY", "2024-06"): (157.8600, True, "JAPAN YEN, June 2024"),
    ("KRW", "2024-04"): (1367.8555, True, "SOUTH KOREA WON, April 2024"),
    ("KRW", "2024-05"): (1364.7241, True, "SOUTH KOREA WON, May 2024"),
    ("KRW", "2024-06"): (1379.0526, True, "SOUTH KOREA WON, June 2024"),
    ("SGD", "2024-04"): (1.3568, True, "SINGAPORE DOLLAR, April 2024"),
    ("SGD", "2024-05"): (1.3509, True, "SINGAPORE DOLLAR, May 2024"),
    ("SGD", "2024-06"): (1.3517, True, "SINGAPORE DOLLAR, June 2024"),
    ("CNY", "2024-04"): (7.2374, True, "CHINA, P.R. YUAN, April 2024"),
    ("CNY", "2024-05"): (7.2327, True, "CHINA, P.R. YUAN, May 2024"),
    ("CNY", "2024-06"): (7.2547, True, "CHINA, P.R. YUAN, June 2024"),
}

NO_RATE = ("No USD figure is stated in the cited sources, and no official exchange rate for {month} is "
           "recorded in data/build/fx.py, so amount_usd is left null.")


def convert(rec):
    """Return `rec` with amount_usd/usd_basis filled from RATES when it has no USD figure.

    The announcement month's average rate is used; the rate's source id is added to `sources`.
    Records with a USD figure, in USD, or with no rate for their month come back unchanged
    except for the null-case basis text, which names the month looked for.
    """
    if rec.get("amount_usd") is not None or rec["currency"] == "USD":
        return rec
    month = rec["announced_on"][:7]
    found = RATES.get((rec["currency"], month))
    if found is None:
        return dict(rec, usd_basis=NO_RATE.format(month=month))
    rate, per_usd, label = found
    usd = rec["amount"] / rate if per_usd else rec["amount"] * rate
    quote = f"1 USD = {rate} {rec['currency']}" if per_usd else f"1 {rec['currency']} = {rate} USD"
    basis = (f"Converted by Open Model Briefing at the Federal Reserve G.5 monthly average rate for the "
             f"announcement month ({label}: {quote}; federalreserve.gov, G.5 release of 2024-07-01, "
             f"retrieved {SOURCE['retrieved_on']}); rounded to the nearest US$ million.")
    sources = list(rec["sources"]) + ([SOURCE_ID] if SOURCE_ID not in rec["sources"] else [])
    return dict(rec, amount_usd=float(round(usd, -6)), usd_basis=basis, sources=sources)
