CREATE TABLE `short_links` (
	`code` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`token` text NOT NULL,
	`created_at` integer NOT NULL
);
