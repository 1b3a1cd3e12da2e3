-- Every change of a job's status is announced on reelgate_job_status ("<job id>:<status>"), whichever code path
-- made it, so long polls on any instance answer at once. The NOTIFY is sent when the changing transaction commits.
CREATE FUNCTION notify_job_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('reelgate_job_status', NEW.id::text || ':' || NEW.status);
    RETURN NULL;
END
$$;

CREATE TRIGGER jobs_status_notify AFTER UPDATE OF status ON jobs
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION notify_job_status();
