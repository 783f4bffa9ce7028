ALTER TABLE "metric_rollups" DROP CONSTRAINT "metric_rollups_key";--> statement-breakpoint
ALTER TABLE "metric_rollups" ADD COLUMN "shard" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "metric_rollups" ADD CONSTRAINT "metric_rollups_key_shard" UNIQUE NULLS NOT DISTINCT("workspace_id","hour","prompt_id","version_id","model","ab_test_id","variant","shard");