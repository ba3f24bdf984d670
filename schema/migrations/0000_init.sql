CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`prefix` text NOT NULL,
	`hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`revoked_at` integer,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_hash` ON `api_keys` (`hash`);--> statement-breakpoint
CREATE TABLE `debtor_index` (
	`tenant_id` text NOT NULL,
	`debtor_id` text NOT NULL,
	`open_invoices` integer DEFAULT 0 NOT NULL,
	`next_step_at` integer,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `debtor_id`)
);
--> statement-breakpoint
CREATE INDEX `debtor_index_next` ON `debtor_index` (`next_step_at`);--> statement-breakpoint
CREATE TABLE `dev_clock` (
	`id` integer PRIMARY KEY NOT NULL,
	`offset_ms` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `idempotency_keys` (
	`tenant_id` text NOT NULL,
	`key` text NOT NULL,
	`request_hash` text NOT NULL,
	`state` text NOT NULL,
	`locked_until` integer NOT NULL,
	`response_status` integer,
	`response_body` text,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `key`)
);
--> statement-breakpoint
CREATE INDEX `idempotency_created` ON `idempotency_keys` (`created_at`);--> statement-breakpoint
CREATE TABLE `invoice_index` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`merchant_invoice_id` text NOT NULL,
	`debtor_id` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `invoice_index_merchant` ON `invoice_index` (`tenant_id`,`merchant_invoice_id`);--> statement-breakpoint
CREATE INDEX `invoice_index_debtor` ON `invoice_index` (`tenant_id`,`debtor_id`);--> statement-breakpoint
CREATE TABLE `outcome_events` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`debtor_id` text NOT NULL,
	`invoice_id` text,
	`type` text NOT NULL,
	`occurred_at` integer NOT NULL,
	`data` text DEFAULT '{}' NOT NULL
);
--> statement-breakpoint
CREATE INDEX `outcome_events_tenant_time` ON `outcome_events` (`tenant_id`,`occurred_at`);--> statement-breakpoint
CREATE INDEX `outcome_events_debtor` ON `outcome_events` (`tenant_id`,`debtor_id`);--> statement-breakpoint
CREATE TABLE `sandbox_messages` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`debtor_id` text NOT NULL,
	`channel` text NOT NULL,
	`recipient` text NOT NULL,
	`subject` text NOT NULL,
	`html` text NOT NULL,
	`text` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sandbox_messages_tenant_time` ON `sandbox_messages` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `tenants` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`display_name` text NOT NULL,
	`contact_email` text,
	`country` text DEFAULT 'NL' NOT NULL,
	`created_at` integer NOT NULL
);
