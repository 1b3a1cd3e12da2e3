-- Authenticated API requests per user, API key (NULL for the web session) and UTC day; instances add their counts in batches.
CREATE TABLE usage_requests (
    user_id   uuid NOT NULL REFERENCES users (id),
    key_id    uuid NULL,
    day       date NOT NULL,
    requests  bigint NOT NULL CHECK (requests >= 0),
    UNIQUE NULLS NOT DISTINCT (user_id, day, key_id)
);

CREATE INDEX jobs_created ON jobs (created_at);
CREATE INDEX credit_ledger_captures ON credit_ledger (created_at) WHERE kind = 'capture';
