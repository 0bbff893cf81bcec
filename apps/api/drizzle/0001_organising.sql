CREATE TABLE "lists" (
	"user_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"name" text NOT NULL,
	"color" text,
	"position" double precision NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "lists_user_id_id_pk" PRIMARY KEY("user_id","id")
);
--> statement-breakpoint
ALTER TABLE "todos" ADD COLUMN "list_id" uuid;--> statement-breakpoint
ALTER TABLE "todos" ADD COLUMN "parent_id" uuid;--> statement-breakpoint
ALTER TABLE "todos" ADD COLUMN "recurrence" text;--> statement-breakpoint
ALTER TABLE "todos" ADD COLUMN "recur_from" text DEFAULT 'due' NOT NULL;--> statement-breakpoint
ALTER TABLE "todos" ADD COLUMN "remind_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "todos" ADD COLUMN "timezone" text DEFAULT 'UTC' NOT NULL;--> statement-breakpoint
ALTER TABLE "todos" ADD COLUMN "next_id" uuid;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "timezone" text DEFAULT 'UTC' NOT NULL;--> statement-breakpoint
ALTER TABLE "lists" ADD CONSTRAINT "lists_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "lists_name_key" ON "lists" USING btree ("user_id",lower("name"));--> statement-breakpoint
CREATE INDEX "lists_position_idx" ON "lists" USING btree ("user_id","position","id");--> statement-breakpoint
ALTER TABLE "todos" ADD CONSTRAINT "todos_list_fk" FOREIGN KEY ("user_id","list_id") REFERENCES "public"."lists"("user_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "todos" ADD CONSTRAINT "todos_parent_fk" FOREIGN KEY ("user_id","parent_id") REFERENCES "public"."todos"("user_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "todos_list_idx" ON "todos" USING btree ("user_id","list_id");--> statement-breakpoint
CREATE INDEX "todos_parent_idx" ON "todos" USING btree ("user_id","parent_id");