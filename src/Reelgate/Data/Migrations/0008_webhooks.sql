-- Where a user receives signed webhooks: one endpoint per user, its secret signing every delivery. An endpoint
-- that answers 410 Gone is disabled until the user registers it again.
CREATE TABLE webhook_endpoints (
    user_id          uuid PRIMARY KEY REFERENCES users (id),
    url              text NOT NULL,
    secret           text NOT NULL,
    disabled_at      timestamptz NULL,
    disabled_reason  text NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);

-- Events owed to a user's endpoint, written in the transaction that makes the job final, so a job never ends
-- without its event being owed. The id is the webhook-id header, the same on every retry.
CREATE TABLE webhook_deliveries (
    id               uuid PRIMARY KEY,
    user_id          uuid NOT NULL REFERENCES users (id),
    job_id           uuid NOT NULL REFERENCES jobs (id),
    event            text NOT NULL,
    state            text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts         int NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    created_at       timestamptz NOT NULL DEFAULT now(),
    delivered_at     timestamptz NULL,
    finished_at      timestamptz NULL,
    failure          text NULL,
    UNIQUE (job_id, event)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_user ON webhook_deliveries (user_id, id DESC);

CREATE TABLE webhook_delivery_attempts (
    id           bigserial PRIMARY KEY,
    delivery_id  uuid NOT NULL REFERENCES webhook_deliveries (id),
    attempt      int NOT NULL,
    at           timestamptz NOT NULL,
    status_code  int NULL,
    latency_ms   int NOT NULL,
    error        text NULL
);
CREATE INDEX webhook_delivery_attempts_delivery ON webhook_delivery_attempts (delivery_id, attempt);
