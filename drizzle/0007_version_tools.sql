ALTER TABLE "prompt_versions" ADD COLUMN "tools" jsonb;--> statement-breakpoint
ALTER TABLE "prompt_versions" ADD COLUMN "response_format" jsonb;