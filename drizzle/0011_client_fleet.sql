CREATE TABLE "client_instance_prompts" (
	"client_instance_id" uuid NOT NULL,
	"prompt_id" uuid NOT NULL,
	"revision" integer NOT NULL,
	"revision_since" timestamp with time zone NOT NULL,
	"labels" jsonb NOT NULL,
	CONSTRAINT "client_instance_prompts_client_instance_id_prompt_id_pk" PRIMARY KEY("client_instance_id","prompt_id")
);
--> statement-breakpoint
CREATE TABLE "client_instances" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"service" text NOT NULL,
	"instance_id" text NOT NULL,
	"client_version" text NOT NULL,
	"interval_ms" integer NOT NULL,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_report_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "client_instance_prompts" ADD CONSTRAINT "client_instance_prompts_client_instance_id_client_instances_id_fk" FOREIGN KEY ("client_instance_id") REFERENCES "public"."client_instances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "client_instance_prompts" ADD CONSTRAINT "client_instance_prompts_prompt_id_prompts_id_fk" FOREIGN KEY ("prompt_id") REFERENCES "public"."prompts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "client_instances" ADD CONSTRAINT "client_instances_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "client_instance_prompts_prompt" ON "client_instance_prompts" USING btree ("prompt_id");--> statement-breakpoint
CREATE UNIQUE INDEX "client_instances_identity" ON "client_instances" USING btree ("workspace_id","service","instance_id");