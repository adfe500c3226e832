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
    ]
}
