-- The change log without a lock in the writing transaction (docs/decisions/018-change-delivery-after-commit.md,
-- which supersedes parts of 007).
--
-- Writers append: each row written to todos or lists adds one entry to the owner's inbox,
-- `pending_changes`, inside the writer's transaction (atomic with the write, as before), with the
-- row as it was written. No counter row, no notification: two writers never wait for each other.
--
-- Readers sequence: before reading the log (GET /changes, an event stream waking or opening, the
-- hourly compaction), `taskvault_sequence_changes(owner)` moves the owner's committed inbox into
-- `changes` with the next dense seqs, in the order the entries were written, under the owner's
-- counter row lock. Only sequencers of one user wait for each other, never writers; seqs stay
-- gap-free and strictly increasing, and a reader never sees n + 1 before n.
CREATE TABLE "pending_changes" (
	"user_id" uuid NOT NULL,
	"id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
	"type" text NOT NULL,
	"entity_id" uuid NOT NULL,
	"data" jsonb,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pending_changes_user_id_id_pk" PRIMARY KEY("user_id","id")
);
--> statement-breakpoint
DROP TRIGGER todos_record_change ON todos;
--> statement-breakpoint
DROP TRIGGER lists_record_change ON lists;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION taskvault_record_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    -- An account being deleted leaves nothing behind: its deletion removes the inbox after
    -- the user row, and rows deleted with it (cascades) record nothing.
    IF EXISTS (SELECT 1 FROM users WHERE id = OLD.user_id) THEN
      INSERT INTO pending_changes (user_id, type, entity_id, data)
        VALUES (OLD.user_id, TG_ARGV[0] || '.deleted', OLD.id, NULL);
    END IF;
  ELSE
    -- The todos and lists foreign keys already guarantee the owner exists.
    INSERT INTO pending_changes (user_id, type, entity_id, data)
      VALUES (NEW.user_id, TG_ARGV[0] || '.upserted', NEW.id, to_jsonb(NEW));
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER todos_record_change AFTER INSERT OR UPDATE OR DELETE ON todos
  FOR EACH ROW EXECUTE FUNCTION taskvault_record_change('todo');
--> statement-breakpoint
CREATE TRIGGER lists_record_change AFTER INSERT OR UPDATE OR DELETE ON lists
  FOR EACH ROW EXECUTE FUNCTION taskvault_record_change('list');
--> statement-breakpoint
-- Run in its own transaction at READ COMMITTED (each statement below sees what committed before
-- it, above all what the sequencer before us took), never inside a repeatable-read snapshot.
CREATE FUNCTION taskvault_sequence_changes(owner uuid) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  last_seq bigint;
  taken bigint;
BEGIN
  -- An empty inbox (a reader that is up to date): no lock, no write.
  PERFORM 1 FROM pending_changes WHERE user_id = owner LIMIT 1;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  -- No counter for an account deleted meanwhile.
  INSERT INTO change_seqs (user_id) SELECT owner WHERE EXISTS (SELECT 1 FROM users WHERE id = owner)
    ON CONFLICT (user_id) DO NOTHING;
  SELECT seq INTO last_seq FROM change_seqs WHERE user_id = owner FOR UPDATE;
  IF last_seq IS NULL THEN
    RETURN;
  END IF;
  -- Entries written by one transaction become visible together; within what is visible, the
  -- identity order is write order for any one entity (its row lock orders its writers).
  WITH taken_entries AS (
    DELETE FROM pending_changes WHERE user_id = owner RETURNING id, type, entity_id, data, created_at
  )
  INSERT INTO changes (user_id, seq, type, entity_id, data, created_at)
    SELECT owner, last_seq + row_number() OVER (ORDER BY id), type, entity_id, data, created_at
    FROM taken_entries;
  GET DIAGNOSTICS taken = ROW_COUNT;
  IF taken > 0 THEN
    UPDATE change_seqs SET seq = last_seq + taken WHERE user_id = owner;
  END IF;
END
$$;
