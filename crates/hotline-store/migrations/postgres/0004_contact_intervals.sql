-- Interval sums of the contact records (issue 5), PostgreSQL dialect. Mirrors
-- migrations/sqlite/0004_contact_intervals.sql; see docs/reports.md.

-- Per 15-minute cell (cell_start: its first millisecond since the epoch, a multiple of
-- 900 000), queue and channel: what reports need of the contact records that arrived
-- in it (hotline_metrics::report::ContactSums). Every write of contact records adds to
-- its cells in the same transaction, so a report of a month reads thousands of cells
-- instead of millions of records. A cell may have several parts, which reports add up:
-- part 0 for live writes and cells built at open; an import writes its own part (its
-- id), so it never waits on, nor holds up, the other writers of a cell. The wait
-- histograms are WaitHistogram::encode's bytes.
CREATE TABLE contact_intervals (
    cell_start         BIGINT NOT NULL CHECK (cell_start % 900000 = 0),
    queue_id           BIGINT NOT NULL REFERENCES queues (id) ON DELETE RESTRICT,
    channel            TEXT    NOT NULL,
    part               BIGINT NOT NULL CHECK (part >= 0),
    offered            BIGINT NOT NULL CHECK (offered > 0),
    answered           BIGINT NOT NULL CHECK (answered >= 0),
    abandoned          BIGINT NOT NULL CHECK (abandoned >= 0),
    flowed_out         BIGINT NOT NULL CHECK (flowed_out >= 0),
    callbacks          BIGINT NOT NULL CHECK (callbacks >= 0),
    transferred        BIGINT NOT NULL CHECK (transferred >= 0),
    wait_answered_ms   BIGINT NOT NULL,
    wait_abandoned_ms  BIGINT NOT NULL,
    max_wait_ms        BIGINT NOT NULL,
    talk_ms            BIGINT NOT NULL,
    hold_ms            BIGINT NOT NULL,
    wrap_up_ms         BIGINT NOT NULL,
    waits              BYTEA NOT NULL,
    answered_waits     BYTEA NOT NULL,
    abandoned_waits    BYTEA NOT NULL,
    PRIMARY KEY (cell_start, queue_id, channel, part)
);

-- Present once the cells hold every stored record. A database that had records before
-- this migration gets its cells from them when the store is next opened
-- (Store::connect); an empty one needs nothing.
CREATE TABLE contact_intervals_built (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    built_at  BIGINT NOT NULL,
    records   BIGINT NOT NULL
);
INSERT INTO contact_intervals_built (id, built_at, records)
SELECT 1, 0, 0 WHERE NOT EXISTS (SELECT 1 FROM contact_records);
