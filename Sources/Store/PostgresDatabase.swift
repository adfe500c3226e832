import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO

/// One connection to PostgreSQL, used synchronously like `SQLiteDatabase`:
/// the commands are straight-line programs, so each call waits for its
/// answer. Built on postgres-nio (a maintained client; no wire protocol of
/// our own), with COPY for bulk loads.
public final class PostgresDatabase: @unchecked Sendable {
    public let url: PostgresURL
    private let group: MultiThreadedEventLoopGroup
    private let connection: PostgresConnection
    private let logger: Logger

    public init(url: PostgresURL) throws {
        self.url = url
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var logger = Logger(label: "ocppscope.postgres")
        logger.logLevel = .error
        self.logger = logger
        let tls: PostgresConnection.Configuration.TLS
        switch url.tls {
        case .disable:
            tls = .disable
        case .prefer, .require:
            // As libpq's prefer and require: encrypted, the certificate not verified.
            var c = TLSConfiguration.makeClientConfiguration()
            c.certificateVerification = .none
            let context = try NIOSSLContext(configuration: c)
            tls = url.tls == .prefer ? .prefer(context) : .require(context)
        }
        let config = PostgresConnection.Configuration(host: url.host, port: url.port, username: url.user, password: url.password,
                                                      database: url.database, tls: tls)
        let loop = group.next()
        let log = logger
        do {
            connection = try PostgresConnection.connect(on: loop, configuration: config, id: 1, logger: log).wait()
        } catch {
            try? group.syncShutdownGracefully()
            throw StoreError("cannot connect to \(url): \(String(reflecting: error)). Is the server running, and the user and password right?")
        }
    }

    deinit {
        try? connection.close().wait()
        try? group.syncShutdownGracefully()
    }

    /// Waits for an async operation from synchronous code (never called on
    /// the event loop's own thread). The operation runs on an executor of its
    /// own (BlockingCallExecutor), not Swift's cooperative pool.
    private func wait<T: Sendable>(_ op: @escaping @Sendable () async throws -> T) throws -> T {
        let sem = DispatchSemaphore(value: 0)
        let box = ResultBox<T>()
        Task.detached(executorPreference: BlockingCallExecutor.shared) {
            do { box.result = .success(try await op()) } catch { box.result = .failure(error) }
            sem.signal()
        }
        sem.wait()
        return try box.result!.get()
    }

    private final class ResultBox<T>: @unchecked Sendable { var result: Result<T, Error>? }

    /// Runs the async work of `wait` on a dispatch queue instead of Swift's
    /// cooperative pool. Why: `wait` blocks its caller's thread; when callers
    /// are themselves on the pool (tests, an async program embedding the
    /// store), a few of them blocked at once leave the pool no thread for the
    /// work they wait on. Seen: two PostgreSQL test suites at once on two
    /// cores hung for good.
    final class BlockingCallExecutor: TaskExecutor, @unchecked Sendable {
        static let shared = BlockingCallExecutor()
        private let queue = DispatchQueue(label: "ocppscope.postgres.calls", attributes: .concurrent)

        func enqueue(_ job: consuming ExecutorJob) {
            let unowned = UnownedJob(job)
            queue.async { unowned.runSynchronously(on: self.asUnownedTaskExecutor()) }
        }
    }

    /// Runs statements without results (several, separated by `;` at line ends, are run one by one).
    public func execute(_ sql: String) throws {
        for statement in Self.statements(sql) { _ = try query(statement, []) }
    }

    /// Splits a script at semicolons that end a line (the schema's style).
    static func statements(_ sql: String) -> [String] {
        var out: [String] = [], cur = ""
        for line in sql.split(separator: "\n", omittingEmptySubsequences: false) {
            let code = line.range(of: "--").map { String(line[..<$0.lowerBound]) } ?? String(line)
            cur += code + "\n"
            if code.trimmingCharacters(in: .whitespaces).hasSuffix(";") {
                let s = cur.trimmingCharacters(in: .whitespacesAndNewlines)
                if s.count > 1 { out.append(String(s.dropLast())) }
                cur = ""
            }
        }
        let rest = cur.trimmingCharacters(in: .whitespacesAndNewlines)
        if !rest.isEmpty { out.append(rest) }
        return out
    }

    /// Runs one statement with positional parameters (`$1`, `$2`, …).
    public func query(_ sql: String, _ binds: [SQLValue]) throws -> (columns: [String], rows: [[SQLValue]]) {
        let q = Self.query(sql, binds)
        let connection = self.connection, logger = self.logger
        do {
            return try wait {
                let rows = try await connection.query(q, logger: logger)
                var columns: [String] = []
                var out: [[SQLValue]] = []
                for try await row in rows {
                    if columns.isEmpty { columns = row.map(\.columnName) }
                    out.append(row.map(Self.value))
                }
                return (columns, out)
            }
        } catch let e as PSQLError {
            throw StoreError("PostgreSQL: \(e.serverInfo?[.message] ?? String(reflecting: e.code))\n  in: \(sql.prefix(300))")
        }
    }

