CREATE TABLE "ab_tests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"prompt_id" uuid NOT NULL,
	"label" text NOT NULL,
	"status" text NOT NULL,
	"variants" jsonb NOT NULL,
	"allocation" jsonb NOT NULL,
	"weight_history" jsonb NOT NULL,
	"salt" text NOT NULL,
	"metric" text NOT NULL,
	"min_sample_size" integer NOT NULL,
	"auto_promote" boolean NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp with time zone,
	"winner_key" text,
	"decision" jsonb,
	"created_by_id" uuid,
	"created_by_name" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "ab_tests" ADD CONSTRAINT "ab_tests_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ab_tests" ADD CONSTRAINT "ab_tests_prompt_id_prompts_id_fk" FOREIGN KEY ("prompt_id") REFERENCES "public"."prompts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "ab_tests_one_running" ON "ab_tests" USING btree ("prompt_id","label") WHERE "ab_tests"."status" = 'RUNNING';--> statement-breakpoint
CREATE INDEX "ab_tests_prompt" ON "ab_tests" USING btree ("prompt_id","started_at");--> statement-breakpoint
CREATE INDEX "ab_tests_workspace" ON "ab_tests" USING btree ("workspace_id");