-- Platform9 Management: first-boot bootstrap, run once by postgres:16-alpine from
-- /docker-entrypoint-initdb.d when the data volume is empty (ConfigMap db-init-scripts).
--
-- The seed moves the compose file's ./db/init.sql into this ConfigMap (seed L1283, L3622) but
-- does not reproduce it. Replace the statements below with pf9-mngt's db/init.sql; later schema
-- changes belong to db_migration.py, which the db-migration PreSync Job runs on every sync.
CREATE SCHEMA IF NOT EXISTS public;
