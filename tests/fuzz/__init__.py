"""Property and stateful tests (hypothesis). `make test` runs them on the "ci" profile's bounded
budget; `make fuzz` runs them on the "fuzz" profile, many times longer (HYPOTHESIS_PROFILE=fuzz)."""

import os

#: How many times the CI budget a run gets (the profile is registered in tests/conftest.py).
SCALE = {"ci": 1, "fuzz": 40}.get(os.environ.get("HYPOTHESIS_PROFILE", "ci"), 1)
