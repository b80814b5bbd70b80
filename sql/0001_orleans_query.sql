-- The table Orleans' ADO.NET providers read their SQL from: one row per query key.
-- Clustering and reminders load every row at start-up; grain storage loads its own keys.
-- Unquoted names fold to lower case; the providers' unquoted SELECT finds them the same way.
CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64)   NOT NULL PRIMARY KEY,
    QueryText varchar(8000) NOT NULL
);