    /// Runs one statement and calls `body` with each row as it arrives,
    /// without holding the result: a staging pull of a million messages.
    /// `body` runs on another thread while this one waits; it must not
    /// touch what the caller uses meanwhile.
    public func query(_ sql: String, _ binds: [SQLValue], each body: @escaping ([SQLValue]) throws -> Void) throws {
        let q = Self.query(sql, binds)
        let connection = self.connection, logger = self.logger
        let sink = UncheckedBox(body)
        do {
            try wait {
                let rows = try await connection.query(q, logger: logger)
                for try await row in rows { try sink.value(row.map(Self.value)) }
            }
        } catch let e as PSQLError {
            throw StoreError("PostgreSQL: \(e.serverInfo?[.message] ?? String(reflecting: e.code))\n  in: \(sql.prefix(300))")
        }
    }

    private final class UncheckedBox<T>: @unchecked Sendable {
        let value: T
        init(_ v: T) { value = v }
    }

    /// A statement with its values bound, each with its own type.
    static func query(_ sql: String, _ binds: [SQLValue]) -> PostgresQuery {
        var bindings = PostgresBindings(capacity: binds.count)
        for b in binds {
            switch b {
            case .null: bindings.appendNull()
            case .int(let i): bindings.append(i)
            case .double(let d): bindings.append(d)
            case .text(let s): bindings.append(s)
            case .blob(let bytes): bindings.append(ByteBuffer(bytes: bytes))
            }
        }
        return PostgresQuery(unsafeSQL: sql, binds: bindings)
    }

    /// A cell as the SQLite side would give it: integers, floating point,
    /// text, bytes; booleans as 0 and 1 (SQLite has no booleans, and the
    /// queries compare flags to numbers).
    static func value(_ c: PostgresCell) -> SQLValue {
        guard c.bytes != nil else { return .null }
        switch c.dataType {
        case .int2: return (try? c.decode(Int16.self)).map { .int(Int64($0)) } ?? .null
        case .int4: return (try? c.decode(Int32.self)).map { .int(Int64($0)) } ?? .null
        case .int8: return (try? c.decode(Int64.self)).map { .int($0) } ?? .null
        case .float4, .float8: return (try? c.decode(Double.self)).map { .double($0) } ?? .null
        case .numeric:
            guard let d = try? c.decode(Decimal.self) else { return .null }
            let v = NSDecimalNumber(decimal: d).doubleValue
            return v == v.rounded() && abs(v) < 9e15 && !"\(d)".contains(".") ? .int(Int64(v)) : .double(v)
        case .bool: return (try? c.decode(Bool.self)).map { .int($0 ? 1 : 0) } ?? .null
        case .bytea: return (try? c.decode(ByteBuffer.self)).map { .blob(Array($0.readableBytesView)) } ?? .null
        default: return (try? c.decode(String.self)).map { .text($0) } ?? .null
        }
    }

    /// Bulk load of rows in memory: `COPY table (columns) FROM STDIN`.
    public func copy(table: String, columns: [String], rows: [[SQLValue]]) throws {
        guard !rows.isEmpty else { return }
        var next = 0
        try copy(table: table, columns: columns) { buf in
            while next < rows.count && buf.readableBytes < Self.copyChunk {
                CopyText.appendRow(rows[next], &buf)
                next += 1
            }
            return next < rows.count
        }
    }

    /// About how many bytes go to the server per write of a COPY.
    static let copyChunk = 1 << 20

    /// Bulk load streamed from a producer: `fill` appends rows in COPY's
    /// text format (see CopyText) until the buffer holds about `copyChunk`
    /// bytes, and says whether more follow. Only one chunk is in memory at a
    /// time, however large the table.
    public func copy(table: String, columns: [String], fill: @escaping (inout ByteBuffer) throws -> Bool) throws {
        let connection = self.connection, logger = self.logger
        let producer = UncheckedBox(fill)
        do {
            try wait {
                try await connection.copyFrom(table: table, columns: columns, logger: logger) { writer in
                    var more = true
                    while more {
                        var buf = ByteBuffer()
                        buf.reserveCapacity(Self.copyChunk + (64 << 10))
                        more = try producer.value(&buf)
                        if buf.readableBytes > 0 { try await writer.write(buf) }
                    }
                }
            }
        } catch let e as PSQLError {
            throw StoreError("PostgreSQL COPY \(table): \(e.serverInfo?[.message] ?? String(reflecting: e.code))")
        }
    }

    /// One value in COPY's text format (for tests and messages).
    static func copyText(_ v: SQLValue) -> String {
        var buf = ByteBuffer()
        CopyText.append(v, &buf)
        return buf.readString(length: buf.readableBytes) ?? ""
    }

    /// Runs `body` in one transaction: committed whole, or rolled back.
    public func transaction<R>(_ body: () throws -> R) throws -> R {
        _ = try query("BEGIN", [])
        do {
            let r = try body()
            _ = try query("COMMIT", [])
            return r
        } catch {
            _ = try? query("ROLLBACK", [])
            throw error
        }
    }
}
