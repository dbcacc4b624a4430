"""Business rules. Views, the API and the CLI call these; only these commit."""


class ValidationError(ValueError):
    """Input that breaks a rule; `problems` maps a field name to a translated message."""

    def __init__(self, problems: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))
        self.problems = problems
