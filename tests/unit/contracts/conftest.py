"""The contract tests' shared helpers assert too: let pytest show the values that differ."""

import pytest

pytest.register_assert_rewrite(
    "tests.unit.contracts.tasks.helpers",
    "tests.unit.contracts.staking.helpers",
    "tests.support",
)
