CREATE TABLE "metric_calls" (
	"workspace_id" uuid NOT NULL,
	"call_id" text NOT NULL,
	"prompt_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	"model" text NOT NULL,
	"request_id" text,
	"run_id" text,
	"ab_test_id" uuid,
	"variant" text,
	"latency_ms" double precision NOT NULL,
	"input_tokens" bigint,
	"output_tokens" bigint,
	"tokens_used" bigint,
	"success" boolean NOT NULL,
	"error_code" text,
	"quality_score" double precision,
	"cost_usd" numeric(18, 9),
	"at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"fingerprint" text NOT NULL,
	CONSTRAINT "metric_calls_workspace_id_call_id_pk" PRIMARY KEY("workspace_id","call_id")
);
--> statement-breakpoint
CREATE TABLE "metric_feedback" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"call_id" text NOT NULL,
	"score" double precision NOT NULL,
	"comment" text,
	"actor_id" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "metric_rollups" (
	"workspace_id" uuid NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"prompt_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	"model" text NOT NULL,
	"ab_test_id" uuid,
	"variant" text,
	"calls" bigint NOT NULL,
	"successes" bigint NOT NULL,
	"latency_sum" double precision NOT NULL,
	"latency_sq_sum" double precision NOT NULL,
	"latency_hist" jsonb NOT NULL,
	"input_tokens" bigint NOT NULL,
	"output_tokens" bigint NOT NULL,
	"tokens_sum" bigint NOT NULL,
	"tokens_calls" bigint NOT NULL,
	"quality_count" bigint NOT NULL,
	"quality_sum" double precision NOT NULL,
	"quality_sq_sum" double precision NOT NULL,
	"cost_calls" bigint NOT NULL,
	"cost_sum" numeric NOT NULL,
	"cost_sq_sum" numeric NOT NULL,
	CONSTRAINT "metric_rollups_key" UNIQUE NULLS NOT DISTINCT("workspace_id","hour","prompt_id","version_id","model","ab_test_id","variant")
);
--> statement-breakpoint
CREATE TABLE "model_prices" (
	"workspace_id" uuid,
	"model" text NOT NULL,
	"input_per_million" numeric(18, 9) NOT NULL,
	"output_per_million" numeric(18, 9) NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "model_prices_workspace_model" UNIQUE NULLS NOT DISTINCT("workspace_id","model")
);
--> statement-breakpoint
ALTER TABLE "model_prices" ADD CONSTRAINT "model_prices_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "metric_calls_at" ON "metric_calls" USING btree ("at");--> statement-breakpoint
CREATE INDEX "metric_calls_run" ON "metric_calls" USING btree ("workspace_id","run_id") WHERE "metric_calls"."run_id" is not null;--> statement-breakpoint
CREATE INDEX "metric_feedback_call" ON "metric_feedback" USING btree ("workspace_id","call_id");--> statement-breakpoint
CREATE INDEX "metric_feedback_at" ON "metric_feedback" USING btree ("at");--> statement-breakpoint
CREATE INDEX "metric_rollups_workspace_hour" ON "metric_rollups" USING btree ("workspace_id","hour");--> statement-breakpoint
CREATE INDEX "metric_rollups_version_hour" ON "metric_rollups" USING btree ("version_id","hour");