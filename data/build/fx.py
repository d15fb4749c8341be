"""Converting investment amounts to USD at the Federal Reserve's published monthly rates (stdlib only).

Every non-USD amount is converted the same way, so all USD figures are comparable: at the G.5
monthly average ("noon buying rates in New York") for the month the commitment was announced.
A USD figure stated by a source is not used for totals (it was converted on an unstated day at an
unstated rate); it is kept in `usd_basis` for the reader. A currency or month with no rate below
keeps amount_usd null, and the record says so: nothing is estimated.

Where the rates were read:
* April-June 2024: the G.5 release of 1 July 2024 itself (federalreserve.gov, primary).
* Other months: the same G.5 series as published on FRED (EXCAUS, EXCHUS, EXINUS, EXJPUS, EXKOUS,
  EXSIUS, EXSZUS: currency per USD, exact), read from the datasets/exchange-rates package
  (data/monthly.csv at commit fa7d949). Its EUR and GBP columns are FRED's USD-per-unit series
  (EXUSEU, EXUSUK) inverted and rounded to four decimals by the package, so for those months the
  rate is units per USD to four decimals, not the G.5's own USD-per-unit figure; the difference is
  below 0.01% of the amount.
The G.5 quotes most currencies in units per US dollar and a few (marked * on the page: EUR, GBP,
AUD, NZD) in US dollars per unit; `per_usd` says which way each rate below reads.
"""

G5_PAGE = "frb-g5-2024-07-01"
G5_FRED = "fed-g5-monthly-via-fred"
SOURCE_ID = G5_PAGE  # kept for callers that name the release page
SOURCE = {
    "id": G5_PAGE,
    "url": "https://www.federalreserve.gov/releases/g5/20240701/",
    "title": "Foreign Exchange Rates -- G.5 Monthly (release of July 1, 2024: monthly averages for "
             "April, May and June 2024)",
    "publisher": "Board of Governors of the Federal Reserve System",
    "published_on": "2024-07-01",
    "retrieved_on": "2026-12-01",
    "reliability": "primary",
    "grade": "primary",
    "license": None,
}

# (currency, "YYYY-MM") -> (rate, per_usd, label, source id). per_usd True: units of the currency
# per 1 USD; False: USD per 1 unit (the G.5's asterisked currencies).
RATES = {
    # G.5 release of 2024-07-01 (primary page)
    ("CAD", "2024-04"): (1.3674, True, "CANADA DOLLAR, April 2024", G5_PAGE),
    ("CAD", "2024-05"): (1.3667, True, "CANADA DOLLAR, May 2024", G5_PAGE),
    ("CAD", "2024-06"): (1.3705, True, "CANADA DOLLAR, June 2024", G5_PAGE),
    ("EUR", "2024-04"): (1.0724, False, "*EMU MEMBERS EURO, April 2024", G5_PAGE),
    ("EUR", "2024-05"): (1.0810, False, "*EMU MEMBERS EURO, May 2024", G5_PAGE),
    ("EUR", "2024-06"): (1.0763, False, "*EMU MEMBERS EURO, June 2024", G5_PAGE),
    ("GBP", "2024-04"): (1.2517, False, "*UNITED KINGDOM POUND, April 2024", G5_PAGE),
    ("GBP", "2024-05"): (1.2636, False, "*UNITED KINGDOM POUND, May 2024", G5_PAGE),
    ("GBP", "2024-06"): (1.2716, False, "*UNITED KINGDOM POUND, June 2024", G5_PAGE),
    ("INR", "2024-04"): (83.3968, True, "INDIA RUPEE, April 2024", G5_PAGE),
    ("INR", "2024-05"): (83.3873, True, "INDIA RUPEE, May 2024", G5_PAGE),
    ("INR", "2024-06"): (83.4600, True, "INDIA RUPEE, June 2024", G5_PAGE),
    ("JPY", "2024-04"): (153.8900, True, "JAPAN YEN, April 2024", G5_PAGE),
    ("JPY", "2024-05"): (155.8691, True, "JAPAN YEN, May 2024", G5_PAGE),
    ("JPY", "2024-06"): (157.8600, True, "JAPAN YEN, June 2024", G5_PAGE),
    ("KRW", "2024-04"): (1367.8555, True, "SOUTH KOREA WON, April 2024", G5_PAGE),
    ("KRW", "2024-05"): (1364.7241, True, "SOUTH KOREA WON, May 2024", G5_PAGE),
    ("KRW", "2024-06"): (1379.0526, True, "SOUTH KOREA WON, June 2024", G5_PAGE),
    ("SGD", "2024-04"): (1.3568, True, "SINGAPORE DOLLAR, April 2024", G5_PAGE),
    ("SGD", "2024-05"): (1.3509, True, "SINGAPORE DOLLAR, May 2024", G5_PAGE),
    ("SGD", "2024-06"): (1.3517, True, "SINGAPORE DOLLAR, June 2024", G5_PAGE),
    ("CNY", "2024-04"): (7.2374, True, "CHINA, P.R. YUAN, April 2024", G5_PAGE),
    ("CNY", "2024-05"): (7.2327, True, "CHINA, P.R. YUAN, May 2024", G5_PAGE),
    ("CNY", "2024-06"): (7.2547, True, "CHINA, P.R. YUAN, June 2024", G5_PAGE),
    ("CHF", "2024-04"): (0.9099, True, "SWITZERLAND FRANC, April 2024", G5_PAGE),
    ("CHF", "2024-05"): (0.9088, True, "SWITZERLAND FRANC, May 2024", G5_PAGE),
    ("CHF", "2024-06"): (0.8938, True, "SWITZERLAND FRANC, June 2024", G5_PAGE),
    # G.5 series on FRED (datasets/exchange-rates, data/monthly.csv)
    ("SGD", "2024-02"): (1.3447, True, "Singapore dollars per USD, February 2024 (EXSIUS)", G5_FRED),
    ("INR", "2024-03"): (83.0214, True, "Indian rupees per USD, March 2024 (EXINUS)", G5_FRED),
    ("JPY", "2024-11"): (153.7126, True, "Japanese yen per USD, November 2024 (EXJPUS)", G5_FRED),
    ("CAD", "2024-12"): (1.4247, True, "Canadian dollars per USD, December 2024 (EXCAUS)", G5_FRED),
    ("GBP", "2025-01"): (0.8095, True, "pounds per USD, January 2025 (EXUSUK inverted)", G5_FRED),
    ("CNY", "2025-01"): (7.2957, True, "yuan per USD, January 2025 (EXCHUS)", G5_FRED),
    ("KRW", "2025-01"): (1452.1919, True, "won per USD, January 2025 (EXKOUS)", G5_FRED),
    ("EUR", "2025-02"): (0.9603, True, "euros per USD, February 2025 (EXUSEU inverted)", G5_FRED),
    ("CNY", "2025-03"): (7.2493, True, "yuan per USD, March 2025 (EXCHUS)", G5_FRED),
    ("GBP", "2025-06"): (0.7365, True, "pounds per USD, June 2025 (EXUSUK inverted)", G5_FRED),
    ("EUR", "2025-07"): (0.8568, True, "euros per USD, July 2025 (EXUSEU inverted)", G5_FRED),
    ("INR", "2026-02"): (90.7458, True, "Indian rupees per USD, February 2026 (EXINUS)", G5_FRED),
}

