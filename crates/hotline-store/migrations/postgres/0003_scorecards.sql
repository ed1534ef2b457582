-- The center's balanced scorecard definition (issue 5), PostgreSQL dialect. Mirrors
-- migrations/sqlite/0003_scorecards.sql; see docs/management-pages.md.

-- Versioned: every save adds a row; the row with the highest id is in force. Without any
-- row the server applies hotline-scorecard's telecom example. `format` is the text's
-- syntax as it was sent ('toml' or 'json'); `created_by` the person who saved it (kept
-- when the person is deleted: NULL then).
CREATE TABLE scorecard_definitions (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    created_at  BIGINT  NOT NULL,
    created_by  BIGINT  REFERENCES people (id) ON DELETE SET NULL,
    format      TEXT    NOT NULL CHECK (format IN ('toml', 'json')),
    definition  TEXT    NOT NULL
);
