-- The notifications an account made, found through an index: deleting
-- an account deletes them (ON DELETE CASCADE on actor_id), which without
-- one reads the whole table for every account deleted.
CREATE INDEX notifications_actor_id ON notifications (actor_id);
