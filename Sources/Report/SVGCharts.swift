import Analysis
import Foundation

/// The charts, drawn as inline SVG from the report's numbers: no script, no
/// font or image to fetch. Each chart is laid out on a fixed coordinate
/// width and scales down to the page with `viewBox` (never up: its text
/// would outgrow the page's on a narrow screen); every mark has a `<title>`
/// (a tooltip in browsers) and every axis its unit.
public enum SVGCharts {
    public static let width = 960.0
    public static let labelWidth = 200.0
    static let font = "font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif\""

    /// The colour of each state (also used by the legend).
    public static func colour(_ s: StripState) -> String {
        switch s {
        case .available: return "#2e9d5b"
        case .charging: return "#2f6fd6"
        case .faulted: return "#d7263d"
        case .unavailable: return "#f29e2e"
        case .offline: return "#3b3b3b"
        case .unknown: return "#d4d4d4"
        }
    }

    static func open(height: Double, label: String, width: Double = width) -> String {
        "<svg class=\"chart\" role=\"img\" aria-label=\"\(HTML.escape(label))\" xmlns=\"http://www.w3.org/2000/svg\" "
            + "viewBox=\"0 0 \(HTML.c(width)) \(HTML.c(height))\" width=\"100%\" style=\"max-width: \(HTML.c(width))px\" preserveAspectRatio=\"xMinYMin meet\" \(font) font-size=\"12\">"
            + "<title>\(HTML.escape(label))</title>"
    }

    static func text(_ x: Double, _ y: Double, _ s: String, anchor: String = "start", extra: String = "") -> String {
        "<text x=\"\(HTML.c(x))\" y=\"\(HTML.c(y))\" text-anchor=\"\(anchor)\"\(extra.isEmpty ? "" : " " + extra)>\(HTML.escape(s))</text>"
    }

