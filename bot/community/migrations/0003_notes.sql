-- Community notes: a server's moderators attach a short note to a medicine, shown on its card there.
CREATE TABLE notes (
    guild_id INTEGER NOT NULL,
    drug_id TEXT NOT NULL,
    text TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 500),
    author_id INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (guild_id, drug_id)
);
