-- Pinned answers: the bot's messages a moderator pinned, what they are about, and whether they still are.
CREATE TABLE pins (
    message_id INTEGER PRIMARY KEY,
    guild_id INTEGER NOT NULL,
    channel_id INTEGER NOT NULL,
    title TEXT NOT NULL,
    pinned_by INTEGER NOT NULL,
    pinned_at TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pinned' CHECK (state IN ('pinned', 'removed', 'unpinned', 'deleted')),
    changed_at TEXT NOT NULL
);
CREATE INDEX pins_by_guild ON pins (guild_id, state, pinned_at);

CREATE TABLE pin_drugs (
    message_id INTEGER NOT NULL REFERENCES pins (message_id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    drug_id TEXT NOT NULL,
    PRIMARY KEY (message_id, position)
);
CREATE INDEX pin_drugs_by_drug ON pin_drugs (drug_id);
