CREATE TABLE `channel_stats` (
	`tenant_id` text NOT NULL,
	`segment` text NOT NULL,
	`channel` text NOT NULL,
	`successes` integer DEFAULT 0 NOT NULL,
	`trials` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`tenant_id`, `segment`, `channel`)
);
--> statement-breakpoint
CREATE TABLE `policies` (
	`tenant_id` text NOT NULL,
	`version` integer NOT NULL,
	`body` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `version`)
);
--> statement-breakpoint
ALTER TABLE `tenants` ADD `enterprise_number` text;--> statement-breakpoint
ALTER TABLE `tenants` ADD `address_lines` text DEFAULT '[]' NOT NULL;