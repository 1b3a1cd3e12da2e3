-- Stripe customers Reelgate created, one per user, reused by later checkouts and the customer portal.
CREATE TABLE billing_customers (
    user_id      uuid PRIMARY KEY REFERENCES users (id),
    customer_id  text NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL DEFAULT now()
);

-- One row per payment: a pack or plan checkout (pending until paid) and each later subscription invoice.
-- clawed_back counts the credits a refund took back, including what was recorded as debt.
CREATE TABLE payments (
    id                   uuid PRIMARY KEY,
    user_id              uuid NOT NULL REFERENCES users (id),
    provider             text NOT NULL CHECK (provider IN ('stripe', 'sandbox')),
    kind                 text NOT NULL CHECK (kind IN ('pack', 'plan', 'renewal')),
    product              text NOT NULL,
    credits              numeric(18,2) NOT NULL CHECK (credits >= 0),
    amount               numeric(18,2) NOT NULL CHECK (amount >= 0),
    currency             text NOT NULL,
    status               text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'paid', 'failed', 'refunded')),
    checkout_session_id  text NULL UNIQUE,
    payment_intent_id    text NULL UNIQUE,
    invoice_id           text NULL UNIQUE,
    subscription_id      text NULL,
    refunded_amount      numeric(18,2) NOT NULL DEFAULT 0,
    clawed_back          numeric(18,2) NOT NULL DEFAULT 0,
    created_at           timestamptz NOT NULL DEFAULT now(),
    paid_at              timestamptz NULL
);
CREATE INDEX payments_user ON payments (user_id, id DESC);

-- Every verified Stripe event, stored once by its id and processed once.
CREATE TABLE stripe_events (
    id            text PRIMARY KEY,
    type          text NOT NULL,
    created       timestamptz NOT NULL,
    payload       jsonb NOT NULL,
    received_at   timestamptz NOT NULL DEFAULT now(),
    processed_at  timestamptz NULL
);

-- The last known state of each subscription; state_as_of is the time of the event that set it, so an older
-- event delivered late never overwrites a newer state, and an ended subscription stays ended.
CREATE TABLE billing_subscriptions (
    id           text PRIMARY KEY,
    user_id      uuid NOT NULL REFERENCES users (id),
    plan         text NULL,
    status       text NOT NULL,
    state_as_of  timestamptz NOT NULL,
    ended_at     timestamptz NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX billing_subscriptions_user ON billing_subscriptions (user_id);

-- Refund totals per charge as Stripe last reported them, applied to the payment once it is known (in any order).
CREATE TABLE stripe_refunds (
    charge_id          text PRIMARY KEY,
    payment_intent_id  text NOT NULL,
    amount             bigint NOT NULL CHECK (amount > 0),
    amount_refunded    bigint NOT NULL CHECK (amount_refunded >= 0),
    updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX stripe_refunds_payment_intent ON stripe_refunds (payment_intent_id);

-- Credits a refund could not take back because they were already spent; new jobs wait until it is settled.
CREATE TABLE billing_debts (
    id          uuid PRIMARY KEY,
    user_id     uuid NOT NULL REFERENCES users (id),
    payment_id  uuid NOT NULL REFERENCES payments (id),
    amount      numeric(18,2) NOT NULL CHECK (amount > 0),
    remaining   numeric(18,2) NOT NULL CHECK (remaining >= 0),
    created_at  timestamptz NOT NULL DEFAULT now(),
    settled_at  timestamptz NULL
);
CREATE INDEX billing_debts_outstanding ON billing_debts (user_id, created_at) WHERE remaining > 0;

-- Subscription grants whose unspent part expires when the rollover window ends.
CREATE TABLE subscription_credit_lots (
    ledger_entry_id  uuid PRIMARY KEY REFERENCES credit_ledger (id),
    user_id          uuid NOT NULL REFERENCES users (id),
    amount           numeric(18,2) NOT NULL,
    expires_at       timestamptz NOT NULL,
    expired_amount   numeric(18,2) NULL,
    processed_at     timestamptz NULL
);
CREATE INDEX subscription_credit_lots_due ON subscription_credit_lots (expires_at) WHERE processed_at IS NULL;
