"""The public contract stays put while the code moves: every route (endpoint, rule,
methods) and every command with its options, as recorded in tests/fixtures/."""

import json
from pathlib import Path

import config
from app import create_app

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def routes(app) -> list[list]:
    return sorted(
        [rule.endpoint, rule.rule, sorted(rule.methods - {"HEAD", "OPTIONS"})] for rule in app.url_map.iter_rules()
    )


def commands(app) -> list[list]:
    found = []
    for name, command in app.cli.commands.items():
        if name in {"db", "run", "shell", "routes"}:  # Flask's and Flask-Migrate's own
            continue
        found.append([name, sorted(param.name for param in command.params)])
    return sorted(found)


def current_contract() -> dict:
    app = create_app(config.TestingConfig)
    return {"routes": routes(app), "commands": commands(app)}


def test_routes_and_commands_are_those_recorded():
    recorded = json.loads((FIXTURES / "public_contract.json").read_text(encoding="utf-8"))
    current = current_contract()
    assert current["routes"] == recorded["routes"]
    assert current["commands"] == recorded["commands"]


def dump(contract: dict) -> str:
    """One route or command a line, so a change reads as a one-line diff."""
    sections = [
        f'"{key}": [\n' + ",\n".join(f"  {json.dumps(row, ensure_ascii=False)}" for row in rows) + "\n ]"
        for key, rows in contract.items()
    ]
    return "{\n " + ",\n ".join(sections) + "\n}\n"


if __name__ == "__main__":  # python -m tests.test_public_contract > tests/fixtures/public_contract.json
    print(dump(current_contract()), end="")
