from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import Settings, SettingsError

TOKEN = "x" * 59


def test_defaults_without_anything_set() -> None:
    settings = Settings.from_mapping({})
    assert not settings.has_token and settings.log_level == "INFO" and settings.dev_guild_id is None


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("LOG_LEVEL", "LOUD"),
        ("DEV_GUILD_ID", "my-server"),
        ("DISCORD_API_BASE_URL", "ftp://proxy"),
        ("DISCORD_GATEWAY_URL", "http://gateway"),
        ("DISCORD_TOKEN", "short"),
        ("COMMUNITY_STORE_URL", "mysql://bot:pw@db/x"),
        ("SHARD_COUNT", "0"),
        ("SHARD_IDS", "0-3"),  # without SHARD_COUNT
    ],
)
def test_a_bad_value_is_one_error_naming_the_setting(key: str, value: str) -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.from_mapping({key: value})
    assert str(caught.value).startswith(f"{key}:")


def test_env_file_is_read_and_the_environment_wins(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text(f"# comment\nDISCORD_TOKEN='{TOKEN}'\nLOG_LEVEL=debug\nDEV_GUILD_ID=123456789012345678\n")
    settings = Settings.load({"LOG_LEVEL": "WARNING"}, env)
    assert (
        settings.token == TOKEN
        and settings.log_level == "WARNING"
        and settings.dev_guild_id == 123456789012345678
    )


def test_the_token_never_appears_in_repr() -> None:
    assert TOKEN not in repr(Settings.from_mapping({"DISCORD_TOKEN": TOKEN}))


def test_chat_checks_and_the_community_store_are_settings() -> None:
    from bot.bot import intents

    settings = Settings.from_mapping({"CHAT_CHECKS": "on", "COMMUNITY_STORE_PATH": "/tmp/c.sqlite3"})
    assert settings.chat_checks and str(settings.community_store_path) == "/tmp/c.sqlite3"
    assert intents(settings).message_content  # only then is the privileged intent asked for
    assert not intents(Settings()).message_content
    with pytest.raises(SettingsError, match="CHAT_CHECKS"):
        Settings.from_mapping({"CHAT_CHECKS": "maybe"})


def test_a_postgresql_url_chooses_the_shared_store_and_is_never_shown() -> None:
    url = "postgresql://bot:s3cret@db.internal/drugbot"
    settings = Settings.from_mapping({"COMMUNITY_STORE_URL": url, "COMMUNITY_STORE_PATH": "/tmp/c.sqlite3"})
    assert settings.community_store == url
    assert "s3cret" not in repr(settings)
    assert Settings.from_mapping({"COMMUNITY_STORE_PATH": "/tmp/c.sqlite3"}).community_store == Path(
        "/tmp/c.sqlite3"
    )
    with pytest.raises(SettingsError) as caught:
        Settings.from_mapping({"COMMUNITY_STORE_URL": "mysql://bot:s3cret@db/x"})
    assert "s3cret" not in str(caught.value)


def test_a_process_takes_its_range_of_shards() -> None:
    settings = Settings.from_mapping({"SHARD_COUNT": "16", "SHARD_IDS": "4-7, 12"})
    assert settings.shard_count == 16 and settings.shard_ids == (4, 5, 6, 7, 12)
    assert Settings.from_mapping({"SHARD_COUNT": "2"}).shard_ids is None
    for bad in ("4-20", "a-b", "1,1"):
        with pytest.raises(SettingsError, match="SHARD_IDS"):
            Settings.from_mapping({"SHARD_COUNT": "16", "SHARD_IDS": bad})
