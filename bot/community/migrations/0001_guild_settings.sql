-- Per-server settings. One row per server that changed something; a server without a row has the defaults.
CREATE TABLE guild_settings (
    guild_id INTEGER PRIMARY KEY,
    chat_mode TEXT NOT NULL DEFAULT 'off' CHECK (chat_mode IN ('off', 'react', 'reply')),
    chat_threshold TEXT NOT NULL DEFAULT 'major'
        CHECK (chat_threshold IN ('contraindicated', 'major', 'moderate')),
    log_channel_id INTEGER,
    updated_at TEXT NOT NULL
);
