CREATE TABLE credit_accounts (
    user_id     uuid PRIMARY KEY REFERENCES users (id),
    available   numeric(18,2) NOT NULL DEFAULT 0 CHECK (available >= 0),
    held        numeric(18,2) NOT NULL DEFAULT 0 CHECK (held >= 0),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Append-only: amount changes `available`, held_amount changes `held`; the *_after columns are the balances after the entry.
CREATE TABLE credit_ledger (
    id               uuid PRIMARY KEY,
    user_id          uuid NOT NULL REFERENCES users (id),
    kind             text NOT NULL CHECK (kind IN ('purchase','grant','subscription','referral','hold','capture','release','adjustment','refund','expiry')),
    amount           numeric(18,2) NOT NULL,
    held_amount      numeric(18,2) NOT NULL DEFAULT 0,
    available_after  numeric(18,2) NOT NULL,
    held_after       numeric(18,2) NOT NULL,
    operation_key    text NOT NULL UNIQUE,
    job_id           uuid NULL,
    payment_id       uuid NULL,
    actor_id         uuid NULL,
    reason           text NULL,
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX credit_ledger_user ON credit_ledger (user_id, created_at DESC, id DESC);
CREATE INDEX credit_ledger_job ON credit_ledger (job_id) WHERE job_id IS NOT NULL;

CREATE FUNCTION credit_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'credit_ledger is append-only';
END $$;
CREATE TRIGGER credit_ledger_no_update BEFORE UPDATE OR DELETE ON credit_ledger
    FOR EACH ROW EXECUTE FUNCTION credit_ledger_append_only();
