import Foundation
import VaporCSQLite

/// SQLite's math functions (`floor`, `ceil`, `sqrt`, `ln`, `log`, `power`,
/// `mod`, `pi`, the trigonometric ones…), registered on every connection.
///
/// Why here: SQLite has them only when built with
/// SQLITE_ENABLE_MATH_FUNCTIONS. Debian's library was, the SQLite built into
/// ocppscope (sqlite-nio's) is not, and a user's own query
/// (`ocppscope query FILE`) that used `floor()` would have stopped working.
/// They follow SQLite's documented behaviour: NULL for a NULL or
/// non-numeric argument and outside a function's domain (`sqrt(-1)`,
/// `ln(0)`, `mod(x, 0)`); `ceil`, `floor` and `trunc` give an integer
/// argument back unchanged; `log(X)` is base 10 and `log(B, X)` base B.
enum SQLMathFunctions {
    /// A function of one number, and what it does with an integer argument.
    final class Unary: @unchecked Sendable {
        let apply: (Double) -> Double?
        let keepsIntegers: Bool
        init(keepsIntegers: Bool = false, _ apply: @escaping (Double) -> Double?) {
            self.apply = apply
            self.keepsIntegers = keepsIntegers
        }
    }

    /// A function of two numbers.
    final class Binary: @unchecked Sendable {
        let apply: (Double, Double) -> Double?
        init(_ apply: @escaping (Double, Double) -> Double?) { self.apply = apply }
    }

    /// A logarithm is defined for positive numbers only.
    private static func positive(_ f: @escaping (Double) -> Double) -> (Double) -> Double? {
        { $0 > 0 ? f($0) : nil }
    }

    static let unary: [(String, Unary)] = [
        ("ceil", Unary(keepsIntegers: true) { Foundation.ceil($0) }),
        ("ceiling", Unary(keepsIntegers: true) { Foundation.ceil($0) }),
        ("floor", Unary(keepsIntegers: true) { Foundation.floor($0) }),
        ("trunc", Unary(keepsIntegers: true) { Foundation.trunc($0) }),
        ("sqrt", Unary { $0 >= 0 ? Foundation.sqrt($0) : nil }),
        ("exp", Unary { Foundation.exp($0) }),
        ("ln", Unary(positive(Foundation.log))),
        ("log", Unary(positive(Foundation.log10))),
        ("log10", Unary(positive(Foundation.log10))),
        ("log2", Unary(positive(Foundation.log2))),
        ("degrees", Unary { $0 * 180 / Double.pi }),
        ("radians", Unary { $0 * Double.pi / 180 }),
        ("sin", Unary { Foundation.sin($0) }), ("cos", Unary { Foundation.cos($0) }), ("tan", Unary { Foundation.tan($0) }),
        ("asin", Unary { Foundation.asin($0) }), ("acos", Unary { Foundation.acos($0) }), ("atan", Unary { Foundation.atan($0) }),
        ("sinh", Unary { Foundation.sinh($0) }), ("cosh", Unary { Foundation.cosh($0) }), ("tanh", Unary { Foundation.tanh($0) }),
        ("asinh", Unary { Foundation.asinh($0) }), ("acosh", Unary { Foundation.acosh($0) }), ("atanh", Unary { Foundation.atanh($0) }),
    ]

    static let binary: [(String, Binary)] = [
        ("pow", Binary { Foundation.pow($0, $1) }),
        ("power", Binary { Foundation.pow($0, $1) }),
        ("atan2", Binary { Foundation.atan2($0, $1) }),
        ("mod", Binary { $1 == 0 ? nil : Foundation.fmod($0, $1) }),
        // log(B, X): the logarithm of X in base B.
        ("log", Binary { b, x in b > 0 && b != 1 && x > 0 ? Foundation.log(x) / Foundation.log(b) : nil }),
    ]

    /// Registers every function on a connection.
    static func register(on db: OpaquePointer) {
        let flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS
        for (name, f) in unary {
            _ = sqlite_nio_sqlite3_create_function_v2(db, name, 1, flags, Unmanaged.passUnretained(f).toOpaque(),
                                                      callUnary, nil, nil, nil)
        }
        for (name, f) in binary {
            _ = sqlite_nio_sqlite3_create_function_v2(db, name, 2, flags, Unmanaged.passUnretained(f).toOpaque(),
                                                      callBinary, nil, nil, nil)
        }
        _ = sqlite_nio_sqlite3_create_function_v2(db, "pi", 0, flags, nil, { context, _, _ in
            sqlite_nio_sqlite3_result_double(context, Double.pi)
        }, nil, nil, nil)
    }

    /// The argument as a number, or nil for NULL and what does not read as one.
    private static func number(_ value: OpaquePointer?) -> (Double, isInteger: Bool)? {
        switch sqlite_nio_sqlite3_value_numeric_type(value) {
        case SQLITE_INTEGER: return (Double(sqlite_nio_sqlite3_value_int64(value)), true)
        case SQLITE_FLOAT: return (sqlite_nio_sqlite3_value_double(value), false)
        default: return nil
        }
    }

    private static func result(_ context: OpaquePointer?, _ value: Double?) {
        if let value, !value.isNaN { sqlite_nio_sqlite3_result_double(context, value) } else { sqlite_nio_sqlite3_result_null(context) }
    }

    // The functions are boxes that live as long as the program (static lets),
    // so the connections hold them unretained.
    private static let callUnary: @convention(c) (OpaquePointer?, Int32, UnsafeMutablePointer<OpaquePointer?>?) -> Void = { context, _, args in
        let f = Unmanaged<Unary>.fromOpaque(sqlite_nio_sqlite3_user_data(context)!).takeUnretainedValue()
        guard let value = args?[0], let (x, isInteger) = number(value) else { return sqlite_nio_sqlite3_result_null(context) }
        if isInteger && f.keepsIntegers { return sqlite_nio_sqlite3_result_int64(context, sqlite_nio_sqlite3_value_int64(value)) }
        result(context, f.apply(x))
    }

    private static let callBinary: @convention(c) (OpaquePointer?, Int32, UnsafeMutablePointer<OpaquePointer?>?) -> Void = { context, _, args in
        let f = Unmanaged<Binary>.fromOpaque(sqlite_nio_sqlite3_user_data(context)!).takeUnretainedValue()
        guard let args, let (a, _) = number(args[0]), let (b, _) = number(args[1]) else { return sqlite_nio_sqlite3_result_null(context) }
        result(context, f.apply(a, b))
    }
}
