-- Imports of contact records and agent state history from other platforms (issue 5),
-- PostgreSQL dialect. Mirrors migrations/sqlite/0002_imports.sql; see docs/import.md.

-- One row per import run that committed (a failed or refused import leaves none: the
-- row is written in the import's own transaction). `sha256` (hex, of the file's bytes)
-- is how `hotline import` recognises a file it has already imported.
CREATE TABLE imports (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind                TEXT    NOT NULL CHECK (kind IN ('records', 'queue_log', 'agent_states', 'bank')),
    source              TEXT    NOT NULL,
    sha256              TEXT    NOT NULL,
    started_at          BIGINT  NOT NULL,
    finished_at         BIGINT,
    records_accepted    BIGINT  NOT NULL DEFAULT 0,
    records_duplicate   BIGINT  NOT NULL DEFAULT 0,
    states_accepted     BIGINT  NOT NULL DEFAULT 0,
    states_duplicate    BIGINT  NOT NULL DEFAULT 0,
    rejected            BIGINT  NOT NULL DEFAULT 0,
    -- JSON arrays of names; notes: a JSON object of format-specific counts.
    created_queues      JSONB   NOT NULL DEFAULT '[]',
    created_people      JSONB   NOT NULL DEFAULT '[]',
    notes               JSONB   NOT NULL DEFAULT '{}'
);
CREATE INDEX imports_sha256 ON imports (sha256);

-- How another platform names an agent ("Agent/1127", "NAAMA") → the person an import
-- resolved or created for it, so that the next import of the same platform finds the
-- same person although the name is not a valid username.
CREATE TABLE import_agent_names (
    source_name TEXT    COLLATE "C" PRIMARY KEY,
    person_id   BIGINT  NOT NULL REFERENCES people (id) ON DELETE CASCADE
);
CREATE INDEX import_agent_names_person ON import_agent_names (person_id);

-- Which import wrote a row (NULL: the live server). A person or queue keeps its
-- history; deleting an import is not a feature yet, so RESTRICT.
ALTER TABLE contact_records ADD COLUMN import_id BIGINT REFERENCES imports (id) ON DELETE RESTRICT;
ALTER TABLE agent_states ADD COLUMN import_id BIGINT REFERENCES imports (id) ON DELETE RESTRICT;

-- The natural key of an imported spell, so that re-importing a file adds nothing. Only
-- imported rows: the live server may legitimately write two zero-length spells of one
-- state at the same millisecond, and must never fail on this index.
CREATE UNIQUE INDEX agent_states_imported ON agent_states (person_id, from_at, state) WHERE import_id IS NOT NULL;
