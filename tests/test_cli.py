"""The CLI and the console, run as subprocesses the way a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

from bot.knowledge.wording import DISCLAIMER
from tests.conftest import store_path


def drugbot(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DRUG_STORE_PATH": str(store_path()), "DISCORD_TOKEN": ""}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def json_lines(result: subprocess.CompletedProcess[str]) -> list[dict[str, Any]]:
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_resolve_json_lines_for_the_done_when_names() -> None:
    names = [
        "imuran",
        "immuran",
        "azathiprine",
        "azasan",
        "Imuran 50mg tablets",
        "aza",
        "cellcept",
        "neoral",
        "sandimmune",
        "azacitidine",
    ]
    records = json_lines(drugbot("resolve", "--json", "--", *names))
    assert [r["query"] for r in records] == names
    drugs = [r["drug"] for r in records]
    assert drugs[:6] == ["azathioprine"] * 6
    assert drugs[6:9] == ["mycophenolate mofetil", "cyclosporine", "cyclosporine"]
    assert drugs[9] != "azathioprine"
    for record in records:
        assert set(record) >= {"query", "status", "drug", "curated", "matched_name", "candidates"}


def test_check_json_reports_the_interaction_and_what_to_do() -> None:
    (record,) = json_lines(drugbot("check", "--json", "imuran", "allopurinol"))
    (interaction,) = record["interactions"]
    assert interaction["severity"] in ("contraindicated", "major")
    assert sorted(interaction["drugs"]) == ["allopurinol", "azathioprine"]
    assert interaction["advice"] and interaction["sources"]
    assert record["disclaimer"] == DISCLAIMER


def test_check_json_flags_a_duplicate_and_lists_unresolved_names() -> None:
    (record,) = json_lines(drugbot("check", "--json", "imuran", "azathioprine", "qwxzvbnm"))
    assert record["duplicates"][0]["drugs"] == ["azathioprine"]
    assert record["unresolved"] == ["qwxzvbnm"]


def test_scan_json_finds_both_drugs_and_nothing_in_ordinary_words() -> None:
    stdin = "my rheumy put me on imuran, I also take allopurinol.\nI need advice about my plan\n"
    first, second = json_lines(drugbot("scan", "--json", stdin=stdin))
    assert [m["drug"] for m in first["mentions"]] == ["azathioprine", "allopurinol"]
    assert first["interactions"]
    assert second["mentions"] == [] and second["interactions"] == []


def test_info_text_has_the_disclaimer_and_the_interpretation() -> None:
    result = drugbot("info", "immuran")
    assert result.returncode == 0
    assert "You typed immuran" in result.stdout and "azaTHIOprine" in result.stdout
    assert "General information, not medical advice." in result.stdout


def test_usage_errors_exit_2() -> None:
    assert drugbot("check", "imuran").returncode == 2
    assert drugbot("resolve").returncode == 2
    assert drugbot("frobnicate").returncode == 2


def test_unknown_names_still_exit_0() -> None:
    (record,) = json_lines(drugbot("resolve", "--json", "qwxzvbnm"))
    assert record["status"] == "unknown" and record["drug"] is None


def test_console_answers_commands_and_chat_then_ends_at_end_of_input() -> None:
    script = "/drug immuran\n/drug prednisoe\n1\n/interactions imuran, zyloprim\nmy rheumy put me on imuran, I also take allopurinol.\nI need advice about my plan\n"
    result = drugbot("console", stdin=script)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "You typed immuran" in out
    assert "Which medicine did you mean?" in out and "[1] predniSONE" in out
    assert "Possible interaction in this message" in out
    assert "no medicine names found" in out
    assert out.count("General information, not medical advice.") >= 4


def test_run_without_a_token_explains_and_opens_the_console() -> None:
    result = drugbot("run", stdin="/drug imuran\n")
    assert result.returncode == 0, result.stderr
    first, *rest = result.stdout.splitlines()
    assert "DISCORD_TOKEN" in first and "console" in first
    assert any("azaTHIOprine" in line for line in rest)


def test_a_dictionary_only_name_says_so_in_words() -> None:
    # Ziagen (abacavir) has no reviewed entry: if one is added, pick another name-only brand here.
    (record,) = json_lines(drugbot("resolve", "--json", "ziagen"))
    assert (record["drug"], record["curated"]) == ("abacavir", False)
    text = drugbot("info", "ziagen").stdout
    assert "ziagen is a name for abacavir" in text.replace("*", "").lower()
    assert "no reviewed summary" in text


def test_resolve_json_gives_what_each_name_means() -> None:
    records = json_lines(drugbot("resolve", "--json", "imuran", "NSAIDs", "percocet"))
    assert [r["kind"] for r in records] == ["drug", "class", "combination"]
    assert records[1]["drug"] == "nsaids" and "ibuprofen" in records[1]["members"]
    assert set(records[2]["ingredients"]) == {"oxycodone", "acetaminophen"}


def test_check_json_answers_a_class_word_at_the_class_level() -> None:
    (record,) = json_lines(drugbot("check", "--json", "warfarin", "NSAIDs"))
    assert record["interactions"] and all(i["severity"] == "major" for i in record["interactions"])
    assert {tuple(i["names"]) for i in record["interactions"]} == {("warfarin", "NSAIDs")}
    assert record["unresolved"] == [] and record["notes"] == []


def test_console_takes_commands_in_any_case_and_sections_with_a_space() -> None:
    result = drugbot("console", stdin="/DRUG prednisone side effects\n/Interactions imuran / allopurinol\n")
    assert result.returncode == 0, result.stderr
    assert "Common side effects" in result.stdout and "Used for" not in result.stdout
    assert "Major: azathioprine + allopurinol" in result.stdout


def test_info_json_lists_every_partner_on_record() -> None:
    (record,) = json_lines(drugbot("info", "--json", "sudafed"))
    partners = {d for i in record["card"]["interactions"] for d in i["drugs"]} - {"pseudoephedrine"}
    assert "linezolid" in partners and record["card"]["interactions"][0]["severity"] == "contraindicated"


def test_info_json_answers_a_class_word_and_a_combination() -> None:
    records = [json_lines(drugbot("info", "--json", name))[0] for name in ("NSAIDs", "percocet")]
    assert records[0]["card"]["kind"] == "class" and "ibuprofen" in records[0]["card"]["members"]
    assert records[0]["card"]["rules"][0]["severity"] in ("contraindicated", "major")
    assert records[1]["card"]["kind"] == "combination"
    assert records[1]["card"]["ingredients"] == ["oxycodone", "acetaminophen"]


def test_bytes_that_are_not_utf8_never_crash_a_command() -> None:
    """A name pasted from a file in another encoding, with Python's strict UTF-8 streams (as under an
    en_US.UTF-8 locale): the commands answer, and JSON stays JSON."""
    env = {
        **os.environ,
        "DRUG_STORE_PATH": str(store_path()),
        "DISCORD_TOKEN": "",
        "PYTHONIOENCODING": "utf-8",
    }

    def run(*args: str | bytes, stdin: bytes = b"") -> bytes:
        result = subprocess.run(
            [sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, env=env, timeout=120
        )
        assert result.returncode == 0 and b"Traceback" not in result.stderr, result.stderr
        return result.stdout

    (record,) = [json.loads(line) for line in run("resolve", "--json", b"\xffimuran").splitlines()]
    assert record["drug"] == "azathioprine" and record["query"] == "\udcffimuran"
    scan = json.loads(run("scan", "--json", stdin=b"\xe9\xff imuran and allopurinol\n"))
    assert [m["drug"] for m in scan["mentions"]] == ["azathioprine", "allopurinol"]
    assert DISCLAIMER in " ".join(run("info", b"\xffimuran").decode().split())  # wrapped for the terminal
    assert b"azaTHIOprine" in run(
        "console", stdin=b"/drug \xffimuran\n/interactions imuran, \xe9allopurinol\n"
    )