#: Currencies the G.5 publishes (the release's table); a record in any of them is expected to be converted.
G5_CURRENCIES = ("AUD", "BRL", "CAD", "CNY", "DKK", "EUR", "HKD", "INR", "JPY", "MYR", "MXN", "NZD", "NOK",
                 "SGD", "ZAR", "KRW", "LKR", "SEK", "CHF", "TWD", "THB", "GBP", "VES")

NO_RATE = ("No official (Federal Reserve G.5) rate for {currency} in {month} is recorded, so this "
           "commitment has no USD figure and is left out of USD totals.")


def convert(rec):
    """`rec` with amount_usd, fx_rate, fx_month and usd_basis set from RATES (the announcement month).

    USD amounts pass through. A hand record may carry `usd_stated` (a USD figure printed by its
    source); it is moved into the basis text, never used as the figure. No rate: amount_usd null.
    """
    rec = dict(rec)
    stated = rec.pop("usd_stated", None)
    said = f" The source itself states about US${stated / 1e9:,.1f} billion." if stated else ""
    if rec["currency"] == "USD":
        return dict(rec, amount_usd=float(rec["amount"]), fx_rate=None, fx_month=None,
                    usd_basis="Denominated in US dollars; no conversion.")
    month = rec["announced_on"][:7]
    found = RATES.get((rec["currency"], month))
    if found is None:
        return dict(rec, amount_usd=None, fx_rate=None, fx_month=None,
                    usd_basis=NO_RATE.format(currency=rec["currency"], month=month) + said)
    rate, per_usd, label, source_id = found
    usd = rec["amount"] / rate if per_usd else rec["amount"] * rate
    quote = f"1 USD = {rate} {rec['currency']}" if per_usd else f"1 {rec['currency']} = {rate} USD"
    where = ("Federal Reserve G.5 release of 2024-07-01" if source_id == G5_PAGE
             else "Federal Reserve G.5 series on FRED, via the datasets/exchange-rates package")
    basis = (f"Converted at the G.5 monthly average for the announcement month ({label}: {quote}; {where});"
             f" rounded to the nearest US$ million.{said}")
    sources = list(rec["sources"]) + ([source_id] if source_id not in rec["sources"] else [])
    # the G.5's own quote (USD per unit for EUR/GBP on the primary page) is stored as units per USD
    per_usd_rate = rate if per_usd else round(1 / rate, 6)
    return dict(rec, amount_usd=float(round(usd, -6)), fx_rate=per_usd_rate, fx_month=month,
                usd_basis=basis, sources=sources)
