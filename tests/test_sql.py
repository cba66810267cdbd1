"""Every SQL statement in the bot is a fixed string, with values passed as parameters: a statement built
from strings at run time (an f-string, `+`, `%`, `.format`) fails here. Allowed besides string literals:
a module-level constant holding a literal or a tuple of literals (and a loop over such a tuple), a
statement read from a numbered migration file, marked "# SQL from a migration file", and, in a database
driver, the statement the store passed in (its `sql` parameter), marked "# the store's own statement"."""

from __future__ import annotations

import ast
from pathlib import Path

BOT = Path(__file__).resolve().parent.parent / "bot"
SQL_CALLS = {"execute", "executemany", "executescript", "fetch", "fetchrow", "fetchval", "_read"}
MIGRATION_MARK = "# SQL from a migration file"
PASSED_THROUGH_MARK = "# the store's own statement"


def _literal(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    return isinstance(node, ast.Tuple | ast.List) and all(_literal(e) for e in node.elts)


def _constants(tree: ast.Module) -> set[str]:
    return {
        target.id
        for node in tree.body
        if isinstance(node, ast.Assign) and _literal(node.value)
        for target in node.targets
        if isinstance(target, ast.Name)
    }


def _loop_names(tree: ast.Module, constants: set[str]) -> set[str]:
    """Loop variables over a constant tuple of statements."""
    return {
        node.target.id
        for node in ast.walk(tree)
        if isinstance(node, ast.For | ast.AsyncFor)
        and isinstance(node.target, ast.Name)
        and isinstance(node.iter, ast.Name)
        and node.iter.id in constants
    }


def _is_sql_parameter(node: ast.AST) -> bool:
    """The driver's own `sql` parameter, as it came in or with its placeholders numbered."""
    if isinstance(node, ast.Name):
        return node.id == "sql"
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "numbered"
        and len(node.args) == 1
        and _is_sql_parameter(node.args[0])
    )


def string_built_sql(path: Path, root: Path = BOT.parent) -> list[str]:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source)
    constants = _constants(tree)
    allowed = constants | _loop_names(tree, constants)
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args):
            continue
        if node.func.attr not in SQL_CALLS:
            continue
        statement = node.args[0]
        if _literal(statement) or (isinstance(statement, ast.Name) and statement.id in allowed):
            continue
        if MIGRATION_MARK in lines[node.lineno - 1]:
            continue
        if PASSED_THROUGH_MARK in lines[node.lineno - 1] and _is_sql_parameter(statement):
            continue
        found.append(f"{path.relative_to(root)}:{node.lineno}: {ast.unparse(statement)[:60]}")
    return found


def test_no_sql_statement_is_built_from_strings() -> None:
    found = [problem for path in sorted(BOT.rglob("*.py")) for problem in string_built_sql(path)]
    assert found == []


def test_the_check_catches_built_statements(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "TABLES = ('a', 'b')\n"
        "def f(db, table, name):\n"
        "    db.execute(f'DELETE FROM {table}')\n"
        "    db.execute('SELECT * FROM t WHERE name = ' + name)\n"
        "    db.execute('SELECT ?', (name,))\n"
        "    for t in TABLES:\n"
        "        db.execute(t)\n"
        "def g(db, sql, name):\n"
        "    db.fetch(sql)  # the store's own statement\n"
        "    db.fetch(numbered(sql))  # the store's own statement\n"
        "    db.fetch(sql + name)  # the store's own statement\n"
        "    db.fetch(f'SELECT {name}')\n",
        encoding="utf-8",
    )
    assert [line.split(":")[1] for line in string_built_sql(sample, tmp_path)] == ["3", "4", "11", "12"]
