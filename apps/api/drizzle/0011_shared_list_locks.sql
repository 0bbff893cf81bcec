-- Writers of a shared list and changes of its membership meet on a lock (docs/decisions/026-shared-lists.md,
-- "Writers and membership changes"). Migration 0008 fans a list's changes out to the members it reads,
-- unlocked, in the writer's transaction; a removal or a join committing between that read and the writer's
-- commit left a removed member an entry numbered after their `list.deleted`, or a joiner without a todo
-- that was neither in their copy of the list nor in the writer's fan-out.
--
-- The list's audience lock: a transaction-level advisory lock per list, in the two-int4 key space (class
-- 26001; never shared with the bigint keys of the migration and signing-key locks), keyed by a hash of
-- (owner, list). Every write that fans out to a list's members holds it SHARED from before it reads them
-- until it commits; joining, a role change and leaving hold it EXCLUSIVE. It lives in the lock manager's
-- memory: nothing is written to any row, so writers of one list never wait for each other and a todo
-- write takes no tuple lock on its list (issue 14). Two lists whose keys collide only wait for each
-- other's membership changes; the order below holds for any set of lists, so it never deadlocks.
--
-- The order that keeps it free of deadlocks: a writer takes a todo row's lock, then the list's audience
-- lock (shared), and may then wait for further rows. A membership change takes the audience lock
-- exclusively before anything else of the list and then never waits for a todo row (sharing.ts clears a
-- leaver's assignments with SKIP LOCKED): while it holds todo rows no writer holds the lock shared, and
-- while it waits for the lock it holds no todo row.
CREATE FUNCTION taskvault_list_lock_key(owner uuid, list uuid) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT hashtext(owner::text || list::text)
$$;
--> statement-breakpoint
-- For membership changes (sharing/sharing.ts): first, before reading or writing anything of the list.
CREATE FUNCTION taskvault_lock_list_audience(owner uuid, list uuid) RETURNS void
LANGUAGE sql AS $$
  SELECT pg_advisory_xact_lock(26001, taskvault_list_lock_key(owner, list))
$$;
--> statement-breakpoint
-- An assignee is the owner or a member of the todo's list (todos/placement.ts checks it for the API).
-- Checked again here, under the audience lock, for every row written with a member as assignee: a write
-- that was checked before a removal and runs after it, or a row the removal skipped because a writer held
-- it, comes out unassigned, exactly as if the removal had come just after the write and cleared it.
CREATE FUNCTION taskvault_keep_assignee_a_member() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock_shared(26001, taskvault_list_lock_key(NEW.user_id, NEW.list_id));
  IF NOT EXISTS (SELECT 1 FROM list_members
    WHERE owner_id = NEW.user_id AND list_id = NEW.list_id AND member_id = NEW.assignee_id) THEN
    NEW.assignee_id := NULL;
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER todos_assignee_is_member BEFORE INSERT OR UPDATE ON todos
  FOR EACH ROW WHEN (NEW.assignee_id IS NOT NULL AND NEW.assignee_id <> NEW.user_id AND NEW.list_id IS NOT NULL)
  EXECUTE FUNCTION taskvault_keep_assignee_a_member();
--> statement-breakpoint
-- As 0008, with the audience lock taken (shared) before any member is read. The statements after it run
-- at READ COMMITTED with a snapshot of their own (plpgsql, volatile), so after waiting for a membership
-- change they see it committed: a removed member is no longer among those read, a joiner is.
-- (AFTER row triggers run once their statement has written, and locked, all its rows.)
CREATE OR REPLACE FUNCTION taskvault_record_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    -- An account being deleted leaves nothing behind, and its members' tombstones come from
    -- their memberships (list_members' trigger): nothing may follow a tombstone.
    IF NOT EXISTS (SELECT 1 FROM users WHERE id = OLD.user_id) THEN
      RETURN NULL;
    END IF;
    INSERT INTO pending_changes (user_id, type, entity_id, data)
      VALUES (OLD.user_id, TG_ARGV[0] || '.deleted', OLD.id, NULL);
  ELSIF TG_ARGV[0] = 'list' THEN
    -- A list just created has no members yet (one must accept an invitation to it, after this commits).
    IF TG_OP = 'UPDATE' THEN
      PERFORM pg_advisory_xact_lock_shared(26001, taskvault_list_lock_key(NEW.user_id, NEW.id));
    END IF;
    PERFORM taskvault_list_upserted(NEW.user_id, NEW.id);
    RETURN NULL;
  ELSE
    INSERT INTO pending_changes (user_id, type, entity_id, data)
      VALUES (NEW.user_id, 'todo.upserted', NEW.id, to_jsonb(NEW));
  END IF;
  IF TG_ARGV[0] <> 'todo' THEN
    RETURN NULL;
  END IF;
  -- The audience of each list involved, before either is read (the tombstones below read both).
  IF TG_OP <> 'INSERT' AND OLD.list_id IS NOT NULL THEN
    PERFORM pg_advisory_xact_lock_shared(26001, taskvault_list_lock_key(OLD.user_id, OLD.list_id));
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.list_id IS NOT NULL
    AND (TG_OP = 'INSERT' OR NEW.list_id IS DISTINCT FROM OLD.list_id OR NEW.user_id <> OLD.user_id) THEN
    PERFORM pg_advisory_xact_lock_shared(26001, taskvault_list_lock_key(NEW.user_id, NEW.list_id));
  END IF;
  -- Members of the list the todo left (deleted, or moved to another list) see it go.
  IF TG_OP <> 'INSERT' AND OLD.list_id IS NOT NULL THEN
    INSERT INTO pending_changes (user_id, type, entity_id, data)
      SELECT m.member_id, 'todo.deleted', OLD.id, NULL FROM list_members m
      WHERE m.owner_id = OLD.user_id AND m.list_id = OLD.list_id
        AND (TG_OP = 'DELETE' OR NEW.list_id IS DISTINCT FROM OLD.list_id)
        AND NOT (TG_OP = 'UPDATE' AND EXISTS (SELECT 1 FROM list_members n
          WHERE n.owner_id = NEW.user_id AND n.list_id = NEW.list_id AND n.member_id = m.member_id))
      ORDER BY m.member_id;
  END IF;
  -- Members of the list it is in see it as written.
  IF TG_OP <> 'DELETE' AND NEW.list_id IS NOT NULL THEN
    INSERT INTO pending_changes (user_id, type, entity_id, data)
      SELECT m.member_id, 'todo.upserted', NEW.id, to_jsonb(NEW) FROM list_members m
      WHERE m.owner_id = NEW.user_id AND m.list_id = NEW.list_id
      ORDER BY m.member_id;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- As 0008, holding the audience lock exclusively: every writer that read the old membership has
-- committed before this trigger writes anything (so a leaver's `list.deleted` gets an inbox id after all
-- their entries, and is numbered last), and no writer reads the membership until this commits (so a
-- joiner's copy of the todos, read here, has every committed write, and every later one fans out to them).
-- sharing.ts takes it first; here it also covers a path that did not. Not taken where the list or the
-- member is being deleted by this very transaction (cascades): a list's deletion already excludes its
-- writers (it holds the list row and every todo row of the list), and a deleted account gets no entries.
CREATE OR REPLACE FUNCTION taskvault_record_membership() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF EXISTS (SELECT 1 FROM users WHERE id = OLD.member_id)
      AND EXISTS (SELECT 1 FROM lists WHERE user_id = OLD.owner_id AND id = OLD.list_id) THEN
      PERFORM pg_advisory_xact_lock(26001, taskvault_list_lock_key(OLD.owner_id, OLD.list_id));
    END IF;
    PERFORM taskvault_list_upserted(OLD.owner_id, OLD.list_id);
    IF EXISTS (SELECT 1 FROM users WHERE id = OLD.member_id) THEN
      INSERT INTO pending_changes (user_id, type, entity_id, data)
        VALUES (OLD.member_id, 'list.deleted', OLD.list_id, NULL);
    END IF;
    RETURN NULL;
  END IF;
  PERFORM pg_advisory_xact_lock(26001, taskvault_list_lock_key(NEW.owner_id, NEW.list_id));
  PERFORM taskvault_list_upserted(NEW.owner_id, NEW.list_id);
  IF TG_OP = 'INSERT' THEN
    INSERT INTO pending_changes (user_id, type, entity_id, data)
      SELECT NEW.member_id, 'todo.upserted', t.id, to_jsonb(t) FROM todos t
      WHERE t.user_id = NEW.owner_id AND t.list_id = NEW.list_id
      ORDER BY t.parent_id NULLS FIRST, t.position, t.id;
  END IF;
  RETURN NULL;
END
$$;
