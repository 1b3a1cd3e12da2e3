-- Pay by bank through TrueLayer, beside Stripe, on the same payments table and fulfilment.
ALTER TABLE payments DROP CONSTRAINT payments_provider_check;
ALTER TABLE payments ADD CONSTRAINT payments_provider_check CHECK (provider IN ('stripe', 'sandbox', 'truelayer'));
-- truelayer_payment_id: the TrueLayer payment; mandate_id, period and attempt: which monthly charge of a plan it is.
ALTER TABLE payments
    ADD COLUMN truelayer_payment_id text NULL UNIQUE,
    ADD COLUMN failure_reason text NULL,
    ADD COLUMN mandate_id text NULL,
    ADD COLUMN period int NULL,
    ADD COLUMN attempt int NULL;
-- One payment per try of each period of a mandate, however many schedulers run.
CREATE UNIQUE INDEX payments_mandate_period_attempt ON payments (mandate_id, period, attempt) WHERE period IS NOT NULL;

-- Every verified TrueLayer webhook, stored once by its event_id and processed once.
CREATE TABLE truelayer_events (
    event_id      text PRIMARY KEY,
    type          text NOT NULL,
    payload       jsonb NOT NULL,
    received_at   timestamptz NOT NULL DEFAULT now(),
    processed_at  timestamptz NULL
);

-- A plan paid by bank: the commercial VRP mandate and its schedule. period is the month being charged (from 1),
-- attempt its try; due_at is when the scheduler next acts on the mandate (charge, retry, or end the plan), NULL while
-- a payment's outcome is awaited. anchor_at is the authorisation time the months count from.
CREATE TABLE truelayer_mandates (
    id              text PRIMARY KEY,
    user_id         uuid NOT NULL REFERENCES users (id),
    plan            text NOT NULL,
    payment_id      uuid NOT NULL REFERENCES payments (id),
    currency        text NOT NULL,
    amount_minor    bigint NOT NULL CHECK (amount_minor > 0),
    status          text NOT NULL DEFAULT 'authorization_required'
                    CHECK (status IN ('authorization_required', 'authorized', 'failed', 'revoked', 'ending', 'ended')),
    period          int NOT NULL DEFAULT 1,
    attempt         int NOT NULL DEFAULT 1,
    anchor_at       timestamptz NULL,
    due_at          timestamptz NULL,
    revoke_needed   boolean NOT NULL DEFAULT false,
    failure_reason  text NULL,
    revoked_at      timestamptz NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX truelayer_mandates_due ON truelayer_mandates (due_at) WHERE due_at IS NOT NULL;
CREATE INDEX truelayer_mandates_user ON truelayer_mandates (user_id);

-- Refunds of TrueLayer payments; executed ones are clawed back like Stripe's.
CREATE TABLE truelayer_refunds (
    id            text PRIMARY KEY,
    payment_id    uuid NOT NULL REFERENCES payments (id),
    amount_minor  bigint NOT NULL CHECK (amount_minor > 0),
    status        text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'executed', 'failed')),
    failure_reason text NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX truelayer_refunds_payment ON truelayer_refunds (payment_id);

-- Webhook deliveries that are not about a job (subscription.payment_failed) carry their own body and key.
ALTER TABLE webhook_deliveries ALTER COLUMN job_id DROP NOT NULL;
ALTER TABLE webhook_deliveries ADD COLUMN payload jsonb NULL, ADD COLUMN event_key text NULL UNIQUE;
