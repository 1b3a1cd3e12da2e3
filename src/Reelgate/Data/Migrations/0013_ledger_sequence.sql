-- Entries written in one transaction share created_at and may share a UUIDv7 millisecond; seq is their true order.
ALTER TABLE credit_ledger ADD COLUMN seq bigserial NOT NULL;
CREATE UNIQUE INDEX credit_ledger_user_seq ON credit_ledger (user_id, seq DESC);