    static func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: String, title: String? = nil, extra: String = "") -> String {
        let body = "x=\"\(HTML.c(x))\" y=\"\(HTML.c(y))\" width=\"\(HTML.c(max(0, w)))\" height=\"\(HTML.c(h))\" fill=\"\(fill)\"\(extra.isEmpty ? "" : " " + extra)"
        guard let title else { return "<rect \(body)/>" }
        return "<rect \(body)><title>\(HTML.escape(title))</title></rect>"
    }

    /// A label cut to fit the label column (the whole label stays in the tooltip).
    static func fit(_ s: String, _ maxChars: Int = 30) -> String {
        s.count <= maxChars ? s : String(s.prefix(maxChars - 1)) + "…"
    }

    /// Horizontal bars, one per count, scaled to the largest, with a value
    /// axis. `width` and `labelColumn` let small multiples (three side by
    /// side) keep their text at the size of the page's.
    public static func horizontalBars(_ items: [LabelledCount], title: String, unit: String, colour: String = "#2f6fd6",
                                      width: Double = width, labelColumn: Double = labelWidth) -> String {
        let row = 22.0, top = 8.0, axis = 34.0
        let h = top + Double(items.count) * row + axis
        let plotX = labelColumn + 10, plotW = width - plotX - 40
        let ticks = ChartScale.valueTicks(max: Double(items.map(\.count).max() ?? 0), count: width < 600 ? 4 : 5, integers: true)
        let maxV = ticks.last ?? 1
        let maxChars = Int(labelColumn / 7.2)
        var s = open(height: h, label: title, width: width)
        let bottom = top + Double(items.count) * row
        for t in ticks {
            let x = plotX + t / maxV * plotW
            s += "<line x1=\"\(HTML.c(x))\" y1=\"\(HTML.c(top))\" x2=\"\(HTML.c(x))\" y2=\"\(HTML.c(bottom))\" stroke=\"#e6e6e6\"/>"
            s += text(x, bottom + 15, HTML.number(t, decimals: t == t.rounded() ? 0 : 1), anchor: "middle", extra: "fill=\"#555\"")
        }
        s += text(plotX + plotW / 2, bottom + 30, unit, anchor: "middle", extra: "fill=\"#555\"")
        for (i, item) in items.enumerated() {
            let y = top + Double(i) * row
            s += text(plotX - 8, y + 15, fit(item.label, maxChars), anchor: "end")
            let w = Double(item.count) / maxV * plotW
            s += rect(plotX, y + 3, w, row - 6, fill: colour, title: "\(item.label): \(item.count) \(unit)")
            s += text(plotX + w + 5, y + 15, HTML.number(item.count), extra: "fill=\"#333\"")
        }
        s += "<line x1=\"\(HTML.c(plotX))\" y1=\"\(HTML.c(top))\" x2=\"\(HTML.c(plotX))\" y2=\"\(HTML.c(bottom))\" stroke=\"#888\"/>"
        return s + "</svg>"
    }

    /// One bar per port: up, outage, excluded and unknown shares of the
    /// period stacked to 100 %, with the 97 % line.
    public static func uptimeBars(_ bars: [UptimeBar]) -> String {
        let row = 24.0, top = 22.0, axis = 36.0
        let h = top + Double(bars.count) * row + axis
        let plotX = labelWidth + 10, plotW = width - plotX - 70
        let bottom = top + Double(bars.count) * row
        var s = open(height: h, label: "Uptime per port, percent of the period, against the 97 % line")
        for t in stride(from: 0.0, through: 100, by: 10) {
            let x = plotX + t / 100 * plotW
            s += "<line x1=\"\(HTML.c(x))\" y1=\"\(HTML.c(top))\" x2=\"\(HTML.c(x))\" y2=\"\(HTML.c(bottom))\" stroke=\"#e6e6e6\"/>"
            s += text(x, bottom + 15, "\(Int(t))", anchor: "middle", extra: "fill=\"#555\"")
        }
        s += text(plotX + plotW / 2, bottom + 31, "uptime, % of the period (NEVI: unknown minutes count as not up)", anchor: "middle",
                  extra: "fill=\"#555\"")
        for (i, b) in bars.enumerated() {
            let y = top + Double(i) * row
            s += text(plotX - 8, y + 16, fit(b.label), anchor: "end")
            var x = plotX
            let parts: [(Double, String, String)] = [
                (b.upPercent, b.meetsThreshold ? "#2e9d5b" : "#8fc9a6", "up"), (b.outagePercent, "#d7263d", "outage"),
                (b.excludedPercent, "#b39ddb", "excluded outage"), (b.unknownPercent, "#d4d4d4", "unknown"),
            ]
            for (pct, fill, name) in parts where pct > 0 {
                let w = pct / 100 * plotW
                s += rect(x, y + 4, w, row - 8, fill: fill, title: "\(b.label): \(name) \(HTML.number(pct, decimals: 2)) %")
                x += w
            }
            let value = b.uptimePercent.map { HTML.number($0, decimals: 2) + " %" } ?? "–"
            s += text(plotX + plotW + 6, y + 16, value, extra: b.meetsThreshold ? "fill=\"#1d6b3c\"" : "fill=\"#b0172a\" font-weight=\"bold\"")
        }
        let x97 = plotX + UptimeBar.threshold / 100 * plotW
        s += "<line x1=\"\(HTML.c(x97))\" y1=\"\(HTML.c(top - 6))\" x2=\"\(HTML.c(x97))\" y2=\"\(HTML.c(bottom))\" stroke=\"#111\" stroke-width=\"1.5\" stroke-dasharray=\"5 3\"/>"
        s += text(x97, top - 9, "97 %", anchor: "middle", extra: "font-weight=\"bold\"")
        s += "<line x1=\"\(HTML.c(plotX))\" y1=\"\(HTML.c(top))\" x2=\"\(HTML.c(plotX))\" y2=\"\(HTML.c(bottom))\" stroke=\"#888\"/>"
        return s + "</svg>"
    }

    /// Lanes of states over the window with a UTC time axis. Lanes without
    /// gap filling (the sessions lane) show white between their stretches.
    public static func strips(_ strips: [StatusStrip], window: Span, title: String) -> String {
        let row = 24.0, top = 6.0, axis = 36.0
        let h = top + Double(strips.count) * row + axis
        let plotX = labelWidth + 10, plotW = width - plotX - 20
        let bottom = top + Double(strips.count) * row
        let len = Double(max(1, window.length))
        func x(_ t: Int64) -> Double { plotX + Double(t - window.from) / len * plotW }
        var s = open(height: h, label: title)
        let resolution = max(1, Int64(len / (plotW * 2)))
        for (i, full) in strips.enumerated() {
            let strip = StatusStrips.simplified(full, resolution: resolution)
            let y = top + Double(i) * row
            s += text(plotX - 8, y + 16, fit(strip.label), anchor: "end")
            s += rect(plotX, y + 3, plotW, row - 6, fill: "#ffffff", extra: "stroke=\"#ddd\"")
            for seg in strip.segments {
                let x0 = x(seg.span.from), x1 = x(seg.span.to)
                // Short faults and outages stay visible at any zoom.
                let minW = seg.state == .available || seg.state == .charging || seg.state == .unknown ? 0 : 1.5
                let tip = "\(strip.label): \(seg.detail), \(HTML.second(seg.span.from)) – \(HTML.second(seg.span.to)) UTC "
                    + "(\(HTML.duration(minutes: Double(seg.span.length) / 60_000_000)))"
                s += rect(x0, y + 3, max(x1 - x0, minW), row - 6, fill: colour(seg.state), title: tip, extra: "shape-rendering=\"crispEdges\"")
            }
        }
        for (t, label) in ChartScale.timeTicks(window) {
            let tx = x(t)
            s += "<line x1=\"\(HTML.c(tx))\" y1=\"\(HTML.c(bottom))\" x2=\"\(HTML.c(tx))\" y2=\"\(HTML.c(bottom + 5))\" stroke=\"#666\"/>"
            s += text(tx, bottom + 17, label, anchor: "middle", extra: "fill=\"#555\"")
        }
        s += "<line x1=\"\(HTML.c(plotX))\" y1=\"\(HTML.c(bottom))\" x2=\"\(HTML.c(plotX + plotW))\" y2=\"\(HTML.c(bottom))\" stroke=\"#666\"/>"
        s += text(plotX + plotW / 2, bottom + 32, "time (UTC), \(HTML.minute(window.from)) – \(HTML.minute(window.to))", anchor: "middle",
                  extra: "fill=\"#555\"")
        return s + "</svg>"
    }

    /// Energy per bucket as columns, kWh on the y axis.
    public static func energyColumns(_ buckets: [EnergyBucket], size: BucketSize) -> String {
        let h = 260.0, top = 14.0, bottomPad = 46.0, plotX = 64.0
        let plotW = width - plotX - 16, plotH = h - top - bottomPad
        let ticks = ChartScale.valueTicks(max: (buckets.map(\.energyWh).max() ?? 0) / 1000, count: 5)
        let maxV = ticks.last ?? 1
        let bottom = top + plotH
        var s = open(height: h, label: "Energy delivered per \(size.rawValue), kWh")
        for t in ticks {
            let y = bottom - t / maxV * plotH
            s += "<line x1=\"\(HTML.c(plotX))\" y1=\"\(HTML.c(y))\" x2=\"\(HTML.c(plotX + plotW))\" y2=\"\(HTML.c(y))\" stroke=\"#e6e6e6\"/>"
            s += text(plotX - 6, y + 4, HTML.number(t, decimals: maxV < 5 ? 1 : 0), anchor: "end", extra: "fill=\"#555\"")
        }
        s += text(16, top + plotH / 2, "kWh", anchor: "middle", extra: "fill=\"#555\" transform=\"rotate(-90 16 \(HTML.c(top + plotH / 2)))\"")
        let n = max(1, buckets.count)
        let slot = plotW / Double(n)
        let every = max(1, Int((Double(n) / 12).rounded(.up)))
        for (i, b) in buckets.enumerated() {
            let kwh = b.energyWh / 1000
            let bh = kwh / maxV * plotH
            let x = plotX + Double(i) * slot
            let label = size == .day ? String(HTML.minute(b.span.from).prefix(10)) : String(HTML.minute(b.span.from).suffix(5))
            let bw = min(slot * 0.76, 90)          // a lone bar stays a bar, not a wall
            s += rect(x + (slot - bw) / 2, bottom - bh, bw, bh, fill: "#2f6fd6",
                      title: "\(HTML.minute(b.span.from)) UTC: \(HTML.number(kwh, decimals: 2)) kWh in \(b.sessions) session\(b.sessions == 1 ? "" : "s")")
            if i % every == 0 {
                s += text(x + slot / 2, bottom + 15, size == .day ? String(label.dropFirst(5)) : label, anchor: "middle", extra: "fill=\"#555\"")
            }
        }
        s += "<line x1=\"\(HTML.c(plotX))\" y1=\"\(HTML.c(bottom))\" x2=\"\(HTML.c(plotX + plotW))\" y2=\"\(HTML.c(bottom))\" stroke=\"#666\"/>"
        let axisWords = size == .day ? "day (UTC; a session counts on the day it started)" : "hour (UTC; a session counts in the hour it started)"
        s += text(plotX + plotW / 2, bottom + 34, axisWords, anchor: "middle", extra: "fill=\"#555\"")
        return s + "</svg>"
    }

    /// A small colour square for legends in HTML (SVG so that it prints).
    public static func swatch(_ fill: String) -> String {
        "<svg class=\"swatch\" width=\"12\" height=\"12\" viewBox=\"0 0 12 12\" aria-hidden=\"true\"><rect width=\"12\" height=\"12\" rx=\"2\" fill=\"\(fill)\"/></svg>"
    }
}
