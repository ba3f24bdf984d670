CREATE TABLE `message_routes` (
	`provider` text NOT NULL,
	`provider_message_id` text NOT NULL,
	`tenant_id` text NOT NULL,
	`debtor_id` text NOT NULL,
	`outbox_id` text NOT NULL,
	`channel` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`provider`, `provider_message_id`)
);
--> statement-breakpoint
CREATE TABLE `phone_index` (
	`phone_hash` text NOT NULL,
	`tenant_id` text NOT NULL,
	`debtor_id` text NOT NULL,
	PRIMARY KEY(`phone_hash`, `tenant_id`, `debtor_id`)
);
--> statement-breakpoint
CREATE TABLE `webhook_receipts` (
	`provider` text NOT NULL,
	`event_id` text NOT NULL,
	`received_at` integer NOT NULL,
	PRIMARY KEY(`provider`, `event_id`)
);
--> statement-breakpoint
CREATE INDEX `webhook_receipts_time` ON `webhook_receipts` (`received_at`);