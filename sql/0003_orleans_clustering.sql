-- Orleans ADO.NET clustering: the membership table and its version row. Every change to the
-- membership bumps the version in the same transaction, and only if the caller read the current
-- version: that is how silos agree on who is alive.
CREATE TABLE IF NOT EXISTS OrleansMembershipVersionTable
(
    DeploymentId varchar(150)   NOT NULL PRIMARY KEY,
    Timestamp    timestamptz(3) NOT NULL DEFAULT now(),
    Version      integer        NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS OrleansMembershipTable
(
    DeploymentId varchar(150)   NOT NULL REFERENCES OrleansMembershipVersionTable (DeploymentId),
    Address      varchar(45)    NOT NULL,
    Port         integer        NOT NULL,
    Generation   integer        NOT NULL,
    SiloName     varchar(150)   NOT NULL,
    HostName     varchar(150)   NOT NULL,
    Status       integer        NOT NULL,
    ProxyPort    integer,
    SuspectTimes varchar(8000),
    StartTime    timestamptz(3) NOT NULL,
    IAmAliveTime timestamptz(3) NOT NULL,
    PRIMARY KEY (DeploymentId, Address, Port, Generation)
);

-- Bump the membership version if it is still the one the caller read; otherwise raise OB001, which
-- the functions below turn into "0: refused" after undoing their own changes.
CREATE OR REPLACE FUNCTION orleans_bump_membership_version(p_deployment_id text, p_version integer) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE OrleansMembershipVersionTable SET Version = Version + 1, Timestamp = now()
    WHERE DeploymentId = p_deployment_id AND Version = p_version;
    IF NOT FOUND THEN RAISE EXCEPTION USING ERRCODE = 'OB001'; END IF;
END
$$;

-- Insert a member and bump the version, both or neither: 1 when done, 0 when the member exists
-- or the version moved on. The inner block is a subtransaction, so a refusal undoes the bump.
CREATE OR REPLACE FUNCTION orleans_insert_membership(
    p_deployment_id text, p_address text, p_port integer, p_generation integer, p_silo_name text,
    p_host_name text, p_status integer, p_proxy_port integer, p_start_time timestamptz,
    p_i_am_alive_time timestamptz, p_version integer) RETURNS integer
LANGUAGE plpgsql AS $$
BEGIN
    BEGIN
        PERFORM orleans_bump_membership_version(p_deployment_id, p_version);
        INSERT INTO OrleansMembershipTable (DeploymentId, Address, Port, Generation, SiloName, HostName,
                                            Status, ProxyPort, StartTime, IAmAliveTime)
        VALUES (p_deployment_id, p_address, p_port, p_generation, p_silo_name, p_host_name,
                p_status, p_proxy_port, p_start_time, p_i_am_alive_time)
        ON CONFLICT DO NOTHING;
        IF NOT FOUND THEN RAISE EXCEPTION USING ERRCODE = 'OB001'; END IF;
        RETURN 1;
    EXCEPTION WHEN SQLSTATE 'OB001' THEN
        RETURN 0;
    END;
END
$$;

-- Update a member and bump the version, both or neither: 1 when done, else 0.
CREATE OR REPLACE FUNCTION orleans_update_membership(
    p_deployment_id text, p_address text, p_port integer, p_generation integer, p_status integer,
    p_suspect_times text, p_i_am_alive_time timestamptz, p_version integer) RETURNS integer
LANGUAGE plpgsql AS $$
BEGIN
    BEGIN
        PERFORM orleans_bump_membership_version(p_deployment_id, p_version);
        UPDATE OrleansMembershipTable
        SET Status = p_status, SuspectTimes = p_suspect_times, IAmAliveTime = p_i_am_alive_time
        WHERE DeploymentId = p_deployment_id AND Address = p_address AND Port = p_port AND Generation = p_generation;
        IF NOT FOUND THEN RAISE EXCEPTION USING ERRCODE = 'OB001'; END IF;
        RETURN 1;
    EXCEPTION WHEN SQLSTATE 'OB001' THEN
        RETURN 0;
    END;
END
$$;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('InsertMembershipVersionKey', '
WITH inserted AS (
    INSERT INTO OrleansMembershipVersionTable (DeploymentId) VALUES (@DeploymentId)
    ON CONFLICT DO NOTHING
    RETURNING 1 AS created
)
SELECT COALESCE((SELECT created FROM inserted), 0)::integer'),

('MembershipReadRowKey', '
SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
       m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
FROM OrleansMembershipVersionTable v
LEFT JOIN OrleansMembershipTable m
       ON m.DeploymentId = v.DeploymentId AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation
WHERE v.DeploymentId = @DeploymentId'),

('MembershipReadAllKey', '
SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
       m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
FROM OrleansMembershipVersionTable v
LEFT JOIN OrleansMembershipTable m ON m.DeploymentId = v.DeploymentId
WHERE v.DeploymentId = @DeploymentId'),

('InsertMembershipKey', '
SELECT orleans_insert_membership(@DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
                                 @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version)'),

('UpdateMembershipKey', '
SELECT orleans_update_membership(@DeploymentId, @Address, @Port, @Generation, @Status,
                                 @SuspectTimes, @IAmAliveTime, @Version)'),

('UpdateIAmAlivetimeKey', '
UPDATE OrleansMembershipTable
SET IAmAliveTime = @IAmAliveTime
WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation'),

('GatewaysQueryKey', '
SELECT Address, ProxyPort, Generation
FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId AND Status = @Status AND ProxyPort > 0'),

('DeleteMembershipTableEntriesKey', '
DELETE FROM OrleansMembershipTable WHERE DeploymentId = @DeploymentId;
DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId'),

('CleanupDefunctSiloEntriesKey', '
DELETE FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId AND IAmAliveTime < @IAmAliveTime AND Status <> 3')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
