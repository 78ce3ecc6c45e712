#!/usr/bin/env bash
# Adds EF Core migration NAME for both providers (PostgreSQL and SQLite) under
# src/Integration.Persistence/Migrations/{Postgres,Sqlite}/. Stands in for `dotnet ef migrations add`,
# which is not on our feed: see docs/adr/0003-migrations-without-dotnet-ef.md.
# Undo the last one with: dotnet run --project tools/Integration.MigrationsScaffolder -- remove
set -euo pipefail

if [[ $# -ne 1 || ! $1 =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]]; then
  echo "usage: $0 NAME   (NAME is a C# identifier, e.g. AddStayEventMatched)" >&2
  exit 2
fi

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec dotnet run --project "$repo_root/tools/Integration.MigrationsScaffolder" -- add "$1"
