-- The center's balanced scorecard definition (issue 5), SQLite dialect. Mirrors
-- migrations/postgres/0003_scorecards.sql; see docs/management-pages.md.

-- Versioned: every save adds a row; the row with the highest id is in force. Without any
-- row the server applies hotline-scorecard's telecom example. `format` is the text's
-- syntax as it was sent ('toml' or 'json'); `created_by` the person who saved it (kept
-- when the person is deleted: NULL then).
CREATE TABLE scorecard_definitions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at  INTEGER NOT NULL,
    created_by  INTEGER REFERENCES people (id) ON DELETE SET NULL,
    format      TEXT    NOT NULL CHECK (format IN ('toml', 'json')),
    definition  TEXT    NOT NULL
);
