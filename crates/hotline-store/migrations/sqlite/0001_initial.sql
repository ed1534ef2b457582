-- Hotline schema, SQLite dialect. Mirrors migrations/postgres/0001_initial.sql column for
-- column; see docs/storage.md. Times are milliseconds since the Unix epoch (INTEGER).
-- AUTOINCREMENT: ids are never reused after a delete (history refers to them).

CREATE TABLE sites (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT    NOT NULL UNIQUE,
    time_zone   TEXT    NOT NULL
);

CREATE TABLE departments (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id     INTEGER NOT NULL REFERENCES sites (id) ON DELETE RESTRICT,
    name        TEXT    NOT NULL,
    UNIQUE (site_id, name)
);

CREATE TABLE teams (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    department_id   INTEGER NOT NULL REFERENCES departments (id) ON DELETE RESTRICT,
    name            TEXT    NOT NULL,
    leader_id       INTEGER REFERENCES people (id) ON DELETE RESTRICT,
    UNIQUE (department_id, name)
);

CREATE TABLE people (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    username        TEXT    NOT NULL UNIQUE,
    display_name    TEXT    NOT NULL,
    role            TEXT    NOT NULL CHECK (role IN ('admin', 'manager', 'supervisor', 'quality', 'trainer', 'agent')),
    tier            TEXT    NOT NULL CHECK (tier IN ('junior', 'intermediate', 'senior', 'expert')),
    team_id         INTEGER REFERENCES teams (id) ON DELETE RESTRICT,
    active          BOOLEAN NOT NULL,
    password_hash   TEXT
);
CREATE INDEX people_team ON people (team_id);
CREATE INDEX teams_leader ON teams (leader_id);

CREATE TABLE skills (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT    NOT NULL UNIQUE,
    description TEXT    NOT NULL
);

CREATE TABLE person_skills (
    person_id   INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    skill_id    INTEGER NOT NULL REFERENCES skills (id) ON DELETE RESTRICT,
    proficiency INTEGER NOT NULL CHECK (proficiency BETWEEN 1 AND 5),
    PRIMARY KEY (person_id, skill_id)
);
CREATE INDEX person_skills_skill ON person_skills (skill_id);

CREATE TABLE queues (
    id                          INTEGER PRIMARY KEY AUTOINCREMENT,
    name                        TEXT    NOT NULL UNIQUE,
    channel                     TEXT    NOT NULL CHECK (channel IN ('voice', 'chat', 'email', 'messaging', 'video')),
    skill_id                    INTEGER NOT NULL REFERENCES skills (id) ON DELETE RESTRICT,
    min_proficiency             INTEGER NOT NULL CHECK (min_proficiency BETWEEN 1 AND 5),
    base_priority               INTEGER NOT NULL,
    aging_points_per_s          REAL    NOT NULL CHECK (aging_points_per_s >= 0),
    aging_cap                   INTEGER,
    service_level_threshold_s   INTEGER NOT NULL CHECK (service_level_threshold_s > 0),
    target_service_level_pct    REAL    NOT NULL CHECK (target_service_level_pct BETWEEN 0 AND 100),
    wrap_up_mode                TEXT    NOT NULL CHECK (wrap_up_mode IN ('fixed', 'manual')),
    wrap_up_s                   INTEGER,
    expected_handle_time_s      INTEGER,
    routing_steps               TEXT    NOT NULL
);
CREATE INDEX queues_skill ON queues (skill_id);

CREATE TABLE api_keys (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT    NOT NULL,
    role        TEXT    NOT NULL CHECK (role IN ('admin', 'manager', 'supervisor', 'quality', 'trainer', 'agent')),
    key_hash    TEXT    NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL,
    revoked_at  INTEGER
);

CREATE TABLE sessions (
    token_hash  TEXT    PRIMARY KEY,
    person_id   INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
);
CREATE INDEX sessions_person ON sessions (person_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

-- The durable event log. seq is assigned by the store from event_log_head, so it is
-- gap-free and never reused, even after truncation.
CREATE TABLE event_log (
    seq         INTEGER PRIMARY KEY,
    occurred_at INTEGER NOT NULL,
    kind        TEXT    NOT NULL,
    payload     TEXT    NOT NULL
);

CREATE TABLE event_log_head (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    last_seq    INTEGER NOT NULL
);
INSERT INTO event_log_head (id, last_seq) VALUES (1, 0);

CREATE TABLE snapshots (
    seq         INTEGER PRIMARY KEY,
    taken_at    INTEGER NOT NULL,
    data        BLOB    NOT NULL
);

CREATE TABLE contact_records (
    contact_id      TEXT    PRIMARY KEY,
    queue_id        INTEGER NOT NULL REFERENCES queues (id) ON DELETE RESTRICT,
    channel         TEXT    NOT NULL CHECK (channel IN ('voice', 'chat', 'email', 'messaging', 'video')),
    customer_id     TEXT    NOT NULL,
    agent_id        INTEGER REFERENCES people (id) ON DELETE RESTRICT,
    arrived_at      INTEGER NOT NULL,
    answered_at     INTEGER,
    ended_at        INTEGER NOT NULL,
    wrap_up_end_at  INTEGER,
    outcome         TEXT    NOT NULL CHECK (outcome IN ('answered', 'abandoned', 'callback_completed', 'transferred_out', 'unfinished')),
    wait_ms         INTEGER NOT NULL CHECK (wait_ms >= 0),
    talk_ms         INTEGER NOT NULL CHECK (talk_ms >= 0),
    hold_ms         INTEGER NOT NULL CHECK (hold_ms >= 0),
    wrap_up_ms      INTEGER NOT NULL CHECK (wrap_up_ms >= 0),
    transfers       INTEGER NOT NULL CHECK (transfers >= 0),
    attributes      TEXT    NOT NULL
);
CREATE INDEX contact_records_arrival ON contact_records (arrived_at, contact_id);
CREATE INDEX contact_records_agent ON contact_records (agent_id, arrived_at, contact_id);
CREATE INDEX contact_records_queue ON contact_records (queue_id, arrived_at, contact_id);

CREATE TABLE agent_states (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id   INTEGER NOT NULL REFERENCES people (id) ON DELETE RESTRICT,
    state       TEXT    NOT NULL CHECK (state IN ('logged_out', 'ready', 'not_ready', 'reserved', 'busy', 'wrap_up')),
    reason      TEXT,
    from_at     INTEGER NOT NULL,
    to_at       INTEGER,
    CHECK (to_at IS NULL OR to_at >= from_at)
);
CREATE INDEX agent_states_person ON agent_states (person_id, from_at);
