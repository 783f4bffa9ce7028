-- deletePrompt removes a prompt with its versions and label history. Both stay immutable for every
-- other statement: a DELETE passes only inside the transaction that set
-- `prompt_service.purging_prompt` (transaction-local, set_config(..., true)) to that very prompt's id.
-- The audit log stays strictly append-only: it keeps the record of the deletion.
CREATE OR REPLACE FUNCTION reject_mutation_unless_purging() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('prompt_service.purging_prompt', true) = OLD.prompt_id::text THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION '% rows are immutable', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END;
$$;
--> statement-breakpoint
DROP TRIGGER prompt_versions_immutable ON prompt_versions;
--> statement-breakpoint
CREATE TRIGGER prompt_versions_immutable BEFORE UPDATE OR DELETE ON prompt_versions
  FOR EACH ROW EXECUTE FUNCTION reject_mutation_unless_purging();
--> statement-breakpoint
DROP TRIGGER label_history_append_only ON label_history;
--> statement-breakpoint
CREATE TRIGGER label_history_append_only BEFORE UPDATE OR DELETE ON label_history
  FOR EACH ROW EXECUTE FUNCTION reject_mutation_unless_purging();
