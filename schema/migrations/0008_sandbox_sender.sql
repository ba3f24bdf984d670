ALTER TABLE `sandbox_messages` ADD `sender` text;--> statement-breakpoint
ALTER TABLE `sandbox_messages` ADD `reply_to` text;--> statement-breakpoint
ALTER TABLE `sandbox_messages` ADD `sender_note` text;