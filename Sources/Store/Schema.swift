/// The database schema as named, ordered migrations (in the manner of GRDB's
/// DatabaseMigrator): each runs once, in order, recorded in `schema_migrations`.
///
/// Times are integers, microseconds since the Unix epoch UTC (`*_us`), so
/// that interval arithmetic is the same SQL in SQLite and PostgreSQL; the
/// commands format them as ISO 8601. Every large table carries the charge
/// point identity, so that per-charge-point questions never need a join.
enum Schema {
    struct Migration {
        var name: String
        var sql: String
    }

    static let migrations: [Migration] = [
        Migration(name: "001-spine", sql: """
        CREATE TABLE sources (
            id              INTEGER PRIMARY KEY,
            kind            TEXT NOT NULL,          -- pcap | pcapng | log
            path            TEXT NOT NULL,
            size            INTEGER NOT NULL,
            digest          TEXT NOT NULL UNIQUE,   -- SHA-256 of the file's bytes: ingesting it again is a no-op
            ingested_us     INTEGER NOT NULL,
            link_type       TEXT,
            packets         INTEGER NOT NULL DEFAULT 0,
            connections     INTEGER NOT NULL DEFAULT 0,
            messages        INTEGER NOT NULL DEFAULT 0,
            decode_issues   INTEGER NOT NULL DEFAULT 0,
            secrets_masked  INTEGER NOT NULL DEFAULT 0,
            first_us        INTEGER,
            last_us         INTEGER,
            end_state       TEXT NOT NULL,          -- complete | truncated | failed
            end_detail      TEXT,
            tool_version    TEXT
        );

        CREATE TABLE charge_points (
            identity             TEXT PRIMARY KEY,
            vendor               TEXT,
            model                TEXT,
            serial               TEXT,
            firmware             TEXT,
            ocpp_version         TEXT,
            heartbeat_interval_s INTEGER,
            first_seen_us        INTEGER,
            last_seen_us         INTEGER
        );

        CREATE TABLE connections (
            id                 INTEGER PRIMARY KEY,
            source_id          INTEGER NOT NULL REFERENCES sources(id),
            local_id           INTEGER NOT NULL,    -- number within its source
            charge_point       TEXT NOT NULL,
            identity_source    TEXT NOT NULL,       -- url-path | endpoint | identity-map | log
            client_addr        TEXT,
            client_port        INTEGER,
            server_addr        TEXT,
            server_port        INTEGER,
            request_path       TEXT,
            subprotocol        TEXT,
            ocpp_version       TEXT,
            extensions         TEXT,
            compressed         INTEGER NOT NULL,
            handshake_seen     INTEGER NOT NULL,
            http_status        INTEGER,
            auth_user          TEXT,                -- HTTP Basic user; the password is never stored
            opened_us          INTEGER,
            closed_us          INTEGER,
            closed_how         TEXT,                -- close-frame | fin | rst | end-of-data | reused
            close_code         INTEGER,
            close_reason       TEXT,
            closed_by          TEXT,                -- cp_to_csms | csms_to_cp
            first_frame        INTEGER,
            last_frame         INTEGER,
            bytes_seen_cp      INTEGER NOT NULL DEFAULT 0,
            bytes_seen_csms    INTEGER NOT NULL DEFAULT 0,
            bytes_decoded_cp   INTEGER NOT NULL DEFAULT 0,
            bytes_decoded_csms INTEGER NOT NULL DEFAULT 0,
            holes              INTEGER NOT NULL DEFAULT 0,
            hole_bytes         INTEGER NOT NULL DEFAULT 0,
            messages           INTEGER NOT NULL DEFAULT 0,
            pings              INTEGER NOT NULL DEFAULT 0,
            pongs              INTEGER NOT NULL DEFAULT 0,
            UNIQUE (source_id, local_id)
        );
        CREATE INDEX connections_cp ON connections(charge_point, opened_us);

        CREATE TABLE messages (
            id                INTEGER PRIMARY KEY,
            source_id         INTEGER NOT NULL,
            connection_id     INTEGER NOT NULL,
            charge_point      TEXT NOT NULL,
            time_us           INTEGER NOT NULL,     -- observation time (packet or log line)
            direction         TEXT NOT NULL,        -- cp_to_csms | csms_to_cp
            type              TEXT NOT NULL,        -- CALL | CALLRESULT | CALLERROR | CALLRESULTERROR | SEND
            unique_id         TEXT NOT NULL,
            action            TEXT,                 -- for answers: the correlated CALL's action
            payload           TEXT NOT NULL,        -- JSON; for errors the error details; secrets masked
            error_code        TEXT,
            error_description TEXT,
            request_id        INTEGER,              -- for answers: messages.id of the CALL answered
            latency_us        INTEGER,              -- for answers: time since the CALL
            answer            TEXT,                 -- for CALLs: result | error | none (closed unanswered) | open (data ended first)
            ocpp_version      TEXT,
            frame             INTEGER NOT NULL      -- packet number (or log line) where the message ended
        );
        CREATE INDEX messages_cp_time ON messages(charge_point, time_us);
        CREATE INDEX messages_action_time ON messages(action, time_us);
        CREATE INDEX messages_time ON messages(time_us);

        CREATE TABLE decode_issues (
            id             INTEGER PRIMARY KEY,
            source_id      INTEGER NOT NULL,
            connection_id  INTEGER,
            layer          TEXT NOT NULL,   -- pcap link ip tcp http websocket deflate json ocpp schema log
            reason         TEXT NOT NULL,
            detail         TEXT NOT NULL,
            time_us        INTEGER,
            frame          INTEGER,
            raw            BLOB             -- at most 256 bytes of what could not be decoded
        );
        CREATE INDEX decode_issues_source ON decode_issues(source_id, layer);
        """),
        Migration(name: "002-history", sql: """
        -- Derived by the History stage from the messages; rebuilt per charge point.
        CREATE TABLE transactions (
            id                    INTEGER PRIMARY KEY,
            charge_point          TEXT NOT NULL,
            session_no            INTEGER NOT NULL,  -- within the charge point, in start order
            ocpp_version          TEXT,
            evse                  INTEGER,           -- 2.x EVSE id; NULL for 1.6
            connector             INTEGER,
            transaction_id        TEXT,
            id_token              TEXT,
            id_token_type         TEXT,
            started_us            INTEGER,           -- charger clock (payload timestamps)
            stopped_us            INTEGER,
            started_observed_us   INTEGER,           -- observation clock
            stopped_observed_us   INTEGER,
            meter_start_wh        REAL,
            meter_stop_wh         REAL,
            energy_wh             REAL,
            energy_source         TEXT NOT NULL,     -- meter_stop_minus_start | register_samples | last_sample_estimated | none
            export_wh             REAL,
            max_power_w           REAL,
            stop_reason           TEXT,
            start_status          TEXT,              -- idTagInfo status when not Accepted
            remote_start_message  INTEGER,           -- messages.id of the RemoteStart/RequestStart that caused it
            remote_stop_message   INTEGER,
            start_message         INTEGER,
            stop_message          INTEGER,
            flags                 TEXT NOT NULL,     -- JSON array of strings
            UNIQUE (charge_point, session_no)
        );
        CREATE INDEX transactions_started ON transactions(started_us);

        CREATE TABLE meter_values (
            id              INTEGER PRIMARY KEY,
            charge_point    TEXT NOT NULL,
            session_no      INTEGER,                 -- transactions.session_no of the same charge point
            evse            INTEGER,
            connector       INTEGER,
            time_us         INTEGER,                 -- charger clock
            observed_us     INTEGER NOT NULL,
            measurand       TEXT NOT NULL,
            phase           TEXT,
            location        TEXT,
            context         TEXT,
            unit            TEXT,                    -- as sent
            raw             TEXT NOT NULL,           -- as sent
            value           REAL,                    -- in normalized_unit
            normalized_unit TEXT,                    -- Wh, varh, W, var, A, V, Hz, Celsius, Percent
            signed_data     TEXT,
            message_id      INTEGER NOT NULL
        );
        CREATE INDEX meter_values_session ON meter_values(charge_point, session_no);

        CREATE TABLE status_intervals (
            id                INTEGER PRIMARY KEY,
            charge_point      TEXT NOT NULL,
            evse              INTEGER,
            connector         INTEGER NOT NULL,      -- 1.6: 0 is the whole charge point
            status            TEXT NOT NULL,
            error_code        TEXT,
            info              TEXT,
            vendor_error_code TEXT,
            from_us           INTEGER NOT NULL,      -- observation clock
            to_us             INTEGER,
            reported_us       INTEGER,               -- charger clock
            source            TEXT NOT NULL,         -- StatusNotification | NotifyEvent
            message_id        INTEGER NOT NULL,
            to_is_data_end    INTEGER NOT NULL       -- 1: runs to the end of the data, not to a change
        );
        CREATE INDEX status_intervals_cp ON status_intervals(charge_point, from_us);

        CREATE TABLE connectivity (
            id            INTEGER PRIMARY KEY,
            charge_point  TEXT NOT NULL,
            online        INTEGER NOT NULL,
            from_us       INTEGER NOT NULL,
            to_us         INTEGER NOT NULL,
            began         TEXT NOT NULL,   -- start-of-data | connect | boot | message | closed | rst | silent
            ended         TEXT NOT NULL,   -- closed | rst | silent | reboot | connect | boot | message | end-of-data
            from_message  INTEGER,
            to_message    INTEGER,
            connection_id INTEGER
        );
        CREATE INDEX connectivity_cp ON connectivity(charge_point, from_us);

        ALTER TABLE charge_points ADD COLUMN clock_skew_s REAL;
        ALTER TABLE charge_points ADD COLUMN clock_samples INTEGER;
        ALTER TABLE charge_points ADD COLUMN boots INTEGER;
        ALTER TABLE charge_points ADD COLUMN sessions INTEGER;
        ALTER TABLE charge_points ADD COLUMN energy_wh REAL;
        """),
        Migration(name: "003-provenance-of-versions", sql: """
        -- How a connection's OCPP version was learned: subprotocol, or inferred (with the evidence).
        ALTER TABLE connections ADD COLUMN version_source TEXT;
        """),
        Migration(name: "004-charge-attempts", sql: """
        -- Charge attempts, derived by the History stage with the sessions; rebuilt per charge point.
        CREATE TABLE attempts (
            id                INTEGER PRIMARY KEY,
            charge_point      TEXT NOT NULL,
            attempt_no        INTEGER NOT NULL,  -- within the charge point, in start order
            ocpp_version      TEXT,
            evse              INTEGER,           -- 2.x EVSE id; NULL for 1.6
            connector         INTEGER,           -- 1.6 connector; 2.x connector of the EVSE if known; NULL: port unknown
            started_us        INTEGER NOT NULL,  -- observation clock, like status and connectivity
            ended_us          INTEGER,
            began             TEXT NOT NULL,     -- preparing | occupied | plugged-in | ev-detected | authorized | authorize | remote-start | transaction
            ended             TEXT NOT NULL,     -- available | timeout | next-attempt | session-stop | end-of-data
            id_token          TEXT,
            session_no        INTEGER,           -- transactions.session_no of the same charge point
            transaction_id    TEXT,
            energy_wh         REAL,
            ready_us          INTEGER,           -- last plug-in or authorization before energy flowed
            charge_started_us INTEGER,           -- energy flowing: first register rise or Charging
            stop_reason       TEXT,
            outcome           TEXT NOT NULL,     -- success | failed | incomplete | unknown
            cause             TEXT,              -- for failures, see README "Charge attempts and reliability"
            cause_detail      TEXT,              -- status, error code, stop reason or CALLERROR code the cause names
            flags             TEXT NOT NULL,     -- JSON array of strings
            start_message     INTEGER,
            end_message       INTEGER,
            UNIQUE (charge_point, attempt_no)
        );
        CREATE INDEX attempts_started ON attempts(started_us);

        -- Ports and locations, loaded by `ocppscope ports --load FILE`. A port may have
        -- several connectors (1.6), and a location several charge points. For 2.x the
        -- connector column names the EVSE id.
        CREATE TABLE port_map (
            charge_point  TEXT NOT NULL,
            connector     INTEGER NOT NULL,
            port          TEXT NOT NULL,
            location      TEXT,
            max_kw        REAL,
            PRIMARY KEY (charge_point, connector)
        );

        -- Attempts with their port (from the map; without one a 1.6 connector or a 2.x
        -- EVSE), location and the charge point's vendor and firmware.
        CREATE VIEW attempt_ports AS
        SELECT a.*,
               coalesce(pm.port, CAST(coalesce(a.evse, a.connector) AS TEXT), '?') AS port,
               pm.location, pm.max_kw, cp.vendor, cp.model, cp.firmware
        FROM attempts a
        LEFT JOIN port_map pm ON pm.charge_point = a.charge_point AND pm.connector = coalesce(a.evse, a.connector)
        LEFT JOIN charge_points cp ON cp.identity = a.charge_point;
        """),
        Migration(name: "005-schema-validation", sql: """
        -- Violations of the official OCPP JSON schema per message: NULL not validated
        -- (no schema for its version and action), 0 valid, N the number found
        -- (each described in decode_issues, layer 'schema').
        ALTER TABLE messages ADD COLUMN schema_errors INTEGER;
        """),
        Migration(name: "006-keepalives", sql: """
        -- WebSocket pings and pongs: signs of life between OCPP messages.
        CREATE TABLE keepalives (
            id            INTEGER PRIMARY KEY,
            source_id     INTEGER NOT NULL,
            connection_id INTEGER NOT NULL,
            charge_point  TEXT NOT NULL,
            time_us       INTEGER NOT NULL,
            direction     TEXT NOT NULL,   -- cp_to_csms | csms_to_cp
            kind          TEXT NOT NULL    -- ping | pong
        );
        CREATE INDEX keepalives_cp_time ON keepalives(charge_point, time_us);
        """),
        Migration(name: "007-anomaly-indexes", sql: """
        -- Indexes for the anomaly queries that would otherwise read every message
        -- (831,015-message benchmark database, CPU seconds; all kinds 3.4 s to 1.6 s,
        -- for about 1.1 s more at ingest to build them):
        -- CALLs by answer: unanswered-calls (1.06 s to under 0.01 s) and, covering,
        -- callerror-rates (1.42 s to 0.69 s).
        CREATE INDEX messages_calls ON messages(answer, action, charge_point, time_us) WHERE type = 'CALL';
        -- Slow answers: unanswered-calls' second half reads only answers over the threshold.
        CREATE INDEX messages_latency ON messages(latency_us) WHERE latency_us IS NOT NULL;
        -- The charger's messages per connection in (time, id) order, covering:
        -- heartbeat-gaps' window needs no sort and no table read (1.30 s to 0.88 s).
        CREATE INDEX messages_life ON messages(connection_id, time_us, id, charge_point) WHERE direction = 'cp_to_csms';
        """),
        Migration(name: "008-pending-indexes", sql: """
        -- Indexes of messages dropped for a bulk load and not built yet: an ingest
        -- commits the messages with the index the history reads by, and builds
        -- these while the history is derived (README, Performance). Recorded in
        -- the messages' own transaction, so that whatever stops the ingest
        -- before they are built, the next open of the database for writing
        -- builds them (Store.buildPendingIndexes).
        CREATE TABLE pending_indexes (
            name TEXT PRIMARY KEY,
            sql  TEXT NOT NULL
        );
        """),
        Migration(name: "009-narrower-call-indexes", sql: """
        -- The CALLs by answer (007) were the costliest index to build (about 0.9 s of
        -- a core at ingest, 250 MB benchmark capture: its keys begin with three
        -- texts that are mostly equal). callerror-rates now reads the messages by
        -- action, time_us decides nearly every comparison of that index's build,
        -- and the columns it needs ride along; unanswered-calls reads the few
        -- unanswered CALLs (927 of 415,508 there) from a partial index.
        DELETE FROM pending_indexes WHERE name IN ('messages_calls', 'messages_action_time');
        DROP INDEX IF EXISTS messages_calls;
        DROP INDEX IF EXISTS messages_action_time;
        CREATE INDEX messages_action_time ON messages(action, time_us, type, answer, charge_point);
        CREATE INDEX messages_unanswered ON messages(charge_point, time_us) WHERE type = 'CALL' AND answer IN ('none', 'open');
        """),
        Migration(name: "010-slow-answers", sql: """
        -- The answers' latencies (007) held every answer (415,507 of the 250 MB benchmark
        -- capture's 831,015 messages), for unanswered-calls to find the few slower than
        -- its threshold (10 s by default); building it took about 0.25 s of a core at each
        -- ingest. Only answers slower than a second now: an index of a few rows, kept row
        -- by row while a bulk load writes the messages, which unanswered-calls reads for
        -- any threshold of a second or more (a threshold under a second reads every answer).
        DELETE FROM pending_indexes WHERE name = 'messages_latency';
        DROP INDEX IF EXISTS messages_latency;
        CREATE INDEX messages_slow_answers ON messages(latency_us) WHERE latency_us >= 1000000;
        """),
    ]
}
