-- Planner settings for a database that lives in memory or on SSD and answers short queries, measured on
-- the generated data set (bench/README.md), set for the role the server connects as (a role may always
-- set its own defaults, ALTER DATABASE needs the owner), so every new connection of the pool gets them.
-- No semicolon in these comments: the migration runner splits the file on them.
--
-- random_page_cost: with the default 4 (a spinning disk), PostgreSQL prefers a sequential scan of
-- 100 000 organisations to ~1 000 primary-key lookups for a rep's portfolio (110 ms instead of 16 ms).
ALTER ROLE CURRENT_USER SET random_page_cost = 1.1;

-- jit: compiling a dashboard aggregate took longer than running it (18 ms of 284, and 2× overall).
ALTER ROLE CURRENT_USER SET jit = off;
