CREATE TABLE referral_redemptions (
    redeemer_id  uuid PRIMARY KEY REFERENCES users (id),
    referrer_id  uuid NOT NULL REFERENCES users (id),
    credits      numeric(18,2) NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    CHECK (redeemer_id <> referrer_id)
);
CREATE INDEX referral_redemptions_referrer ON referral_redemptions (referrer_id);
