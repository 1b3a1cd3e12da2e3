-- A redemption is paid once, possibly long after it is made (with the referred account's first purchase);
-- referrer_credits is what the referrer got, 0 past their cap. Redemptions made before this were paid when made.
ALTER TABLE referral_redemptions
    ADD COLUMN rewarded_at timestamptz NULL,
    ADD COLUMN referrer_credits numeric(18,2) NULL;
UPDATE referral_redemptions SET rewarded_at = created_at, referrer_credits = credits;
ALTER TABLE referral_redemptions ADD CONSTRAINT referral_redemptions_rewarded CHECK ((rewarded_at IS NULL) = (referrer_credits IS NULL));
