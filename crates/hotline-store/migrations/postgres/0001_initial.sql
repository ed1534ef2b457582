-- Hotline schema, PostgreSQL dialect. Mirrors migrations/sqlite/0001_initial.sql column for
-- column (JSON columns are JSONB here, TEXT there; contact ids sort bytewise, as in
-- SQLite); see docs/storage.md. Times are milliseconds since the Unix epoch (BIGINT).
-- Identity columns: ids are never reused after a delete (history refers to them).

CREATE TABLE sites (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        TEXT    NOT NULL UNIQUE,
    time_zone   TEXT    NOT NULL
);

CREATE TABLE departments (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    site_id     BIGINT NOT NULL REFERENCES sites (id) ON DELETE RESTRICT,
    name        TEXT    NOT NULL,
    UNIQUE (site_id, name)
);

CREATE TABLE teams (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    department_id   BIGINT NOT NULL REFERENCES departments (id) ON DELETE RESTRICT,
    name            TEXT    NOT NULL,
    leader_id       BIGINT,
    UNIQUE (department_id, name)
);

CREATE TABLE people (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username        TEXT    NOT NULL UNIQUE,
    display_name    TEXT    NOT NULL,
    role            TEXT    NOT NULL CHECK (role IN ('admin', 'manager', 'supervisor', 'quality', 'trainer', 'agent')),
    tier            TEXT    NOT NULL CHECK (tier IN ('junior', 'intermediate', 'senior', 'expert')),
    team_id         BIGINT REFERENCES teams (id) ON DELETE RESTRICT,
    active          BOOLEAN NOT NULL,
    password_hash   TEXT
);
CREATE INDEX people_team ON people (team_id);
CREATE INDEX teams_leader ON teams (leader_id);
-- teams and people refer to each other: the second reference is added once both exist.
ALTER TABLE teams ADD CONSTRAINT teams_leader_id_fkey
    FOREIGN KEY (leader_id) REFERENCES people (id) ON DELETE RESTRICT;

CREATE TABLE skills (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        TEXT    NOT NULL UNIQUE,
    description TEXT    NOT NULL
);

CREATE TABLE person_skills (
    person_id   BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    skill_id    BIGINT NOT NULL REFERENCES skills (id) ON DELETE RESTRICT,
    proficiency BIGINT NOT NULL CHECK (proficiency BETWEEN 1 AND 5),
    PRIMARY KEY (person_id, skill_id)
);
CREATE INDEX person_skills_skill ON person_skills (skill_id);

CREATE TABLE queues (
    id                          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name                        TEXT    NOT NULL UNIQUE,
    channel                     TEXT    NOT NULL CHECK (channel IN ('voice', 'chat', 'email', 'messaging', 'video')),
    skill_id                    BIGINT NOT NULL REFERENCES skills (id) ON DELETE RESTRICT,
    min_proficiency             BIGINT NOT NULL CHECK (min_proficiency BETWEEN 1 AND 5),
    base_priority               BIGINT NOT NULL,
    aging_points_per_s          DOUBLE PRECISION NOT NULL CHECK (aging_points_per_s >= 0),
    aging_cap                   BIGINT,
    service_level_threshold_s   BIGINT NOT NULL CHECK (service_level_threshold_s > 0),
    target_service_level_pct    DOUBLE PRECISION NOT NULL CHECK (target_service_level_pct BETWEEN 0 AND 100),
    wrap_up_mode                TEXT    NOT NULL CHECK (wrap_up_mode IN ('fixed', 'manual')),
    wrap_up_s                   BIGINT,
    expected_handle_time_s      BIGINT,
    routing_steps               JSONB   NOT NULL
);
CREATE INDEX queues_skill ON queues (skill_id);

CREATE TABLE api_keys (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        TEXT    NOT NULL,
    role        TEXT    NOT NULL CHECK (role IN ('admin', 'manager', 'supervisor', 'quality', 'trainer', 'agent')),
    key_hash    TEXT    NOT NULL UNIQUE,
    created_at  BIGINT NOT NULL,
    revoked_at  BIGINT
);

CREATE TABLE sessions (
    token_hash  TEXT    PRIMARY KEY,
    person_id   BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL
);
CREATE INDEX sessions_person ON sessions (person_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

-- The durable event log. seq is assigned by the store from event_log_head, so it is
-- gap-free and never reused, even after truncation.
CREATE TABLE event_log (
    seq         BIGINT PRIMARY KEY,
    occurred_at BIGINT NOT NULL,
    kind        TEXT    NOT NULL,
    payload     JSONB   NOT NULL
);

CREATE TABLE event_log_head (
    id          BIGINT PRIMARY KEY CHECK (id = 1),
    last_seq    BIGINT NOT NULL
);
INSERT INTO event_log_head (id, last_seq) VALUES (1, 0);

CREATE TABLE snapshots (
    seq         BIGINT PRIMARY KEY,
    taken_at    BIGINT NOT NULL,
    data        BYTEA   NOT NULL
);

CREATE TABLE contact_records (
    contact_id      TEXT    COLLATE "C" PRIMARY KEY,
    queue_id        BIGINT NOT NULL REFERENCES queues (id) ON DELETE RESTRICT,
    channel         TEXT    NOT NULL CHECK (channel IN ('voice', 'chat', 'email', 'messaging', 'video')),
    customer_id     TEXT    NOT NULL,
    agent_id        BIGINT REFERENCES people (id) ON DELETE RESTRICT,
    arrived_at      BIGINT NOT NULL,
    answered_at     BIGINT,
    ended_at        BIGINT NOT NULL,
    wrap_up_end_at  BIGINT,
    outcome         TEXT    NOT NULL CHECK (outcome IN ('answered', 'abandoned', 'callback_completed', 'transferred_out', 'unfinished')),
    wait_ms         BIGINT NOT NULL CHECK (wait_ms >= 0),
    talk_ms         BIGINT NOT NULL CHECK (talk_ms >= 0),
    hold_ms         BIGINT NOT NULL CHECK (hold_ms >= 0),
    wrap_up_ms      BIGINT NOT NULL CHECK (wrap_up_ms >= 0),
    transfers       BIGINT NOT NULL CHECK (transfers >= 0),
    attributes      JSONB   NOT NULL
);
CREATE INDEX contact_records_arrival ON contact_records (arrived_at, contact_id);
CREATE INDEX contact_records_agent ON contact_records (agent_id, arrived_at, contact_id);
CREATE INDEX contact_records_queue ON contact_records (queue_id, arrived_at, contact_id);

CREATE TABLE agent_states (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id   BIGINT NOT NULL REFERENCES people (id) ON DELETE RESTRICT,
    state       TEXT    NOT NULL CHECK (state IN ('logged_out', 'ready', 'not_ready', 'reserved', 'busy', 'wrap_up')),
    reason      TEXT,
    from_at     BIGINT NOT NULL,
    to_at       BIGINT,
    CHECK (to_at IS NULL OR to_at >= from_at)
);
CREATE INDEX agent_states_person ON agent_states (person_id, from_at);
