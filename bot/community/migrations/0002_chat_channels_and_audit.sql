-- Chat checks: which channels they run in (all, only the listed ones, or all but the listed ones),
-- and the audit log of moderator actions (who changed what, before and after).
ALTER TABLE guild_settings ADD COLUMN channel_mode TEXT NOT NULL DEFAULT 'all'
    CHECK (channel_mode IN ('all', 'allow', 'deny'));

CREATE TABLE chat_channels (
    guild_id INTEGER NOT NULL REFERENCES guild_settings (guild_id) ON DELETE CASCADE,
    channel_id INTEGER NOT NULL,
    PRIMARY KEY (guild_id, channel_id)
);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    guild_id INTEGER NOT NULL,
    actor_id INTEGER NOT NULL,
    action TEXT NOT NULL,
    before TEXT NOT NULL,
    after TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX audit_log_by_guild ON audit_log (guild_id, id);
