"""The one number and date formatter."""

from __future__ import annotations

from briefing.core import numbers


def test_styles():
    assert numbers.number(112_400_000_000) == "112.4 bn" and numbers.number(1e9) == "1 bn"
    assert numbers.number(27_000) == "27 k" and numbers.number(950) == "950"
    assert numbers.number(700e6, style="words") == "700 million" and numbers.number(1e9, style="words") == "1 billion"
    assert numbers.number(1_234_567, style="full") == "1,234,567"
    assert numbers.number(650e6, axis=True) == "650M"
    assert numbers.usd(877.7e9) == "$877.7 billion" and numbers.usd(20e9, style="short") == "US$ 20 bn"
    assert numbers.percent(17.1) == "17.1%" and numbers.percent(41) == "41%"
    assert numbers.value(15.8, "percent") == "15.8%" and numbers.value(5e8, "usd", style="words") == "$500 million"
    assert (
        numbers.display(None) == "" and numbers.display(True) == "yes" and numbers.display([1000, 2.5]) == "1,000, 2.5"
    )


def test_dates_and_windows():
    assert numbers.date("2025-03-17") == "Mar 17, 2025"
    assert numbers.date("2025-08-31", precision="month") == "Aug 2025"
    assert numbers.date("2025-06-30", precision="approximate") == "c. Jun 2025"
    assert numbers.window("2024-08-01", "2025-08-31", precision="month") == "Aug 2024 \u2013 Aug 2025"
    assert numbers.window("2025-02-09", "2025-02-09") == "Feb 9, 2025" and numbers.date(None) == ""
    assert numbers.plural(1, "action") == "1 action" and numbers.plural(2, "action") == "2 actions"
