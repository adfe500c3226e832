import Frames

/// One JSON object per line, as structured loggers (and many CSMS) write:
///
///     {"ts":"2023-04-15T12:31:39.123Z","cp":"CP_1","dir":"in","msg":[2,"…","Heartbeat",{}]}
///     {"@timestamp":"…","chargeBoxId":"CP_1","direction":"cp_to_csms","message":"[2,\"…\",\"Heartbeat\",{}]"}
///
/// Member names are matched without case or `_`/`-` (so `chargePointId`,
/// `charge_point_id`, `charge-point-id` are one). The message may be the
/// array itself or a string holding it — or holding a whole text line such
/// as `CP_1: send [...]`, whose words then give the direction.
final class JSONLinesParser: LogLineParser {
    let format = LogFormat.jsonLines
    private let time: LogTimeParser

    enum Role { case time, identity, direction, message, version }

    /// The roles by member name key (`FlatJSON.nameKey`, already a hash), in
    /// a small open-addressing table: a `Dictionary` hashed every member's
    /// key again, four times per line.
    struct RoleTable {
        private var keys = [UInt64](repeating: 0, count: 256)
        private var roles = [Role?](repeating: nil, count: 256)

        init(_ names: [UInt64: Role]) {
            precondition(names.count < 128)
            for (k, r) in names {
                var i = Int(truncatingIfNeeded: k) & 255
                while roles[i] != nil { i = (i + 1) & 255 }
                keys[i] = k
                roles[i] = r
            }
        }

        subscript(_ key: UInt64) -> Role? {
            var i = Int(truncatingIfNeeded: key) & 255
            while let r = roles[i] {
                if keys[i] == key { return r }
                i = (i + 1) & 255
            }
            return nil
        }
    }

    static let roles: RoleTable = {
        var t: [UInt64: Role] = [:]
        for n in ["ts", "time", "timestamp", "@timestamp", "datetime", "date", "t", "logged_at", "loggedat", "created_at",
                  "time_local", "asctime", "receivedat", "received_at", "eventtime"] { t[FlatJSON.nameKey(n)] = .time }
        for n in ["cp", "chargepointid", "charge_point", "chargepoint", "chargeboxid", "charge_box_id", "identity", "station",
                  "stationid", "chargingstationid", "chargingstation", "cpid", "charger", "chargerid", "evseid_cp", "client",
                  "clientid", "cs", "csid", "cp_id", "ocppid", "ocpp_id", "box"] { t[FlatJSON.nameKey(n)] = .identity }
        for n in ["dir", "direction", "way", "flow", "origin", "io"] { t[FlatJSON.nameKey(n)] = .direction }
        for n in ["msg", "message", "payload", "frame", "ocpp", "data", "raw", "body", "text", "ocppmessage", "ocpp_message",
                  "json", "content"] { t[FlatJSON.nameKey(n)] = .message }
        for n in ["ocppversion", "ocpp_version", "protocol", "subprotocol", "version"] { t[FlatJSON.nameKey(n)] = .version }
        return RoleTable(t)
    }()

    init(options: LogOptions) { time = options.timeParser }

    /// The names met so far (the first `recentLimit`), their bytes one after
    /// another, with their roles. Why: a log writes the same few names on
    /// every line, and finding them by their bytes costs a fraction of
    /// hashing them (`nameKey` was 4.8% of reading a JSON-lines log;
    /// callgrind, 10 MB benchmark log).
    private var recentBytes: [UInt8] = []
    private var recentEnds: [Int] = []
    private var recentRoles: [Role?] = []
    static let recentLimit = 16

    /// The role of a member name: from the names met before, else by its key.
    func role(of name: UnsafeRawBufferPointer) -> Role? {
        let found: Int? = recentBytes.withUnsafeBytes { known in
            var start = 0
            for (k, end) in recentEnds.enumerated() {
                defer { start = end }
                if end - start == name.count, ByteSearch.equal(UnsafeRawBufferPointer(rebasing: known[start..<end]), name) {
                    return k
                }
            }
            return nil
        }
        if let found { return recentRoles[found] }
        let role = JSONLinesParser.roles[FlatJSON.nameKey(name, 0..<name.count)]
        if recentEnds.count < JSONLinesParser.recentLimit {
            recentBytes.append(contentsOf: name)
            recentEnds.append(recentBytes.count)
            recentRoles.append(role)
        }
        return role
    }

    func parse(_ b: UnsafeRawBufferPointer) -> LineParse {
        guard b.count > 2 else { return .noise }
        var fields = LineFields()
        var found = false
        var wordsFromText: StatedDirection?
        let ok = FlatJSON.members(b) { name, value in
            guard let role = role(of: UnsafeRawBufferPointer(rebasing: b[name])) else { return }
            let isString = b[value.lowerBound] == 0x22
            let inner = isString ? (value.lowerBound + 1)..<(value.upperBound - 1) : value
            switch role {
            case .time:
                guard fields.time == nil else { return }
                if isString {
                    let s = UnsafeRawBufferPointer(rebasing: b[inner])
                    fields.time = time.parse(s, at: 0)?.0
                } else if let v = Double(String(decoding: b[value], as: UTF8.self)) {
                    fields.time = LogTimeParser.epoch(v)
                }
            case .identity:
                guard fields.identity == nil, fields.ownedIdentity == nil, isString || b[value.lowerBound] != 0x7B else { return }
                if isString && FlatJSON.hasEscape(b, inner) {
                    fields.ownedIdentity = String(decoding: FlatJSON.unescape(b, inner), as: UTF8.self)
                } else if !inner.isEmpty, b[value.lowerBound] != 0x5B {
                    fields.identity = inner
                }
            case .direction:
                if isString, let d = DirectionWords.classify(b, inner) { fields.stated = d }
            case .version:
                if isString { fields.version = String(decoding: b[inner], as: UTF8.self) }
            case .message:
                guard !found else { return }
                if b[value.lowerBound] == 0x5B {
                    fields.message = .range(value)
                    found = true
                } else if isString {
                    let text = FlatJSON.hasEscape(b, inner) ? FlatJSON.unescape(b, inner) : ByteSearch.copy(b, inner)
                    text.withUnsafeBytes { t in
                        var start = 0
                        FlatJSON.skipSpace(t, &start)
                        if start < t.count, t[start] == 0x5B {
                            fields.message = .owned(Array(t[start...]))
                            found = true
                        } else if let at = ByteSearch.ocppArrayStart(t) {
                            fields.message = .owned(Array(t[at...]))
                            found = true
                            wordsFromText = JSONLinesParser.words(t, before: at)
                        }
                    }
                }
            }
        }
        guard ok, found else { return .noise }
        if fields.stated == .none, let w = wordsFromText { fields.stated = w }
        return .message(fields)
    }

    /// A direction word in the text before the array (`CP_1: send [...]`).
    static func words(_ t: UnsafeRawBufferPointer, before end: Int) -> StatedDirection? {
        var i = 0
        while i < end {
            while i < end, !LogTimeParser.isAlnum(t[i]), t[i] != 0x2D, t[i] != 0x3C, t[i] != 0x3E { i += 1 }
            let s = i
            while i < end, t[i] != 0x20, t[i] != 0x3A { i += 1 }
            if s < i, let d = DirectionWords.classify(t, s..<i) { return d }
            i += 1
        }
        return nil
    }
}
