-- The hub's database and role. The hub creates and migrates its schema itself at start (EF Core migrations in
-- src/Integration.Persistence/Migrations/Postgres); it needs no superuser rights.
CREATE ROLE hub LOGIN PASSWORD 'change-me';
CREATE DATABASE hub OWNER hub ENCODING 'UTF8';
