-- The seed digest (table meta) is forgotten whenever seeded data changes other than by the seed itself:
-- the next start then applies the seed again (src/seed/seed-source.ts).
CREATE TRIGGER `organizations_insert_forgets_seed_digest` AFTER INSERT ON `organizations` BEGIN DELETE FROM `meta` WHERE `key` = 'seed_digest'; END;
--> statement-breakpoint
CREATE TRIGGER `organizations_update_forgets_seed_digest` AFTER UPDATE ON `organizations` BEGIN DELETE FROM `meta` WHERE `key` = 'seed_digest'; END;
--> statement-breakpoint
CREATE TRIGGER `organizations_delete_forgets_seed_digest` AFTER DELETE ON `organizations` BEGIN DELETE FROM `meta` WHERE `key` = 'seed_digest'; END;
--> statement-breakpoint
CREATE TRIGGER `users_insert_forgets_seed_digest` AFTER INSERT ON `users` BEGIN DELETE FROM `meta` WHERE `key` = 'seed_digest'; END;
--> statement-breakpoint
CREATE TRIGGER `users_update_forgets_seed_digest` AFTER UPDATE ON `users` BEGIN DELETE FROM `meta` WHERE `key` = 'seed_digest'; END;
--> statement-breakpoint
CREATE TRIGGER `users_delete_forgets_seed_digest` AFTER DELETE ON `users` BEGIN DELETE FROM `meta` WHERE `key` = 'seed_digest'; END;
--> statement-breakpoint
CREATE TRIGGER `clients_insert_forgets_seed_digest` AFTER INSERT ON `clients` BEGIN DELETE FROM `meta` WHERE `key` = 'seed_digest'; END;
--> statement-breakpoint
CREATE TRIGGER `clients_update_forgets_seed_digest` AFTER UPDATE ON `clients` BEGIN DELETE FROM `meta` WHERE `key` = 'seed_digest'; END;
--> statement-breakpoint
CREATE TRIGGER `clients_delete_forgets_seed_digest` AFTER DELETE ON `clients` BEGIN DELETE FROM `meta` WHERE `key` = 'seed_digest'; END;
