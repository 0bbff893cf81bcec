CREATE TABLE "list_invitations" (
	"owner_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"list_id" uuid NOT NULL,
	"email" text NOT NULL,
	"role" text NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"expires_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "list_invitations_owner_id_id_pk" PRIMARY KEY("owner_id","id")
);
--> statement-breakpoint
CREATE TABLE "list_members" (
	"owner_id" uuid NOT NULL,
	"list_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"role" text NOT NULL,
	"joined_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "list_members_owner_id_list_id_member_id_pk" PRIMARY KEY("owner_id","list_id","member_id")
);
--> statement-breakpoint
ALTER TABLE "todos" ADD COLUMN "created_by" uuid;--> statement-breakpoint
ALTER TABLE "todos" ADD COLUMN "assignee_id" uuid;--> statement-breakpoint
ALTER TABLE "todos" ADD COLUMN "reminder_by" uuid;--> statement-breakpoint
ALTER TABLE "list_invitations" ADD CONSTRAINT "list_invitations_list_fk" FOREIGN KEY ("owner_id","list_id") REFERENCES "public"."lists"("user_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "list_members" ADD CONSTRAINT "list_members_member_id_users_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "list_members" ADD CONSTRAINT "list_members_list_fk" FOREIGN KEY ("owner_id","list_id") REFERENCES "public"."lists"("user_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "list_invitations_list_email_key" ON "list_invitations" USING btree ("owner_id","list_id","email");--> statement-breakpoint
CREATE INDEX "list_invitations_email_idx" ON "list_invitations" USING btree ("email","expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "list_members_member_idx" ON "list_members" USING btree ("member_id","list_id","owner_id","role");--> statement-breakpoint
CREATE INDEX "todos_assignee_idx" ON "todos" USING btree ("user_id","assignee_id") WHERE "todos"."assignee_id" is not null;--> statement-breakpoint
-- Shared lists (docs/decisions/024-shared-lists.md): the change log fans out on write. Every entry a
-- write of a shared list's rows makes in its owner's inbox is also made in each member's, in the
-- same transaction, so each member's per-user seq stays dense and strictly increasing (decision 018
-- sequences every inbox alike) and a removed member simply gets nothing more.
--
-- The audience of a list (its owner and members) each get the list as they see it: the row plus
-- their role and the member count.
CREATE FUNCTION taskvault_list_upserted(owner uuid, list uuid) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO pending_changes (user_id, type, entity_id, data)
  SELECT audience.user_id, 'list.upserted', l.id,
    to_jsonb(l) || jsonb_build_object('role', audience.role, 'member_count', counted.n)
  FROM lists l
  CROSS JOIN (SELECT 1 + count(*) AS n FROM list_members WHERE owner_id = owner AND list_id = list) counted
  CROSS JOIN LATERAL (
    SELECT owner AS user_id, 'owner' AS role, 0 AS rank
    UNION ALL
    SELECT member_id, role, 1 FROM list_members WHERE owner_id = owner AND list_id = list
  ) audience
  WHERE l.user_id = owner AND l.id = list AND EXISTS (SELECT 1 FROM users WHERE id = owner)
  ORDER BY audience.rank, audience.user_id;
$$;
--> statement-breakpoint
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
    PERFORM taskvault_list_upserted(NEW.user_id, NEW.id);
    RETURN NULL;
  ELSE
    INSERT INTO pending_changes (user_id, type, entity_id, data)
      VALUES (NEW.user_id, 'todo.upserted', NEW.id, to_jsonb(NEW));
  END IF;
  IF TG_ARGV[0] <> 'todo' THEN
    RETURN NULL;
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
-- Joining, a role change and leaving: everyone who sees the list gets it again (member count,
-- role); a new member also gets each of its todos, a leaving one its tombstone and nothing after.
CREATE FUNCTION taskvault_record_membership() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM taskvault_list_upserted(OLD.owner_id, OLD.list_id);
    IF EXISTS (SELECT 1 FROM users WHERE id = OLD.member_id) THEN
      INSERT INTO pending_changes (user_id, type, entity_id, data)
        VALUES (OLD.member_id, 'list.deleted', OLD.list_id, NULL);
    END IF;
    RETURN NULL;
  END IF;
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
--> statement-breakpoint
CREATE TRIGGER list_members_record_change AFTER INSERT OR UPDATE OR DELETE ON list_members
  FOR EACH ROW EXECUTE FUNCTION taskvault_record_membership();
