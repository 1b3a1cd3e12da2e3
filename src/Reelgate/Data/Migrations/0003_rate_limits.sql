-- Allowance handed out to app instances per limiter key and time bucket (a sliding window of buckets).
CREATE TABLE rate_limit_buckets (
    limiter_key  text NOT NULL,
    bucket_start timestamptz NOT NULL,
    granted      int NOT NULL CHECK (granted >= 0),
    PRIMARY KEY (limiter_key, bucket_start)
);
CREATE INDEX rate_limit_buckets_start ON rate_limit_buckets (bucket_start);
