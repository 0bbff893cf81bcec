-- A list's rows in page order (decision 026, "Indexes, and why"): a member's first page reads
-- each shared list's sort keys from this index in order, without a sort and without the heap,
-- and stops at a page. It leads with (user_id, list_id) as todos_list_idx did, so it replaces it.
CREATE INDEX "todos_list_position_idx" ON "todos" USING btree ("user_id","list_id","position","id");--> statement-breakpoint
DROP INDEX "todos_list_idx";
