"""The short definitions of every coded value: shown in tooltips, on the briefs and in
Help > Methods and definitions. docs/methods.md carries each sentence verbatim (a test checks),
so the app, the brief and the documentation never say different things."""

from __future__ import annotations

STATUS = {
    "reported": "described by the press from unnamed sources; the party has not announced it",
    "announced": "publicly stated as an intention by the party putting up the money (a speech, press release or plan); no legal or budgetary commitment yet",
    "committed": "formally allocated: appropriated or budgeted by a government, a fund registered with capital, or a signed agreement",
    "disbursing": "money is being paid out, as reported by the party or an auditor",
    "completed": "the money has been spent or the programme has closed",
    "withdrawn": "cancelled or abandoned by the party",
}
SCOPE = {
    "ai": "AI-specific: earmarked for AI (models, research, talent, adoption, or compute and data centres built for AI)",
    "ai_and_other": "AI together with other technologies, the AI share not stated",
    "semiconductors": "semiconductor manufacturing, research and workforce",
    "compute": "compute or data-centre infrastructure (and its power) not stated to be for AI alone",
}
CONFIRMATION = {
    "official": "announced by the party itself (a government, company or fund)",
    "press_reported": "reported by the press from unnamed sources, not confirmed by the party",
}
KIND = {
    "public_budget": "public money: a budget line, appropriation or state-bank lending",
    "sovereign_fund": "a sovereign or state investment fund, or its target",
    "private_pledge": "a private company's or investor's pledge",
    "public_private": "a package mixing public and private money",
}
STANCE = {
    "restrictive": "limits, or would limit, publishing, sharing, downloading, running or building on open-weight models, all of them or a named class (one developer's or one country's), including limits confined to government systems when the text covers the models themselves",
    "supportive": "promotes or funds open-weight models, expressly exempts or protects them, or recommends against restricting them",
    "mixed": "does both: restricts and favours open-weight models in the same action",
    "neutral": "bears on open-weight models or their developers and takes no side: duties that apply whatever the release mode, measures against a developer's hosted app or service only, evaluations, consultations",
    "not_applicable": "does not address AI models, their weights or their developers (chip and compute controls, rules on uses or content services, general AI laws whose sources say nothing on models)",
    "unassessed": "not yet coded against the rubric",
}
RELEVANCE = {
    "core": "bears on open models, model weights or their developers (every action whose stance is restrictive, supportive, mixed or neutral)",
    "context": "chips, compute, data, uses and general AI rules: background to the open-model race (stance not applicable)",
    "out_of_scope": "neither; such records are not counted anywhere (the bundled data leaves them out)",
}
STAGE = {
    "proposed": "a proposal, framework or consultation that is not a bill or rule",
    "introduced": "a bill introduced and not yet passed by a chamber",
    "passed_chamber": "passed by one chamber",
    "enacted": "adopted into law or signed, not yet in force or applicable",
    "in_force": "in force, applicable, or (for a report or statement) published",
    "rescinded": "withdrawn or repealed by a later action",
    "withdrawn": "withdrawn by its sponsor",
    "expired": "died without enactment (for example at the end of a Congress) or a consultation whose comment period closed",
    "vetoed": "passed and vetoed",
}
GRADE = {
    "primary": "the government, company, paper or dataset itself",
    "reputable": "a reputable secondary source: a wire service, major newspaper, trade publication, law firm or research institute",
    "weak": "a blog, aggregator, republisher, marketing site or machine-written summary",
}
TOPICS = {
    "model_weights": "model weights or their publication",
    "open_source": "open-source or open-weight models named as such",
    "frontier_models": "rules or duties for frontier or general-purpose models",
    "general_ai_rules": "general AI laws and regulation",
    "chips": "semiconductors, AI chips and chip-making equipment",
    "compute": "compute and data-centre capacity",
    "chinese_apps": "DeepSeek and other Chinese AI apps and services",
    "chinese_developers": "Chinese AI developers and their models",
    "state_laws": "US state laws and orders",
    "procurement": "government purchase or use of AI",
    "international": "international statements and agreements",
    "evaluations": "evaluations, standards and safety institutes",
    "exports_promotion": "promotion of AI exports",
}
PRECISION = {
    "day": "the date is exact",
    "month": "the source gives the date to the month; the last day of that month is used",
    "approximate": "the source gives no exact date (for example 'by mid-2025' or 'over the past year'); the date shown is the nearest defensible bound",
}

#: The terms a brief defines in its definitions box (docs/methods.md, "Terms on the briefs").
TERMS = {
    "open_weights": "a model whose trained parameters (weights) anyone may download and run; its licence may still limit use, and its training data and code are often not published",
    "download_share": "of all model downloads on Hugging Face over a study's window, the part attributed to developers based in one country; it counts downloads (including automated ones), not users or deployments",
    "derived_model": "a model on Hugging Face that declares another as its base: a fine-tune, adapter, quantisation or merge",
    "announced_committed": "announced means publicly stated as an intention, with no legal or budgetary commitment yet; committed means appropriated or budgeted, a fund registered with capital, or a signed agreement; disbursing means money is being paid out; completed means it has been spent or the programme has closed",
    "ai_specific": "money earmarked for AI (models, research, talent, adoption, or compute built for AI); packages for chips or technology in general are counted apart",
    "stance": "whether an action limits publishing, sharing or using open-weight models (restrictive) or promotes, funds or protects them (supportive), coded from its text by a published rubric",
    "stage": "how far an action has gone: an introduced bill or a proposal is not law; only an action in force applies",
}
#: The term each definition is printed under on a brief.
TERM_NAMES = {
    "open_weights": "Open-weight model",
    "download_share": "Share of downloads",
    "derived_model": "Derived model",
    "announced_committed": "Announced, committed, disbursing, completed",
    "ai_specific": "AI-specific commitment",
    "stance": "Stance on open models",
    "stage": "Stage",
}

#: Every vocabulary, by the record field it explains.
ALL = {
    "status": STATUS,
    "scope": SCOPE,
    "confirmation": CONFIRMATION,
    "kind": KIND,
    "stance_on_open_models": STANCE,
    "relevance": RELEVANCE,
    "stage": STAGE,
    "grade": GRADE,
    "topics": TOPICS,
    "as_of_precision": PRECISION,
}


def label(value: str | None) -> str:
    """'not_applicable' -> 'not applicable'; '' for None."""
    return (value or "").replace("_", " ")
