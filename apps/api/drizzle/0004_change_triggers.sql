-- The change log (docs/decisions/007-change-log.md): every row written to todos or lists appends an
-- entry to `changes` with the owner's next `seq`, inside the writer's transaction, whichever code
-- path wrote it (single writes, bulk operations, imports, recurring next instances, cascades).
--
-- The triggers are DEFERRABLE INITIALLY DEFERRED constraint triggers: they run at commit, after
-- the transaction has taken all its row locks. The owner's change_seqs row is locked last and held
-- only until the commit that follows, so two writers of one user commit in seq order (a reader
-- never sees seq n+1 before n) and cannot deadlock on the counter against each other's row locks.
CREATE FUNCTION taskvault_record_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  owner uuid;
  entity uuid;
  payload jsonb;
  kind text;
  next_seq bigint;
BEGIN
  IF TG_OP = 'DELETE' THEN
    owner := OLD.user_id;
    entity := OLD.id;
    payload := NULL;
    kind := TG_ARGV[0] || '.deleted';
  ELSE
    owner := NEW.user_id;
    entity := NEW.id;
    payload := to_jsonb(NEW);
    kind := TG_ARGV[0] || '.upserted';
  END IF;
  -- An account deleted in this transaction leaves no log behind (its deletion removed it).
  IF NOT EXISTS (SELECT 1 FROM users WHERE id = owner) THEN
    RETURN NULL;
  END IF;
  INSERT INTO change_seqs AS counter (user_id, seq) VALUES (owner, 1)
    ON CONFLICT (user_id) DO UPDATE SET seq = counter.seq + 1
    RETURNING counter.seq INTO next_seq;
  INSERT INTO changes (user_id, seq, type, entity_id, data, created_at)
    VALUES (owner, next_seq, kind, entity, payload, now());
  -- Delivered at commit; identical payloads in one transaction are delivered once. Listeners
  -- read the log from their own position, so the payload only says whose log grew.
  PERFORM pg_notify('taskvault_changes', owner::text);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER todos_record_change AFTER INSERT OR UPDATE OR DELETE ON todos
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION taskvault_record_change('todo');
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER lists_record_change AFTER INSERT OR UPDATE OR DELETE ON lists
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION taskvault_record_change('list');
